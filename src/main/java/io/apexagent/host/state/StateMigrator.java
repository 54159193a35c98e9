package io.apexagent.host.state;

import java.util.Map;

import io.apexagent.plugin.PluginStateException;

/** Migrates stored state step by step (1→2→3) with the plugin's own {@code migrate(from, data)}. Stateless. */
final class StateMigrator {

    /** One migration step of a plugin: state of {@code from} in, state of {@code from + 1} out. */
    @FunctionalInterface
    interface Step {
        Map<String, Object> apply(int from, Map<String, Object> data);
    }

    private StateMigrator() {
    }

    /**
     * @param pluginId for messages
     * @param from     the stored schema version
     * @param to       the plugin's schema version (greater than {@code from})
     * @param data     state in the layout of {@code from}
     * @param step     the plugin's migration
     * @return state in the layout of {@code to}
     * @throws PluginStateException naming the step that failed; nothing is written then
     */
    static Map<String, Object> migrate(String pluginId, int from, int to, Map<String, Object> data, Step step) {
        Map<String, Object> current = data;
        for (int v = from; v < to; v++) {
            try {
                current = step.apply(v, current);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginStateException(pluginId, "migration of the state of plugin " + pluginId + " from schema"
                        + " version " + from + " to " + to + " failed at step " + v + "→" + (v + 1) + ": " + describe(e)
                        + "; the stored state (version " + from + ") is left intact", e);
            }
            if (current == null) {
                throw new PluginStateException(pluginId, "migration of the state of plugin " + pluginId + " failed at step "
                        + v + "→" + (v + 1) + ": migrate(" + v + ", data) returned null; the stored state (version " + from
                        + ") is left intact", null);
            }
        }
        return current;
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
    }
}
