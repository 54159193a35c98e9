package io.apexagent.host.plugin.discovery;

import java.util.List;

import io.apexagent.plugin.PluginDependencyException;

/**
 * Why one plugin cannot be loaded, as found by the {@link DependencyResolver}.
 *
 * @param pluginId the plugin that fails
 * @param version  its chosen version, or null when no version could be chosen
 * @param kind     the kind of failure
 * @param chain    the ids concerned, starting with {@code pluginId}: the cycle ({@code a, b, c, a}) or the
 *                 dependency path to the plugin that failed first ({@code a, b, c})
 * @param message  what is wrong and what would fix it
 */
public record DependencyFailure(String pluginId, String version, Kind kind, List<String> chain, String message) {

    /** The kinds of dependency failure. */
    public enum Kind {
        /** A required plugin is not installed at all. */
        MISSING,
        /** A required plugin is installed, but no chosen version satisfies the range asked for. */
        INCOMPATIBLE,
        /** The plugin is part of a cycle of required dependencies. */
        CYCLE,
        /** A plugin it requires (directly or further down) failed. */
        TRANSITIVE,
        /** The operator pinned a version that is not installed, or that is not a semantic version. */
        PIN,
        /** The chosen version was found in more than one folder. */
        DUPLICATE
    }

    public DependencyFailure {
        chain = List.copyOf(chain);
    }

    /** @return the chain joined as {@code a -> b -> c} */
    public String chainText() {
        return String.join(" -> ", chain);
    }

    /** @return this failure as the SDK's exception, for lifecycle events and the REST layer */
    public PluginDependencyException toException() {
        return new PluginDependencyException(pluginId, message, null);
    }
}
