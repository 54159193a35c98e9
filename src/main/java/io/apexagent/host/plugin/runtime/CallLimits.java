package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.PluginTransientException;
import io.smallrye.mutiny.Uni;

/**
 * The limits every action call runs under besides its time limit: budgets (a {@link CallMeter} per call,
 * sampled by the {@link ResourceWatchdog}), retries of transient errors, and the per-plugin circuit breaker
 * whose opening is handed to the plugin manager. Thread-safe.
 */
public final class CallLimits implements AutoCloseable {

    /** Told when a plugin version's breaker opened; it should move the version to FAILED. */
    public interface BreakerListener extends BiConsumer<ManagedPlugin, String> {
    }

    private final ApexConfig.Plugins config;
    private final ResourceWatchdog watchdog;
    private final BreakerListener onOpen;

    public CallLimits(ApexConfig.Plugins config, BreakerListener onOpen) {
        this.config = config;
        this.onOpen = onOpen;
        this.watchdog = new ResourceWatchdog(config.limits().sampleInterval(), config.limits().runawayGrace(),
                config.limits().stopRunawayThreads());
    }

    /** @return the budget a call of {@code plugin} runs under */
    public CallBudget budgetOf(ManagedPlugin plugin) {
        return CallBudget.of(plugin.manifest(), config.limits());
    }

    /** @return the timer for calls' time limits (see {@link ResourceWatchdog#timeouts()}) */
    ScheduledExecutorService timeouts() {
        return watchdog.timeouts();
    }

    /** @return a new meter for one call */
    CallMeter meter(ManagedPlugin plugin, String action) {
        return new CallMeter(plugin.workers(), budgetOf(plugin), plugin.id(), action, watchdog);
    }

    /**
     * Retries transient failures of a non-streaming call with exponential backoff. Mutiny's retry with backoff
     * builds a stream pipeline at every subscription; it is only built after a first transient failure, so a
     * call that succeeds pays for one operator.
     *
     * @param attempts attempts in all, see {@link #transientAttempts}
     */
    <T> Uni<T> retryTransient(Uni<T> call, int attempts) {
        if (attempts <= 1) {
            return call;
        }
        return call.onFailure(PluginTransientException.class)
                .recoverWithUni(first -> retried(call, attempts, config.transientRetry()));
    }

    /**
     * @return the attempts of a plugin's calls: its manifest's {@code limits.transient_attempts}, else
     *         {@code apex.plugins.transient-retry.attempts}
     */
    int transientAttempts(PluginManifest.Limits declared) {
        return declared.transientAttempts() > 0 ? declared.transientAttempts() : config.transientRetry().attempts();
    }

    /** The second and later attempts: the first backoff, then Mutiny's retry doubling from there. */
    private static <T> Uni<T> retried(Uni<T> call, int attempts, ApexConfig.TransientRetry retry) {
        Duration next = retry.backoff().multipliedBy(2);
        Uni<T> rest = attempts == 2 ? call : call.onFailure(PluginTransientException.class).retry()
                .withBackOff(next.compareTo(retry.maxBackoff()) < 0 ? next : retry.maxBackoff(), retry.maxBackoff())
                .atMost(attempts - 2L);
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(retry.backoff())
                .chain(() -> rest);
    }

    /**
     * A call failed: a timed-out call is abandoned (its worker interrupted), and a fault counts towards the
     * plugin's breaker.
     */
    void failed(ManagedPlugin plugin, CallMeter meter, Throwable failure) {
        if (failure instanceof PluginTimeoutException) {
            meter.abandon();
        }
        ApexConfig.Breaker breaker = config.breaker();
        if (breaker.enabled() && CircuitBreaker.isFault(failure)
                && plugin.breaker().record(System.nanoTime(), breaker.failures(), breaker.window())) {
            onOpen.accept(plugin, "circuit breaker opened: " + breaker.failures() + " faults within "
                    + breaker.window().toSeconds() + " s (apex.plugins.breaker); last: " + failure.getMessage());
        }
    }

    /** @return calls the watchdog is sampling or waiting for now */
    public int watchedCalls() {
        return watchdog.watchedCalls();
    }

    @Override
    public void close() {
        watchdog.close();
    }
}
