package io.apexagent.host.plugin;

import io.apexagent.host.plugin.runtime.ManagedPlugin;

/**
 * Where plugin state persistence plugs into the lifecycle. The manager calls these on its lifecycle
 * thread (blocking is allowed there); an implementation is a CDI bean. Without one, state lives only
 * in memory.
 */
public interface PluginStateHooks {

    /**
     * After {@code initialize}, before the version serves: restore its saved (and migrated) state.
     * Throwing fails the version with the exception's message; the stored state stays untouched.
     */
    void restore(ManagedPlugin plugin);

    /**
     * Before {@code shutdown} (stop, unload, the old side of a reload): save its state. Throwing does not
     * block the stop: the error is reported and the plugin stops anyway.
     */
    void save(ManagedPlugin plugin);

    /** No persistence. */
    PluginStateHooks IN_MEMORY = new PluginStateHooks() {
        @Override
        public void restore(ManagedPlugin plugin) {
        }

        @Override
        public void save(ManagedPlugin plugin) {
        }
    };
}
