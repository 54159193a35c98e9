package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class DemandTimeoutTest {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void producerThatLeavesRequestedItemsUndeliveredTimesOut() {
        AssertSubscriber<Object> sub = DemandTimeout.apply(Multi.createFrom().nothing(), Duration.ofMillis(100), timer,
                TimeoutException::new).subscribe().withSubscriber(AssertSubscriber.create(1));
        sub.awaitFailure(Duration.ofSeconds(5)).assertFailedWith(TimeoutException.class);
    }

    @Test
    void consumerThatTakesItsTimeDoesNotCauseATimeout() {
        AssertSubscriber<Integer> sub = DemandTimeout.apply(Multi.createFrom().range(0, 3), Duration.ofMillis(100),
                timer, TimeoutException::new).subscribe().withSubscriber(AssertSubscriber.create(1));
        sub.awaitItems(1);
        // No demand for three times the limit: the stream must still be alive.
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> sub.getFailure() == null);
        sub.request(10);
        sub.awaitCompletion(Duration.ofSeconds(5));
        assertThat(sub.getItems()).containsExactly(0, 1, 2);
    }
}
