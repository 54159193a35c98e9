package io.apexagent.host.api;

import java.time.OffsetDateTime;

import io.apexagent.host.state.StateMeta;

/** Wire form of {@code GET /plugins/{id}/state/meta}: what is stored, never the data. */
public record PluginStateMetaView(String pluginId, int schemaVersion, String pluginVersion, int sizeBytes,
        OffsetDateTime updatedAt, boolean encrypted, int keyVersion, Integer previousSchemaVersion,
        boolean savePending) {

    static PluginStateMetaView of(StateMeta m) {
        return new PluginStateMetaView(m.pluginId(), m.schemaVersion(), m.pluginVersion(), m.sizeBytes(),
                m.updatedAt(), m.encrypted(), m.keyVersion(), m.previousSchemaVersion(), m.savePending());
    }
}
