package io.apexagent.host.plugin.runtime;

import java.util.function.BiConsumer;

import io.apexagent.host.config.ApexConfig;
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

    /** @return a new meter for one call */
    CallMeter meter(ManagedPlugin plugin, String action) {
        return new CallMeter(plugin.workers(), budgetOf(plugin), plugin.id(), action, watchdog);
    }

    /** Retries transient failures of a non-streaming call with exponential backoff. */
    <T> Uni<T> retryTransient(Uni<T> call) {
        ApexConfig.TransientRetry retry = config.transientRetry();
        if (retry.attempts() <= 1) {
            return call;
        }
        return call.onFailure(PluginTransientException.class).retry()
                .withBackOff(retry.backoff(), retry.maxBackoff())
                .atMost(retry.attempts() - 1L);
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
