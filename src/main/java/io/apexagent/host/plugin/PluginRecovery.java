package io.apexagent.host.plugin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.smallrye.mutiny.Uni;

/**
 * Starts plugins whose code failed to load or initialize, or whose circuit breaker opened, again later, with exponential backoff, up to
 * a number of attempts; after that they stay Failed until an operator acts. Other plugins are never
 * affected. Thread-safe.
 */
final class PluginRecovery implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginRecovery.class);

    private final ApexConfig.Recovery config;
    private final Function<String, PluginSnapshot> snapshot;
    private final StartOperation start;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = DaemonThreads.timer("plugin-recovery");

    /** How recovery starts a plugin (the manager's serialized start). */
    interface StartOperation {
        Uni<PluginSnapshot> start(String id, String reason);
    }

    PluginRecovery(ApexConfig.Recovery config, Function<String, PluginSnapshot> snapshot, StartOperation start) {
        this.config = config;
        this.snapshot = snapshot;
        this.start = start;
    }

    /** Called when a plugin's code failed to load or initialize, or its circuit breaker opened. */
    void failed(String id) {
        if (!config.enabled()) {
            return;
        }
        int attempt = attempts.merge(id, 1, Integer::sum);
        if (attempt > config.maxAttempts()) {
            LOG.warnf("plugin %s failed %d automatic recoveries; it stays FAILED until an operator reloads it",
                    id, config.maxAttempts());
            attempts.remove(id);
            return;
        }
        Duration delay = backoff(attempt);
        LOG.infof("plugin %s failed; automatic recovery attempt %d of %d in %d ms", id, attempt, config.maxAttempts(),
                delay.toMillis());
        timer.schedule(() -> retry(id, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets past failures of a plugin (an operator acted, or it recovered). */
    void reset(String id) {
        attempts.remove(id);
    }

    /** @return automatic restarts of the plugin counted now (0 once forgotten) */
    int attempts(String id) {
        return attempts.getOrDefault(id, 0);
    }

    Duration backoff(int attempt) {
        Duration d = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    private void retry(String id, int attempt) {
        if (snapshot.apply(id).state() != PluginState.FAILED) {
            attempts.remove(id);
            return; // an operator or a reload got there first
        }
        // Failures re-enter through failed(id), called by the registry: nothing to do on failure here.
        start.start(id, "automatic recovery, attempt " + attempt + " of " + config.maxAttempts())
                .subscribe().with(ok -> forgetWhenHealthy(id, attempt), failure -> { });
    }

    /** Forgets the attempts once the recovered plugin has served for a while without failing again. */
    private void forgetWhenHealthy(String id, int attempt) {
        timer.schedule(() -> {
            if (snapshot.apply(id).state() != PluginState.FAILED) {
                attempts.remove(id, attempt);
            }
        }, config.healthyAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
