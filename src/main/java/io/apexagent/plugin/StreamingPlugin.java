package io.apexagent.plugin;

import java.util.Map;

import io.smallrye.mutiny.Multi;

/**
 * A plugin whose actions can stream their result as a sequence of chunks. The host subscribes with
 * backpressure: it requests chunks as fast as the consumer (Kafka producer, SSE client) takes them,
 * so a well-behaved implementation emits only on request (e.g. {@code Multi.createFrom().emitter} with
 * {@code BackPressureStrategy.BUFFER} for bounded sources, or a generator).
 */
public interface StreamingPlugin extends BasePlugin {

    /**
     * Runs a streaming action (one whose descriptor has {@code streamingSupported = true}).
     *
     * @param action the action name
     * @param params validated parameters
     * @return the chunks, in order; completion ends the result, a failure ends it with an error record
     */
    Multi<ActionChunk> streamAction(String action, Map<String, Object> params);
}
