package io.apexagent.plugin;

import java.util.Map;

/**
 * A plugin whose state the host persists (encrypted) and restores across restarts, reloads and moves
 * to other replicas. State is a JSON-compatible map tagged with {@link #stateSchemaVersion()}.
 */
public interface StatefulPlugin extends BasePlugin {

    /** @return the current state, JSON-compatible; called on stop, unload, reload and on demand */
    Map<String, Object> snapshotState();

    /**
     * Restores state saved earlier, already migrated to {@link #stateSchemaVersion()}. Called after
     * {@code initialize} and before the first action.
     *
     * @param state the saved state
     */
    void restoreState(Map<String, Object> state);

    /** @return the version of the state layout this code writes; starts at 1 */
    int stateSchemaVersion();

    /**
     * Migrates state one step, from {@code fromVersion} to {@code fromVersion + 1}. The host calls it
     * repeatedly (1→2→3) and keeps the pre-migration snapshot; an exception leaves the old state intact.
     *
     * @param fromVersion the version of {@code data}
     * @param data        state in the layout of {@code fromVersion}
     * @return state in the layout of {@code fromVersion + 1}
     */
    default Map<String, Object> migrate(int fromVersion, Map<String, Object> data) {
        throw new PluginStateException("plugin declares state schema version " + stateSchemaVersion()
                + " but does not implement migrate(" + fromVersion + ", data)");
    }
}
