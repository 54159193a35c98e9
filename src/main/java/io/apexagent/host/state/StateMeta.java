package io.apexagent.host.state;

import java.time.OffsetDateTime;

/**
 * What is stored for one plugin's state, without the data.
 *
 * @param pluginId              the plugin
 * @param schemaVersion         layout version of the stored state
 * @param pluginVersion         plugin version that wrote it
 * @param sizeBytes             size of the plaintext JSON
 * @param updatedAt             when it was written
 * @param encrypted             whether the row holds Transit ciphertext
 * @param keyVersion            Transit key version of the ciphertext (0 when not Transit ciphertext)
 * @param previousSchemaVersion version of the kept pre-migration snapshot, or null
 * @param savePending           whether a newer snapshot waits in memory for PostgreSQL or Vault
 */
public record StateMeta(String pluginId, int schemaVersion, String pluginVersion, int sizeBytes,
        OffsetDateTime updatedAt, boolean encrypted, int keyVersion, Integer previousSchemaVersion,
        boolean savePending) {

    static StateMeta of(PluginStateEntity row, boolean savePending) {
        return new StateMeta(row.pluginId, row.schemaVersion, row.pluginVersion, row.sizeBytes, row.updatedAt,
                row.encrypted, StateCipher.keyVersionOf(row.data), row.previousSchemaVersion, savePending);
    }
}
