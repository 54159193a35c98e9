package io.apexagent.host.state;

/**
 * One write of a {@code plugin_state} row.
 *
 * @param pluginId              the plugin
 * @param pluginVersion         the plugin version that wrote it
 * @param schemaVersion         the layout version of the state
 * @param ciphertext            Transit ciphertext of the JSON
 * @param sizeBytes             size of the plaintext JSON
 * @param previousCiphertext    snapshot to keep as the previous one (migrations), or null to leave it as is
 * @param previousSchemaVersion its schema version
 * @param expectedVersion       the row version the writer read (migrations), or null for "whatever is there"
 */
public record StateWrite(String pluginId, String pluginVersion, int schemaVersion, String ciphertext, int sizeBytes,
        String previousCiphertext, Integer previousSchemaVersion, Long expectedVersion) {
}
