package io.apexagent.host.messaging.actions;

import java.util.ArrayDeque;
import java.util.Queue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A non-blocking semaphore: {@link #acquire()} completes at once while permits remain, else when one is
 * released. {@link KafkaPluginCalls} holds one per call handed to a plugin version, so calls beyond its capacity
 * wait instead of failing "busy". Thread-safe.
 */
public final class InFlightPermits {

    private final Queue<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int available;

    public InFlightPermits(int permits) {
        this.available = permits;
    }

    /** @return completes when a permit is held; release it exactly once */
    public Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (available > 0) {
                    available--;
                } else {
                    waiting.add(emitter);
                    return;
                }
            }
            emitter.complete(null);
        });
    }

    public void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                available++;
                return;
            }
        }
        next.complete(null);
    }

    /** @return permits free now */
    public synchronized int available() {
        return available;
    }
}
