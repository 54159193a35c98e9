package io.apexagent.host.messaging.actions;

import java.time.Duration;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.ActionResult;
import io.apexagent.host.plugin.PluginManager;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.runtime.PluginBusyException;
import io.apexagent.plugin.ActionChunk;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Plugin calls of Kafka-sourced requests. Kafka is itself the queue, so such a call waits for the plugin
 * instead of failing with "busy": at most the plugin's capacity (its {@code limits.max_concurrency}, or the
 * host default, plus the worker queue) of them are handed to the plugin at once, the rest wait here, still
 * counted as in flight by the request consumer ({@link RequestPoller}), which back-pressures it. A call still refused as busy
 * ({@link PluginBusyException}: REST calls share the workers) is retried with a short backoff, and counted. While a
 * call runs, its lease is renewed.
 * Thread-safe.
 */
final class KafkaPluginCalls {

    private static final Duration FIRST_BUSY_PAUSE = Duration.ofMillis(5);
    private static final Duration LAST_BUSY_PAUSE = Duration.ofMillis(200);

    private final PluginManager plugins;
    private final LeaseKeeper leases;
    private final PluginAdmissions admissions;
    private final Backoff whileBusy = new Backoff(FIRST_BUSY_PAUSE, LAST_BUSY_PAUSE);
    private final Runnable refusedAsBusy;

    /** @param refusedAsBusy told of each call the plugin refused as busy (it is retried) */
    KafkaPluginCalls(PluginManager plugins, LeaseKeeper leases, ApexConfig.Plugins config, Runnable refusedAsBusy) {
        this.plugins = plugins;
        this.leases = leases;
        this.refusedAsBusy = refusedAsBusy;
        this.admissions = new PluginAdmissions(plugins::servingManifest, config.defaultMaxConcurrency(),
                config.queueSize());
    }

    /** Runs a non-streaming action of {@code serving} (null when the plugin is unknown: the call reports it). */
    Uni<ActionResult> execute(ActionRequest request, PluginManifest serving) {
        InFlightPermits admission = admissions.of(request.pluginId(), serving);
        Uni<ActionResult> call = whileBusy.retry(Uni.createFrom().deferred(() -> plugins.execute(request.pluginId(),
                request.action(), request.params())), KafkaPluginCalls::busy, e -> refusedAsBusy.run());
        if (admission == null) {
            // Unknown when looked up: the call fails at once, unless the plugin was loaded since (then it runs leased).
            return WithoutContextPropagation.get(() -> leases.whileRunning(request.requestId(), call));
        }
        return admission.whileHeld(() -> WithoutContextPropagation.get(() -> leases.whileRunning(request.requestId(),
                call)));
    }

    /** Streams a streaming action of {@code serving}. */
    Multi<ActionChunk> stream(ActionRequest request, PluginManifest serving) {
        InFlightPermits admission = admissions.of(request.pluginId(), serving);
        Multi<ActionChunk> call = retriedWhileBusy(Multi.createFrom().deferred(() -> plugins.stream(request.pluginId(),
                request.action(), request.params())), refusedAsBusy);
        if (admission == null) {
            return leases.whileStreaming(request.requestId(), call);
        }
        return admission.whileHeldStreaming(() -> leases.whileStreaming(request.requestId(), call));
    }

    /**
     * @return {@code call}, subscribed to again after a short pause each time the plugin refuses it as busy, which
     *         {@code refused} is told of
     */
    static <T> Multi<T> retriedWhileBusy(Multi<T> call, Runnable refused) {
        return call.onFailure(KafkaPluginCalls::busy).invoke(refused)
                .onFailure(KafkaPluginCalls::busy).retry().withBackOff(FIRST_BUSY_PAUSE, LAST_BUSY_PAUSE).indefinitely();
    }

    /** The plugin's workers and queue are full: a state that passes, unlike paused, failed or stopping. */
    private static boolean busy(Throwable e) {
        return e instanceof PluginBusyException;
    }
}
