package io.apexagent.host.cluster;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The cluster's intent per plugin ({@code plugin_desired_state}): written by admin operations, applied by
 * every replica at start. One atomic upsert per change (the last operator's intent wins; the version
 * column counts changes). Thread-safe.
 */
@ApplicationScoped
public class DesiredStates {

    /**
     * @param pluginId      plugin
     * @param enabled       whether it should run
     * @param paused        whether it should refuse calls
     * @param pinnedVersion version to run, or null for the highest compatible
     * @param revision      how many times it was changed: a replica that applied this revision has nothing to do
     */
    public record DesiredState(String pluginId, boolean enabled, boolean paused, String pinnedVersion, long revision) {
    }

    private final Pool pool;

    DesiredStates(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> save(String pluginId, boolean enabled, boolean paused, String updatedBy) {
        return pool.preparedQuery("""
                INSERT INTO plugin_desired_state (plugin_id, enabled, paused, updated_by, updated_at)
                VALUES ($1, $2, $3, $4, now())
                ON CONFLICT (plugin_id) DO UPDATE SET enabled = EXCLUDED.enabled, paused = EXCLUDED.paused,
                    updated_by = EXCLUDED.updated_by, updated_at = now(),
                    version = plugin_desired_state.version + 1""")
                .execute(Tuple.of(pluginId, enabled, paused, updatedBy))
                .replaceWithVoid();
    }

    /** @return the desired state of one plugin, if one was stored */
    public Uni<Optional<DesiredState>> of(String pluginId) {
        return pool.preparedQuery("SELECT plugin_id, enabled, paused, pinned_version, version FROM plugin_desired_state "
                + "WHERE plugin_id = $1")
                .execute(Tuple.of(pluginId))
                .map(rows -> {
                    Iterator<Row> found = rows.iterator();
                    return found.hasNext() ? Optional.of(desiredState(found.next())) : Optional.empty();
                });
    }

    public Uni<List<DesiredState>> all() {
        return pool.query("SELECT plugin_id, enabled, paused, pinned_version, version FROM plugin_desired_state "
                + "ORDER BY plugin_id")
                .execute()
                .map(rows -> {
                    List<DesiredState> states = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        states.add(desiredState(r));
                    }
                    return states;
                });
    }

    private static DesiredState desiredState(Row r) {
        return new DesiredState(r.getString("plugin_id"), r.getBoolean("enabled"), r.getBoolean("paused"),
                r.getString("pinned_version"), r.getLong("version"));
    }
}
