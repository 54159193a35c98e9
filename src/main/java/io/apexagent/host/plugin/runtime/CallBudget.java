package io.apexagent.host.plugin.runtime;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * The CPU time and allocation one action call may use on its plugin's workers; 0 means "no budget".
 *
 * @param cpuMs   CPU time in ms ({@code limits.cpu_ms})
 * @param allocMb allocated memory in MiB ({@code limits.alloc_mb})
 */
public record CallBudget(long cpuMs, long allocMb) {

    /** No budget: calls are not sampled by the watchdog. */
    public static final CallBudget NONE = new CallBudget(0, 0);

    /** The budget of a plugin: operator override, else manifest, else host default (see {@link ApexConfig.Limits}). */
    public static CallBudget of(PluginManifest manifest, ApexConfig.Limits config) {
        ApexConfig.PluginLimits override = config.perPlugin().get(manifest.id());
        long cpu = override != null && override.cpuMs().isPresent() ? override.cpuMs().get()
                : firstPositive(manifest.limits().cpuMs(), config.defaultCpuMs());
        long alloc = override != null && override.allocMb().isPresent() ? override.allocMb().get()
                : firstPositive(manifest.limits().allocMb(), config.defaultAllocMb());
        return new CallBudget(Math.max(0, cpu), Math.max(0, alloc));
    }

    /** @return whether any budget applies (only then are calls measured) */
    public boolean limited() {
        return cpuMs > 0 || allocMb > 0;
    }

    long cpuNanos() {
        return cpuMs * 1_000_000L;
    }

    long allocBytes() {
        return allocMb * 1024L * 1024L;
    }

    private static long firstPositive(long manifest, long fallback) {
        return manifest > 0 ? manifest : fallback;
    }
}
