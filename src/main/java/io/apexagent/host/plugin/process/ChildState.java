package io.apexagent.host.plugin.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.apexagent.host.plugin.process.child.Wire;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginSecurityException;
import io.apexagent.plugin.PluginStateException;
import io.smallrye.mutiny.Uni;

/**
 * The state of an out-of-process plugin, held on the host as a JSON map. The child reads and changes it by
 * key ({@code state.*} calls); every change is saved at once through the plugin's own {@code
 * context.state()}, so state_access, the operator's policy, encryption and the size limit apply as for an
 * in-process plugin, and the host's state service restores, migrates and hands it over like any snapshot.
 * Its JSON is kept within {@code maxBytes} (a change beyond is refused before it is applied), because a
 * {@code state.get} answers it in one reply. Thread-safe.
 */
final class ChildState {

    private final String pluginId;
    private final int maxBytes;
    private Map<String, Object> values = new HashMap<>();

    ChildState(String pluginId, int maxBytes) {
        this.pluginId = pluginId;
        this.maxBytes = maxBytes;
    }

    /** @return the value of a key, or the whole state when {@code key} is null */
    synchronized Object get(PluginContext context, String key) {
        requireGranted(context);
        return key == null ? new HashMap<>(values) : values.get(key);
    }

    /** @return the keys, sorted */
    synchronized List<String> keys(PluginContext context) {
        requireGranted(context);
        return values.keySet().stream().sorted().toList();
    }

    /** Sets a key (or, with a null key, the whole state) and saves. */
    @SuppressWarnings("unchecked")
    Uni<Void> put(PluginContext context, String key, Object value) {
        synchronized (this) {
            requireGranted(context);
            Map<String, Object> next = key == null ? new HashMap<>((Map<String, Object>) value) : new HashMap<>(values);
            if (key != null) {
                next.put(key, value);
            }
            values = withinLimit(next);
        }
        return context.state().save();
    }

    /** Removes a key and saves. */
    Uni<Void> delete(PluginContext context, String key) {
        synchronized (this) {
            requireGranted(context);
            Map<String, Object> next = new HashMap<>(values);
            next.remove(key);
            values = next;
        }
        return context.state().save();
    }

    /** @return a copy for the host's state service */
    synchronized Map<String, Object> snapshot() {
        return new HashMap<>(values);
    }

    /** Takes the state the host's state service restored. */
    synchronized void restore(Map<String, Object> state) {
        values = new HashMap<>(state);
    }

    private Map<String, Object> withinLimit(Map<String, Object> next) {
        int size = Wire.bytes(next).length;
        if (size > maxBytes) {
            throw new PluginStateException(pluginId, "plugin " + pluginId + ": its state would take " + size
                    + " bytes of JSON, more than " + maxBytes + " (apex.plugins.process.max-reply-bytes); the change "
                    + "was not applied", null);
        }
        return next;
    }

    /**
     * Without state_access, the context's own store refuses: its message and security event are the ones an
     * in-process plugin would cause. The refusal happens before anything is saved.
     */
    private static void requireGranted(PluginContext context) {
        if (!context.grantedPermissions().contains(Permission.STATE_ACCESS)) {
            context.state().save();
            throw new PluginSecurityException(context.metadata().id(), "plugin " + context.metadata().id()
                    + " may not use its state: permission state_access is not granted", null);
        }
    }
}
