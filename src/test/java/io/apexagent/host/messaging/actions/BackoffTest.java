package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void aStepThatSucceedsRunsOnce() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> step = Uni.createFrom().item(() -> "ok-" + attempts.incrementAndGet());

        assertThat(backoff.retry(step, e -> true, e -> { }).await().atMost(Duration.ofSeconds(5))).isEqualTo("ok-1");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRetryableFailureIsRetriedUntilTheStepSucceedsAndEachRetryIsReported() {
        AtomicInteger attempts = new AtomicInteger();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Uni<Integer> step = Uni.createFrom().item(() -> {
            int n = attempts.incrementAndGet();
            if (n < 6) {
                throw new IllegalStateException("down " + n);
            }
            return n;
        });

        assertThat(backoff.retry(step, e -> true, reported::add).await().atMost(Duration.ofSeconds(5))).isEqualTo(6);
        assertThat(reported).hasSize(5).allMatch(e -> e.getMessage().startsWith("down"));
    }

    @Test
    void aFailureThatIsNotRetryableEndsTheStep() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<Void> step = Uni.createFrom().item(() -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("wrong");
        });

        assertThatThrownBy(() -> backoff.retry(step, e -> e instanceof IllegalStateException, e -> { })
                .await().atMost(Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retryabilityIsDecidedWhenTheFailureHappens() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<Void> step = Uni.createFrom().item(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        });

        assertThatThrownBy(() -> backoff.retry(step, e -> attempts.get() < 3, e -> { })
                .await().atMost(Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).as("a replica that starts stopping gives up").hasValue(3);
    }

    @Test
    void aStepWhoseFirstAttemptFailedElsewhereIsRetriedAfterAPause() {
        Backoff slow = new Backoff(Duration.ofMillis(200), Duration.ofMillis(200));
        AtomicInteger attempts = new AtomicInteger();
        Uni<Integer> step = Uni.createFrom().item(attempts::incrementAndGet);
        long start = System.nanoTime();

        assertThat(slow.retryAfterPause(step, e -> true, e -> { }).await().atMost(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void pausesOfACallerThatSchedulesItsOwnRetriesDoubleUpToTheMaximumWithJitter() {
        Backoff pauses = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int i = 0; i < 200; i++) {
            assertThat(pauses.pauseMillisBefore(2)).as("first retry").isBetween(500L, 1500L);
            assertThat(pauses.pauseMillisBefore(3)).as("second retry").isBetween(1000L, 3000L);
            assertThat(pauses.pauseMillisBefore(6)).as("fifth retry").isBetween(8000L, 24000L);
            assertThat(pauses.pauseMillisBefore(7)).as("capped").isBetween(15000L, 45000L);
            assertThat(pauses.pauseMillisBefore(Integer.MAX_VALUE)).as("no overflow").isBetween(15000L, 45000L);
        }
    }

    @Test
    void boundsMustBeOrdered() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
