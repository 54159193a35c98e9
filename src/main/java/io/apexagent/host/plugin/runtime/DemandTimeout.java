package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;

/**
 * A per-item time limit that runs only while the consumer is waiting: it fails the stream when the
 * producer leaves a requested item undelivered for longer than the limit, but a consumer that takes
 * its time (a Kafka broker being restarted, a slow SSE client) never makes the producer time out.
 * Thread-safe; one instance per subscription.
 */
public final class DemandTimeout<T> implements Flow.Subscriber<T>, Flow.Subscription {

    /** Applies the limit to {@code upstream}. */
    public static <T> Multi<T> apply(Multi<T> upstream, Duration limit, ScheduledExecutorService timer,
            Supplier<? extends Throwable> failure) {
        return Multi.createFrom().publisher(downstream -> upstream.subscribe()
                .withSubscriber(new DemandTimeout<>(downstream, limit, timer, failure)));
    }

    private final Flow.Subscriber<? super T> downstream;
    private final long limitNanos;
    private final ScheduledExecutorService timer;
    private final Supplier<? extends Throwable> failure;
    private Flow.Subscription upstream;
    private long outstanding;
    private ScheduledFuture<?> pending;
    private boolean done;

    private DemandTimeout(Flow.Subscriber<? super T> downstream, Duration limit, ScheduledExecutorService timer,
            Supplier<? extends Throwable> failure) {
        this.downstream = downstream;
        this.limitNanos = limit.toNanos();
        this.timer = timer;
        this.failure = failure;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (this) {
            upstream = subscription;
        }
        downstream.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        synchronized (this) {
            outstanding = outstanding + n < 0 ? Long.MAX_VALUE : outstanding + n;
            arm();
        }
        upstream.request(n);
    }

    @Override
    public void onNext(T item) {
        synchronized (this) {
            if (done) {
                return;
            }
            if (outstanding != Long.MAX_VALUE) {
                outstanding--;
            }
            disarm();
            arm();
        }
        downstream.onNext(item);
    }

    @Override
    public void onError(Throwable error) {
        if (finish()) {
            downstream.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (finish()) {
            downstream.onComplete();
        }
    }

    @Override
    public void cancel() {
        finish();
        upstream.cancel();
    }

    private void arm() {
        if (!done && pending == null && outstanding > 0) {
            pending = timer.schedule(this::expire, limitNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void expire() {
        synchronized (this) {
            if (done || outstanding == 0) {
                pending = null;
                return;
            }
        }
        if (finish()) {
            upstream.cancel();
            downstream.onError(failure.get());
        }
    }

    private synchronized boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        disarm();
        return true;
    }
}
