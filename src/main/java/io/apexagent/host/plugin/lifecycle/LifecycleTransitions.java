package io.apexagent.host.plugin.lifecycle;

import static io.apexagent.host.plugin.lifecycle.PluginState.ACTIVE;
import static io.apexagent.host.plugin.lifecycle.PluginState.DISCOVERED;
import static io.apexagent.host.plugin.lifecycle.PluginState.FAILED;
import static io.apexagent.host.plugin.lifecycle.PluginState.INITIALIZED;
import static io.apexagent.host.plugin.lifecycle.PluginState.LOADED;
import static io.apexagent.host.plugin.lifecycle.PluginState.PAUSED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPING;
import static io.apexagent.host.plugin.lifecycle.PluginState.UNLOADED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle transition table. Every state may go to FAILED; the rest is listed here:
 * <pre>
 * DISCOVERED  → LOADED | UNLOADED
 * LOADED      → INITIALIZED | UNLOADED
 * INITIALIZED → ACTIVE | STOPPING
 * ACTIVE      → PAUSED | STOPPING
 * PAUSED      → ACTIVE | STOPPING
 * STOPPING    → STOPPED
 * STOPPED     → LOADED (start again) | UNLOADED
 * UNLOADED    → LOADED
 * FAILED      → LOADED (reload) | UNLOADED
 * </pre>
 */
public final class LifecycleTransitions {

    private static final Map<PluginState, Set<PluginState>> ALLOWED = new EnumMap<>(PluginState.class);

    static {
        ALLOWED.put(DISCOVERED, EnumSet.of(LOADED, UNLOADED));
        ALLOWED.put(LOADED, EnumSet.of(INITIALIZED, UNLOADED));
        ALLOWED.put(INITIALIZED, EnumSet.of(ACTIVE, STOPPING));
        ALLOWED.put(ACTIVE, EnumSet.of(PAUSED, STOPPING));
        ALLOWED.put(PAUSED, EnumSet.of(ACTIVE, STOPPING));
        ALLOWED.put(STOPPING, EnumSet.of(STOPPED));
        ALLOWED.put(STOPPED, EnumSet.of(LOADED, UNLOADED));
        ALLOWED.put(UNLOADED, EnumSet.of(LOADED));
        ALLOWED.put(FAILED, EnumSet.of(LOADED, UNLOADED));
        ALLOWED.values().forEach(targets -> targets.add(FAILED));
    }

    private LifecycleTransitions() {
    }

    /** @return whether {@code from → to} is a legal transition */
    public static boolean allowed(PluginState from, PluginState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @return the states that may follow {@code from} */
    public static Set<PluginState> targets(PluginState from) {
        return EnumSet.copyOf(ALLOWED.get(from));
    }
}
