package io.apexagent.host.messaging.actions;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * The {@link InFlightPermits} of the plugin instance serving each plugin id: as many permits as that instance's
 * capacity (its {@code limits.max_concurrency}, or the host default, plus the worker queue). One entry per known
 * plugin: a reload replaces the entry (calls still running on the old instance release into the permits they
 * took), and a request for an unknown plugin gets none, so ids sent by clients cannot make the map grow.
 * Thread-safe.
 */
final class PluginAdmissions {

    /** Permits of one loaded instance, told apart by its manifest object (a reload, even of one version, makes a new one). */
    private record Held(PluginManifest serving, InFlightPermits permits) {
    }

    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
    private final Function<String, PluginManifest> servingNow;
    private final int defaultConcurrency;
    private final int queueSize;

    /** @param servingNow the manifest serving a plugin id now (null if none): a stale caller never replaces it */
    PluginAdmissions(Function<String, PluginManifest> servingNow, int defaultConcurrency, int queueSize) {
        this.servingNow = servingNow;
        this.defaultConcurrency = defaultConcurrency;
        this.queueSize = queueSize;
    }

    /**
     * @param serving the manifest of the instance serving {@code pluginId} now, or null when the plugin is unknown
     * @return that instance's permits, or null for an unknown plugin (its call fails at once and needs none)
     */
    InFlightPermits of(String pluginId, PluginManifest serving) {
        if (serving == null) {
            return null;
        }
        Held current = held.get(pluginId);
        if (current != null && current.serving() == serving) {
            return current.permits();
        }
        // A request that looked its plugin up just before a reload holds the old manifest: it shares the new
        // instance's permits rather than replacing them (the next request would replace them back, each time with
        // fresh permits, and the plugin would be handed more calls than it takes).
        return held.compute(pluginId, (id, old) -> old != null
                && (old.serving() == serving || servingNow.apply(id) != serving) ? old
                        : new Held(serving, new InFlightPermits(capacityOf(serving)))).permits();
    }

    /** @return plugins holding permits now */
    int plugins() {
        return held.size();
    }

    /** The calls a plugin takes at once without refusing: its workers plus their queue. */
    private int capacityOf(PluginManifest serving) {
        int workers = serving.limits() != null && serving.limits().maxConcurrency() > 0
                ? serving.limits().maxConcurrency() : defaultConcurrency;
        return workers + queueSize;
    }
}
