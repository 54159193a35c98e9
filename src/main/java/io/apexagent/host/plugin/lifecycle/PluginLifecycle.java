package io.apexagent.host.plugin.lifecycle;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

import io.apexagent.plugin.PluginLifecycleException;

/**
 * The state of one plugin version, changed only through the transition table. An illegal transition
 * throws {@link PluginLifecycleException} and leaves the state as it was. Thread-safe.
 */
public final class PluginLifecycle {

    private final String pluginId;
    private final String version;
    private final String nodeId;
    private final Consumer<LifecycleEvent> listener;
    private final Clock clock;
    private PluginState state = PluginState.DISCOVERED;
    private String reason = "discovered";

    /**
     * @param listener receives every transition (called while holding this object's lock: keep it fast)
     */
    public PluginLifecycle(String pluginId, String version, String nodeId, Consumer<LifecycleEvent> listener,
            Clock clock) {
        this.pluginId = Objects.requireNonNull(pluginId);
        this.version = Objects.requireNonNull(version);
        this.nodeId = nodeId;
        this.listener = listener;
        this.clock = clock;
    }

    /** @return current state */
    public synchronized PluginState state() {
        return state;
    }

    /** @return the reason of the last transition */
    public synchronized String reason() {
        return reason;
    }

    /**
     * Moves to {@code to}, or throws when the table forbids it.
     *
     * @param to     target state
     * @param reason why, shown to operators and auditors
     * @return the event that was emitted
     */
    public synchronized LifecycleEvent transition(PluginState to, String reason) {
        if (!LifecycleTransitions.allowed(state, to)) {
            throw new PluginLifecycleException(pluginId, "plugin " + pluginId + " " + version + " cannot go from "
                    + state + " to " + to + " (allowed from " + state + ": " + LifecycleTransitions.targets(state) + ")",
                    null);
        }
        LifecycleEvent event = new LifecycleEvent(pluginId, version, state, to, reason, nodeId, clock.instant());
        state = to;
        this.reason = reason;
        listener.accept(event);
        return event;
    }

    /**
     * Moves to {@code to} only if the current state is {@code expected}.
     *
     * @return whether the transition happened
     */
    public synchronized boolean transitionIf(PluginState expected, PluginState to, String reason) {
        if (state != expected) {
            return false;
        }
        transition(to, reason);
        return true;
    }

    /** Moves to FAILED (always legal) with the reason. */
    public synchronized LifecycleEvent fail(String reason) {
        return transition(PluginState.FAILED, reason);
    }
}
