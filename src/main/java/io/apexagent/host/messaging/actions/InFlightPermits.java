package io.apexagent.host.messaging.actions;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A non-blocking semaphore: work runs at once while permits remain, else when one is given back.
 * {@link KafkaPluginCalls} holds one per call handed to a plugin instance, so calls beyond its capacity wait
 * instead of failing "busy". A permit is given back exactly once, when the work ends, fails or is cancelled; a
 * caller cancelled while it waits leaves the queue without taking one. Thread-safe.
 */
public final class InFlightPermits {

    private final Queue<Waiter> waiting = new ArrayDeque<>();
    private int available;

    public InFlightPermits(int permits) {
        this.available = permits;
    }

    /** @return {@code work}, subscribed to once a permit is held; the permit is given back when it terminates */
    public <T> Uni<T> whileHeld(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Waiter waiter = new Waiter();
            return waiter.granted().chain(ignored -> work.get()).onTermination().invoke(waiter::end);
        });
    }

    /** As {@link #whileHeld}, for a stream: the permit is held until the stream terminates. */
    public <T> Multi<T> whileHeldStreaming(Supplier<Multi<T>> work) {
        return Multi.createFrom().deferred(() -> {
            Waiter waiter = new Waiter();
            return waiter.granted().onItem().transformToMulti(ignored -> work.get()).onTermination().invoke(waiter::end);
        });
    }

    /** @return permits free now */
    public synchronized int available() {
        return available;
    }

    /** Hands a permit given back to the first caller still waiting, or keeps it. */
    private void giveBack() {
        Waiter next;
        synchronized (this) {
            do {
                next = waiting.poll();
                if (next == null) {
                    available++;
                    return;
                }
            } while (!next.state.compareAndSet(Waiter.WAITING, Waiter.GRANTED));
        }
        next.emitter.complete(null);
    }

    /** One caller: waiting, then granted a permit, then ended (the permit given back if it held one). */
    private final class Waiter {
        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int ENDED = 2;

        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile UniEmitter<? super Void> emitter;

        Uni<Void> granted() {
            return Uni.createFrom().emitter(e -> {
                emitter = e;
                boolean free;
                synchronized (InFlightPermits.this) {
                    free = available > 0;
                    if (free) {
                        available--;
                    } else {
                        waiting.add(this);
                    }
                }
                if (free) {
                    if (state.compareAndSet(WAITING, GRANTED)) {
                        e.complete(null);
                    } else {
                        giveBack(); // ended before it could be granted
                    }
                }
            });
        }

        void end() {
            if (state.compareAndSet(WAITING, ENDED)) {
                synchronized (InFlightPermits.this) {
                    waiting.remove(this);
                }
            } else if (state.compareAndSet(GRANTED, ENDED)) {
                giveBack();
            }
        }
    }
}
