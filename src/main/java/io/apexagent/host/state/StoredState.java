package io.apexagent.host.state;

import java.time.OffsetDateTime;

/**
 * A {@code plugin_state} row as read: its decrypted JSON plus what the row says about it.
 *
 * @param pluginId              the plugin
 * @param pluginVersion         the plugin version that wrote it
 * @param schemaVersion         the layout version of the state
 * @param json                  the decrypted JSON
 * @param ciphertext            the row's data as stored
 * @param sizeBytes             plaintext size
 * @param previousSchemaVersion version of the kept pre-migration snapshot, or null
 * @param updatedAt             when it was written
 * @param rowVersion            the optimistic-lock version
 */
public record StoredState(String pluginId, String pluginVersion, int schemaVersion, String json, String ciphertext,
        int sizeBytes, Integer previousSchemaVersion, OffsetDateTime updatedAt, long rowVersion) {
}
