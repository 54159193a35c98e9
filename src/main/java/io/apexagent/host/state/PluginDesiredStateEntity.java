package io.apexagent.host.state;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Row of {@code plugin_desired_state}: the cluster's intent for one plugin, which every replica
 * applies on start and when an admin command arrives. Persistence model only; never sent over the wire.
 */
@Entity
@Table(name = "plugin_desired_state")
public class PluginDesiredStateEntity extends PanacheEntityBase {

    @Id
    @Column(name = "plugin_id", length = 128)
    public String pluginId;

    @Column(nullable = false)
    public boolean enabled;

    @Column(nullable = false)
    public boolean paused;

    @Column(name = "pinned_version", length = 64)
    public String pinnedVersion;

    @Column(name = "updated_by", length = 256)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Optimistic lock: a concurrent writer fails instead of silently overwriting. */
    @Version
    public long version;
}
