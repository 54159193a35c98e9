package io.apexagent.host.state;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Row of {@code action_execution}: one action request (idempotency key, status, final result, the node
 * holding its lease). Persistence model only; never sent over the wire.
 */
@Entity
@Table(name = "action_execution")
public class ActionExecutionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "request_id", length = 128)
    public String requestId;

    @Column(name = "plugin_id", nullable = false, length = 128)
    public String pluginId;

    @Column(nullable = false, length = 128)
    public String action;

    /** e.g. RUNNING, SUCCEEDED, FAILED. */
    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "final_result", columnDefinition = "text")
    public String finalResult;

    @Column(name = "node_id", length = 256)
    public String nodeId;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Optimistic lock: a concurrent writer fails instead of silently overwriting. */
    @Version
    public long version;
}
