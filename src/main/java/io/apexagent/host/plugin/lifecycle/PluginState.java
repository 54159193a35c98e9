package io.apexagent.host.plugin.lifecycle;

/**
 * The nine states of one plugin version. Which state may follow which is data: see
 * {@link LifecycleTransitions}.
 */
public enum PluginState {
    /** Manifest found and valid; no code loaded. */
    DISCOVERED,
    /** Class loader built and plugin class instantiated. */
    LOADED,
    /** {@code initialize(context)} completed (and state restored). */
    INITIALIZED,
    /** Serving actions and events. */
    ACTIVE,
    /** Loaded and initialized, but refusing actions with a "paused" error until resumed. */
    PAUSED,
    /** Draining in-flight calls and running {@code shutdown()}. */
    STOPPING,
    /** Shut down; code still loaded, can start again or be unloaded. */
    STOPPED,
    /** Class loader released. */
    UNLOADED,
    /** Something went wrong; the reason says what. Reload or unload to leave. */
    FAILED;

    /** @return whether the plugin can serve actions in this state */
    public boolean serving() {
        return this == ACTIVE;
    }
}
