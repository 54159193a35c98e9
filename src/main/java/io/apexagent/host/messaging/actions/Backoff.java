package io.apexagent.host.messaging.actions;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.smallrye.mutiny.Uni;

/**
 * Retries a step with exponential backoff (doubling, capped, ±50 % jitter) for as long as the failure is
 * retryable. Used on every request's database and broker steps instead of Mutiny's
 * {@code retry().withBackOff(...)}, which builds a stream-based retry operator at each subscription even
 * when the first attempt succeeds; here a step that succeeds costs one failure-handling operator, and the
 * retry machinery is assembled only after a failure. Thread-safe.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;

    Backoff(Duration first, Duration max) {
        if (first.isZero() || first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got " + first + " and " + max);
        }
        this.first = first;
        this.max = max;
    }

    /**
     * @param step        a lazy step: each retry subscribes to it again
     * @param retryable   whether a failure is worth another attempt (tested when it happens)
     * @param beforeRetry told about each failure that will be retried
     * @return the step's item, after as many attempts as it takes
     */
    <T> Uni<T> retry(Uni<T> step, Predicate<Throwable> retryable, Consumer<Throwable> beforeRetry) {
        return attempt(step, retryable, beforeRetry, first.toMillis());
    }

    /** As {@link #retry}, for a step whose first attempt already failed: it starts with a pause. */
    <T> Uni<T> retryAfterPause(Uni<T> step, Predicate<Throwable> retryable, Consumer<Throwable> beforeRetry) {
        return pauseThenAttempt(step, retryable, beforeRetry, first.toMillis());
    }

    /**
     * The pause before attempt {@code attempt} (2 for the first retry) of a caller that schedules its own retries:
     * {@code first}, doubled for each attempt since, capped at {@code max}, jittered as the others.
     */
    long pauseMillisBefore(int attempt) {
        long doubled = first.toMillis() << Math.min(Math.max(attempt - 2, 0), 30);
        return jittered(Math.min(doubled < 0 ? Long.MAX_VALUE : doubled, max.toMillis()));
    }

    private <T> Uni<T> attempt(Uni<T> step, Predicate<Throwable> retryable, Consumer<Throwable> beforeRetry,
            long pauseMillis) {
        return step.onFailure(retryable).recoverWithUni(failure -> {
            beforeRetry.accept(failure);
            return pauseThenAttempt(step, retryable, beforeRetry, pauseMillis);
        });
    }

    private <T> Uni<T> pauseThenAttempt(Uni<T> step, Predicate<Throwable> retryable, Consumer<Throwable> beforeRetry,
            long pauseMillis) {
        long next = Math.min(pauseMillis * 2, max.toMillis());
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(Duration.ofMillis(jittered(pauseMillis)))
                .chain(() -> attempt(step, retryable, beforeRetry, next));
    }

    private static long jittered(long millis) {
        return Math.max(1, (long) (millis * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
