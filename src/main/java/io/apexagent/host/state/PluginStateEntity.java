package io.apexagent.host.state;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * Row of {@code plugin_state}: one plugin's state as Vault Transit ciphertext, with its schema version and
 * the pre-migration snapshot. Persistence model only; never sent over the wire.
 */
@Entity
@Table(name = "plugin_state")
public class PluginStateEntity {

    @Id
    @Column(name = "plugin_id", length = 128)
    public String pluginId;

    @Column(name = "schema_version", nullable = false)
    public int schemaVersion;

    @Column(name = "plugin_version", nullable = false, length = 64)
    public String pluginVersion;

    /** Transit ciphertext ({@code vault:v<n>:...}) of the state's JSON; never plaintext. */
    @Column(nullable = false, columnDefinition = "text")
    public String data;

    @Column(nullable = false)
    public boolean encrypted;

    /** Size of the plaintext JSON in bytes (what the size limit applies to). */
    @Column(name = "size_bytes", nullable = false)
    public int sizeBytes;

    /** Ciphertext of the state as it was before the last migration (or forced downgrade). */
    @Column(name = "previous_data", columnDefinition = "text")
    public String previousData;

    @Column(name = "previous_schema_version")
    public Integer previousSchemaVersion;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Optimistic lock: a concurrent writer fails instead of silently overwriting. */
    @Version
    public long version;
}
