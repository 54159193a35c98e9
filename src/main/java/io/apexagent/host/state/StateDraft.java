package io.apexagent.host.state;

/**
 * A snapshot of a plugin's state, serialized and ready to be written; {@code sequence} orders the
 * snapshots of one replica so that an older one never replaces a newer one.
 *
 * @param pluginId      the plugin
 * @param pluginVersion the plugin version that took it
 * @param schemaVersion the layout version of the state
 * @param json          the state as JSON (plaintext: it only lives in memory)
 * @param sequence      increasing per replica
 */
public record StateDraft(String pluginId, String pluginVersion, int schemaVersion, String json, long sequence) {

    /** @return the JSON's size in bytes */
    public int sizeBytes() {
        return StateCodec.sizeOf(json);
    }
}
