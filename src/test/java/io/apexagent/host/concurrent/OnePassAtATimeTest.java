package io.apexagent.host.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class OnePassAtATimeTest {

    final OnePassAtATime passes = new OnePassAtATime(Logger.getLogger(OnePassAtATimeTest.class), Duration.ofSeconds(1),
            Duration.ofMillis(200));
    final AtomicInteger started = new AtomicInteger();

    @Test
    void aTickDuringAPassSkipsItsTurn() {
        passes.tick(() -> {
            started.incrementAndGet();
            return Uni.createFrom().nothing();
        }, () -> "a pass that never ends");
        passes.tick(() -> {
            started.incrementAndGet();
            return Uni.createFrom().voidItem();
        }, () -> "a second pass");
        assertThat(started).hasValue(1);
    }

    /** Before, a pass whose statement never answered held off every later tick, without a word. */
    @Test
    void aPassThatNeverEndsFailsAfterItsLongestTimeAndTheNextTickRunsAgain() {
        passes.tick(() -> {
            started.incrementAndGet();
            return Uni.createFrom().nothing();
        }, () -> "a pass that never ends");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            passes.tick(() -> {
                started.incrementAndGet();
                return Uni.createFrom().voidItem();
            }, () -> "the next pass");
            assertThat(started).hasValue(2);
        });
    }

    @Test
    void aPassThatThrowsOrFailsLeavesTheNextTickFree() {
        passes.tick(() -> {
            throw new IllegalStateException("thrown before the pass started");
        }, () -> "a throwing pass");
        passes.tick(() -> Uni.createFrom().failure(new IllegalStateException("failed")), () -> "a failing pass");
        passes.tick(() -> {
            started.incrementAndGet();
            return Uni.createFrom().voidItem();
        }, () -> "a pass after them");
        assertThat(started).hasValue(1);
    }
}
