package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginResourceLimitException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** The watchdog and meter on real threads: breaches, runaway workers, replacement, force stop. */
class CallMeterTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final PluginWorkers workers = new PluginWorkers("unit", "1.0.0", 1, 4);
    ResourceWatchdog watchdog;
    volatile long sink;

    @AfterEach
    void close() {
        workers.interruptAll();
        watchdog.close();
    }

    @Test
    void onlyACallsFirstSegmentMayBeRefusedAsBusyTheRestOfATakenCallIsQueued() throws Exception {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        workers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CallMeter taken = meter(CallBudget.NONE);
        AtomicBoolean subscribed = new AtomicBoolean();
        AtomicBoolean requested = new AtomicBoolean();
        taken.execute(() -> subscribed.set(true));
        for (int i = 0; i < 3; i++) {
            workers.execute(() -> { });
        }
        // The queue (4) is full: a new call is refused, more of a call already taken (a request(n)) is not.
        assertThatThrownBy(() -> meter(CallBudget.NONE).execute(() -> { }))
                .isInstanceOf(PluginBusyException.class).hasMessageContaining("is busy");
        taken.execute(() -> requested.set(true));

        release.countDown();
        await().atMost(WAIT).until(() -> subscribed.get() && requested.get());
    }

    @Test
    void cpuBreachFailsTheCallAtOnceNamingBudgetLimitAndUseAndAForceStopEndsTheLoop() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        CallMeter meter = meter(new CallBudget(50, 0));
        UniAssertSubscriber<Object> caller = run(meter, this::spinForEver);

        Throwable failure = caller.awaitFailure(WAIT).getFailure();
        assertThat(failure).isInstanceOf(PluginResourceLimitException.class)
                .hasMessageContaining("action unit.spin exceeded its CPU budget")
                .hasMessageContaining("limit 50 (limits.cpu_ms)");
        PluginResourceLimitException breach = (PluginResourceLimitException) failure;
        assertThat(breach.budget()).isEqualTo("limits.cpu_ms");
        assertThat(breach.measured()).isGreaterThan(50);
        assertThat(breach.errorType()).isEqualTo("resource_limit");
        meter.close();
        await().atMost(WAIT).until(() -> workers.stuck() == 0 && watchdog.watchedCalls() == 0);
        assertThat(quickCall()).isEqualTo("ok");
    }

    /** An idle replica's watchdog wakes once a second, not every sample interval; a budgeted call wakes it at once. */
    @Test
    void theWatchdogSamplesAtItsIntervalOnlyWhileCallsAreWatched() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        assertThat(watchdog.idle()).as("idle from the start").isTrue();

        CallMeter meter = meter(new CallBudget(50, 0));
        UniAssertSubscriber<Object> caller = run(meter, this::spinForEver);
        assertThat(watchdog.idle()).as("woken by the call itself, not by its next idle sample").isFalse();

        assertThat(caller.awaitFailure(WAIT).getFailure()).isInstanceOf(PluginResourceLimitException.class);
        meter.close();
        await().atMost(WAIT).until(() -> watchdog.watchedCalls() == 0 && watchdog.idle());
        assertThat(quickCall()).isEqualTo("ok");
        assertThat(watchdog.idle()).as("a call without a budget is not watched").isTrue();
    }

    @Test
    void allocationBombIsStoppedLongBeforeTheHeapFills() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        CallMeter meter = meter(new CallBudget(0, 32));
        UniAssertSubscriber<Object> caller = run(meter, () -> {
            List<byte[]> hoard = new ArrayList<>();
            while (true) {
                hoard.add(new byte[1 << 20]);
            }
        });

        Throwable failure = caller.awaitFailure(WAIT).getFailure();
        assertThat(failure).isInstanceOf(PluginResourceLimitException.class)
                .hasMessageContaining("exceeded its allocation budget").hasMessageContaining("limit 32 (limits.alloc_mb)");
        assertThat(((PluginResourceLimitException) failure).measured()).isGreaterThan(32);
        meter.close();
        await().atMost(WAIT).until(() -> workers.stuck() == 0 && watchdog.watchedCalls() == 0);
    }

    @Test
    void workerThatIgnoresItsInterruptIsReplacedSoThePluginStillServesAndReturnsWhenItEnds() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), false);
        AtomicBoolean release = new AtomicBoolean();
        CallMeter meter = meter(new CallBudget(30, 0));
        UniAssertSubscriber<Object> caller = run(meter, () -> {
            while (!release.get()) {
                sink++; // never looks at its interrupt flag
            }
            return "late";
        });
        caller.awaitFailure(WAIT).assertFailedWith(PluginResourceLimitException.class);
        meter.close();

        // The caller hears of the breach first; the interrupt and the replacement follow right after.
        await().atMost(WAIT).until(() -> workers.stuck() == 1);
        assertThat(quickCall()).as("the only worker is stuck, a replacement serves").isEqualTo("ok");
        assertThat(watchdog.watchedCalls()).isEqualTo(1);

        release.set(true);
        await().atMost(WAIT).until(() -> workers.stuck() == 0 && watchdog.watchedCalls() == 0);
    }

    @Test
    void timedOutCallThatSleepsIsInterruptedAndItsWorkerFreed() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofSeconds(30), false);
        CallMeter meter = meter(CallBudget.NONE);
        AtomicBoolean interrupted = new AtomicBoolean();
        UniAssertSubscriber<Object> caller = run(meter, () -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return "woken";
        });
        await().atMost(WAIT).until(() -> workers.poolSize() == 1);
        assertThat(watchdog.watchedCalls()).as("a call without budget is not sampled").isZero();
        meter.abandon(); // what the dispatcher does on a timeout
        await().atMost(WAIT).untilTrue(interrupted);
        caller.awaitItem(WAIT);
        meter.close();
        await().atMost(WAIT).until(() -> workers.stuck() == 0 && watchdog.watchedCalls() == 0);
    }

    @Test
    void streamBudgetCoversEveryRequestAndABreachFailsTheStream() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        CallMeter meter = meter(new CallBudget(40, 0));
        Multi<Integer> chunks = Multi.createFrom().<Integer>emitter(e -> {
            spinForEver();
        }).runSubscriptionOn(meter);
        AssertSubscriber<Integer> sub = meter.guard(chunks).subscribe().withSubscriber(AssertSubscriber.create(1));
        sub.awaitFailure(WAIT).assertFailedWith(PluginResourceLimitException.class, "CPU budget");
        meter.close();
        await().atMost(WAIT).until(() -> workers.stuck() == 0 && watchdog.watchedCalls() == 0);
    }

    @Test
    void streamWithinBudgetCompletesNormally() {
        watchdog = new ResourceWatchdog(Duration.ofMillis(5), Duration.ofMillis(50), true);
        CallMeter meter = meter(new CallBudget(5_000, 512));
        AssertSubscriber<Integer> sub = meter.guard(Multi.createFrom().range(0, 5).runSubscriptionOn(meter))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        sub.awaitCompletion(WAIT).assertItems(0, 1, 2, 3, 4);
        meter.close();
        await().atMost(WAIT).until(() -> watchdog.watchedCalls() == 0);
    }

    private CallMeter meter(CallBudget budget) {
        return new CallMeter(workers, budget, "unit", "spin", watchdog);
    }

    private UniAssertSubscriber<Object> run(CallMeter meter, java.util.function.Supplier<Object> body) {
        return meter.guard(Uni.createFrom().item(body).runSubscriptionOn(meter))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private Object spinForEver() {
        while (true) {
            sink++;
        }
    }

    private Object quickCall() {
        return Uni.createFrom().item("ok").runSubscriptionOn(meter(CallBudget.NONE)).await().atMost(WAIT);
    }
}
