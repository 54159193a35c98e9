package io.apexagent.host.plugin.process;

import java.util.Map;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.plugin.StatefulPlugin;

/**
 * An out-of-process plugin whose manifest asks for state_access: to the host's state service it is a
 * {@link StatefulPlugin} whose snapshot is the state the host holds for the child ({@link ChildState}), so
 * it is restored after initialize, saved on stop and handed over on reload like an in-process plugin's.
 * The restored state is also sent to a child that asks for it in {@code ready} (a Java child whose plugin is
 * a {@code StatefulPlugin} hands it to {@code restoreState}); a failure there fails the load as in process.
 * Migrations between schema versions are not offered to the child: a stored state of an older
 * {@code state_schema_version} fails the load, naming the step. Thread-safe.
 */
final class StatefulProcessPlugin extends ProcessPlugin implements StatefulPlugin {

    private final int schemaVersion;

    StatefulProcessPlugin(String pluginId, ChildConnection connection, ApexConfig.Process config, int schemaVersion) {
        super(pluginId, connection, config);
        this.schemaVersion = schemaVersion;
    }

    @Override
    public Map<String, Object> snapshotState() {
        return state().snapshot();
    }

    @Override
    public void restoreState(Map<String, Object> restored) {
        state().restore(restored);
        sendRestoredState(restored);
    }

    @Override
    public int stateSchemaVersion() {
        return schemaVersion;
    }
}
