package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginUnavailableException;

/** Spinning workers must never cost a wake-up that is due: every call runs, concurrently, and busy still refuses. */
class SpinThenParkQueueTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    PluginWorkers workers;

    @AfterEach
    void close() {
        if (workers != null) {
            workers.interruptAll();
        }
    }

    @Test
    void callsFromManyThreadsAllRunWhileOneWorkerSpinsAndTheOthersPark() throws Exception {
        workers = new PluginWorkers("unit", "1.0.0", 4, 10_000, Duration.ofMillis(1));
        AtomicInteger ran = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            for (int c = 0; c < 4; c++) {
                callers.execute(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        workers.execute(ran::incrementAndGet);
                    }
                });
            }
            await().atMost(WAIT).until(() -> ran.get() == 8_000);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aSpinningWorkerDoesNotKeepTheParkedOnesFromRunningCallsAtOnce() throws Exception {
        workers = new PluginWorkers("unit", "1.0.0", 3, 16, Duration.ofMillis(200));
        CountDownLatch warm = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            workers.execute(warm::countDown); // three threads exist; after this one spins, two park
        }
        warm.await(10, TimeUnit.SECONDS);
        CyclicBarrier together = new CyclicBarrier(3);
        AtomicInteger met = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            workers.execute(() -> {
                try {
                    together.await(5, TimeUnit.SECONDS);
                    met.incrementAndGet();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await().atMost(WAIT).until(() -> met.get() == 3);
    }

    @Test
    void afterTheSpinAnIdleWorkerParksAndIsWokenByTheNextCall() throws Exception {
        SpinThenParkQueue queue = new SpinThenParkQueue(4, TimeUnit.MICROSECONDS.toNanos(50));
        long start = System.nanoTime();
        assertThat(queue.poll(20, TimeUnit.MILLISECONDS)).as("nothing came: spin, park, time out").isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));

        CountDownLatch taken = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        await().atMost(WAIT).until(() -> worker.getState() == Thread.State.TIMED_WAITING); // parked
        assertThat(queue.offer(taken::countDown)).isTrue();
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        worker.join(10_000);
    }

    @Test
    void fullPoolAndQueueStillRefuseAsBusy() throws Exception {
        workers = new PluginWorkers("unit", "1.0.0", 1, 1, Duration.ofMillis(1));
        CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> waitFor(release));
        workers.execute(() -> waitFor(release));
        assertThatThrownBy(() -> workers.execute(() -> { })).isInstanceOf(PluginUnavailableException.class)
                .hasMessageContaining("is busy");
        release.countDown();
    }

    @Test
    void segmentsOfRunningCallsDoNotTakeTheQueuePlacesOfNewCalls() throws Exception {
        workers = new PluginWorkers("unit", "1.0.0", 1, 1, Duration.ZERO);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        workers.execute(() -> waitFor(release)); // the only worker is taken
        workers.executeAdmitted(() -> ran.add("segment 1"));
        workers.executeAdmitted(() -> ran.add("segment 2"));
        workers.execute(() -> ran.add("new call")); // the queue's one place for new calls is still free
        assertThatThrownBy(() -> workers.execute(() -> { })).as("a second new call, past the queue of one")
                .isInstanceOf(PluginBusyException.class);
        release.countDown();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ran).containsExactly("segment 1", "segment 2", "new call"));
        workers.execute(() -> ran.add("later call")); // its place was given back when it ran
        await().atMost(WAIT).untilAsserted(() -> assertThat(ran).endsWith("later call"));
    }

    @Test
    void interruptEndsAWorkerWhileItSpins() throws Exception {
        SpinThenParkQueue queue = new SpinThenParkQueue(4, TimeUnit.SECONDS.toNanos(30));
        AtomicInteger interrupted = new AtomicInteger();
        Thread worker = new Thread(() -> {
            try {
                queue.take();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        worker.start();
        await().atMost(WAIT).until(() -> worker.getState() == Thread.State.RUNNABLE);
        worker.interrupt();
        worker.join(10_000);
        assertThat(interrupted).hasValue(1);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
