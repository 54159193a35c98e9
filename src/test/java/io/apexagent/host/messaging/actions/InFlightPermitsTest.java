package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.UniEmitter;

class InFlightPermitsTest {

    final InFlightPermits permits = new InFlightPermits(2);
    final AtomicInteger admitted = new AtomicInteger();
    final List<UniEmitter<? super String>> running = new ArrayList<>();

    /** Work that is admitted, then runs until the test ends it. */
    Uni<String> work() {
        return permits.whileHeld(() -> {
            admitted.incrementAndGet();
            return Uni.createFrom().emitter(running::add);
        });
    }

    @Test
    void waitersAreAdmittedAsWorkEnds() {
        for (int i = 0; i < 4; i++) {
            work().subscribe().with(ok -> { });
        }
        assertThat(admitted).hasValue(2);
        running.get(0).complete("done");
        assertThat(admitted).hasValue(3);
        running.get(1).fail(new IllegalStateException("failed"));
        running.get(2).complete("done");
        assertThat(admitted).hasValue(4);
        running.get(3).complete("done");
        assertThat(permits.available()).isEqualTo(2);
    }

    /**
     * A caller cancelled while it waits takes no permit, and gives none back. Before, its cancellation gave back a
     * permit it never held (one call too many admitted), and the permit later handed to it was lost.
     */
    @Test
    void aCallerCancelledWhileWaitingNeitherTakesNorGivesBackAPermit() {
        work().subscribe().with(ok -> { });
        work().subscribe().with(ok -> { });
        UniAssertSubscriber<String> cancelled = work().subscribe().withSubscriber(UniAssertSubscriber.create());
        cancelled.cancel();
        assertThat(permits.available()).isZero();

        work().subscribe().with(ok -> { });
        running.get(0).complete("done");
        assertThat(admitted).as("the caller behind the cancelled one").hasValue(3);
        running.get(1).complete("done");
        running.get(2).complete("done");
        assertThat(permits.available()).isEqualTo(2);
    }

    @Test
    void aRunningCallCancelledGivesItsPermitBack() {
        UniAssertSubscriber<String> call = work().subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(permits.available()).isEqualTo(1);
        call.cancel();
        assertThat(permits.available()).isEqualTo(2);
    }

    @Test
    void aStreamHoldsItsPermitUntilItTerminates() {
        UnicastProcessor<Integer> chunks = UnicastProcessor.create();
        AssertSubscriber<Integer> stream = permits.whileHeldStreaming(() -> chunks)
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        chunks.onNext(1);
        assertThat(permits.available()).isEqualTo(1);
        chunks.onComplete();
        stream.assertCompleted().assertItems(1);
        assertThat(permits.available()).isEqualTo(2);
    }
}
