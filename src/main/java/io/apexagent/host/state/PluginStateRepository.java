package io.apexagent.host.state;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Reads and writes {@code plugin_state} rows; every write is one transaction, guarded by the row's
 * optimistic lock. Must be subscribed on a safe Vert.x duplicated context ({@link VertxContexts}).
 */
@ApplicationScoped
public class PluginStateRepository implements PanacheRepositoryBase<PluginStateEntity, String> {

    /** @return the row, or null */
    public Uni<PluginStateEntity> findState(String pluginId) {
        return Panache.withSession(() -> findById(pluginId));
    }

    /**
     * Inserts or updates the row of {@code write.pluginId()}.
     *
     * @return the row as committed
     * @throws OptimisticLockException (in the Uni) when the row is not at {@code write.expectedVersion()}, or
     *                                 another writer commits first
     */
    public Uni<PluginStateEntity> write(StateWrite write) {
        return Panache.withTransaction(() -> findById(write.pluginId())
                .map(row -> apply(row, write))
                .flatMap(this::persist));
    }

    /** @return whether a row was deleted */
    public Uni<Boolean> deleteState(String pluginId) {
        return Panache.withTransaction(() -> deleteById(pluginId));
    }

    private static PluginStateEntity apply(PluginStateEntity existing, StateWrite write) {
        if (write.expectedVersion() != null
                && (existing == null || existing.version != write.expectedVersion())) {
            throw new OptimisticLockException("plugin_state row of " + write.pluginId() + " is at version "
                    + (existing == null ? "none" : existing.version) + ", expected " + write.expectedVersion());
        }
        PluginStateEntity row = existing != null ? existing : new PluginStateEntity();
        row.pluginId = write.pluginId();
        row.pluginVersion = write.pluginVersion();
        row.schemaVersion = write.schemaVersion();
        row.data = write.ciphertext();
        row.encrypted = true;
        row.sizeBytes = write.sizeBytes();
        if (write.previousCiphertext() != null) {
            row.previousData = write.previousCiphertext();
            row.previousSchemaVersion = write.previousSchemaVersion();
        }
        row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return row;
    }
}
