package io.apexagent.host.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable records by reference on the local Vert.x event bus. Local only: events leave the
 * replica through Kafka, not through the clustered bus, so encoding to the wire is refused.
 */
final class LocalRecordCodec<T> implements MessageCodec<T, T> {

    private final Class<T> type;

    LocalRecordCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        throw new UnsupportedOperationException(type.getName() + " is sent on the local event bus only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(type.getName() + " is sent on the local event bus only");
    }

    @Override
    public T transform(T value) {
        return value;
    }

    @Override
    public String name() {
        return "local-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
