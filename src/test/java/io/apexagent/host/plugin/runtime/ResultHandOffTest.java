package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.loader.LoaderSwap;
import io.smallrye.mutiny.Uni;

/** Where a call's result continues: on the worker after the plugin's code, else on a host thread, with the host loader. */
class ResultHandOffTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final ClassLoader host = ResultHandOffTest.class.getClassLoader();
    final URLClassLoader plugin = new URLClassLoader(new URL[0], null);
    final PluginWorkers workers = new PluginWorkers("unit", "1.0.0", 1, 4, Duration.ofMillis(1));
    final ResourceWatchdog watchdog = new ResourceWatchdog(Duration.ofMillis(10), Duration.ofMillis(50), false);
    final ExecutorService hostPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "host-pool"));
    final CallMeter meter = new CallMeter(workers, CallBudget.NONE, "unit", "answer", watchdog);

    @AfterEach
    void close() throws Exception {
        workers.interruptAll();
        watchdog.close();
        hostPool.shutdownNow();
        plugin.close();
    }

    @Test
    void resultEmittedInsideThePluginsCodeContinuesOnItsWorkerOnceThatCodeReturned() throws Exception {
        CompletableFuture<Boolean> pluginCodeStillRunning = new CompletableFuture<>();
        Where where = call(Uni.createFrom().emitter(e -> {
            try (LoaderSwap swap = LoaderSwap.to(plugin)) {
                e.complete("answer");
                pluginCodeStillRunning.complete(true);
            }
        }), handOff(true), pluginCodeStillRunning);

        assertThat(where.thread()).startsWith("plugin-unit@1.0.0-");
        assertThat(where.loader()).isSameAs(host);
        assertThat(where.afterPluginCode()).as("continued after the plugin's code, not inside it").isTrue();
    }

    @Test
    void resultOfACallWithBudgetsContinuesOnTheWorkerToo() throws Exception {
        CallMeter budgeted = new CallMeter(workers, new CallBudget(60_000, 4_096), "unit", "answer", watchdog);
        Where where = budgeted.guard(Uni.createFrom().item((Object) "answer").runSubscriptionOn(budgeted))
                .emitOn(new ResultHandOff(budgeted, new HostLoaderExecutor(hostPool, host), host, true))
                .map(ignored -> new Where(Thread.currentThread().getName(),
                        Thread.currentThread().getContextClassLoader(), true))
                .subscribeAsCompletionStage()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        budgeted.close();

        assertThat(where.thread()).startsWith("plugin-unit@1.0.0-");
    }

    @Test
    void resultEmittedOnAThreadOfThePluginsOwnGoesToAHostThread() throws Exception {
        Uni<Object> elsewhere = Uni.createFrom().emitter(e -> new Thread(() -> {
            try (LoaderSwap swap = LoaderSwap.to(plugin)) {
                e.complete("answer");
            }
        }, "plugins-own").start());
        Where where = call(elsewhere, handOff(true), CompletableFuture.completedFuture(true));

        assertThat(where.thread()).isEqualTo("host-pool");
        assertThat(where.loader()).isSameAs(host);
    }

    @Test
    void aCallThatNeverAnswersTimesOutOnTheWatchdogsTimerAndFailsOnAHostThread() throws Exception {
        CompletableFuture<String> failedOn = new CompletableFuture<>();
        Uni.createFrom().voidItem()
                .chain(() -> Uni.createFrom().deferred(() -> sleepForEver()).runSubscriptionOn(meter))
                .ifNoItem().after(Duration.ofMillis(100)).on(watchdog.timeouts()).fail()
                .emitOn(handOff(true))
                .subscribe().with(item -> failedOn.complete("item"), failure -> failedOn.complete(
                        Thread.currentThread().getName() + ": " + failure.getClass().getSimpleName()));

        assertThat(failedOn.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("host-pool: TimeoutException");
    }

    /** Blocks in the plugin's code before it returns a {@code Uni}: no subscription is signalled from there. */
    private static Uni<Object> sleepForEver() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Uni.createFrom().failure(new InterruptedException());
    }

    @Test
    void whenTurnedOffEveryResultGoesToAHostThread() throws Exception {
        Where where = call(Uni.createFrom().item("answer"), handOff(false), CompletableFuture.completedFuture(true));

        assertThat(where.thread()).isEqualTo("host-pool");
    }

    private ResultHandOff handOff(boolean onWorker) {
        return new ResultHandOff(meter, new HostLoaderExecutor(hostPool, host), host, onWorker);
    }

    /** Thread and context loader the continuation ran with, and whether the plugin's code had returned by then. */
    record Where(String thread, ClassLoader loader, boolean afterPluginCode) {
    }

    private Where call(Uni<Object> pluginCall, Executor handOff, CompletableFuture<Boolean> pluginCodeReturned)
            throws Exception {
        return pluginCall.runSubscriptionOn(meter)
                .emitOn(handOff)
                .map(ignored -> new Where(Thread.currentThread().getName(),
                        Thread.currentThread().getContextClassLoader(), pluginCodeReturned.isDone()))
                .subscribeAsCompletionStage()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
