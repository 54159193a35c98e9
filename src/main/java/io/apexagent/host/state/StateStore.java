package io.apexagent.host.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.plugin.PluginStateException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Reads and writes plugin state. Reads decrypt the row. Writes encrypt with Transit, then insert or update the row in one transaction,
 * retrying optimistic-lock conflicts. Writes of one plugin are ordered; a write that fails because
 * PostgreSQL or Vault is down is kept in memory and retried every {@code apex.state.retry-interval}
 * until it succeeds or a newer snapshot replaces it. Thread-safe.
 */
@ApplicationScoped
public class StateStore {

    private static final Logger LOG = Logger.getLogger(StateStore.class);

    @Inject
    StateCipher cipher;

    @Inject
    PluginStateRepository repository;

    @Inject
    ApexConfig config;

    @Inject
    Vertx vertx;

    private final AtomicLong sequence = new AtomicLong();
    private final WriteLanes lanes = new WriteLanes();
    private final Map<String, Long> committed = new ConcurrentHashMap<>();
    private final Map<String, StateDraft> pending = new ConcurrentHashMap<>();
    private final Set<String> retrying = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retries = DaemonThreads.timer("plugin-state-retry");

    void onStart(@Observes StartupEvent event) {
        long every = config.state().retryInterval().toMillis();
        retries.scheduleWithFixedDelay(this::retryPending, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopRetries() {
        retries.shutdownNow();
        if (!pending.isEmpty()) {
            LOG.errorf("state of plugins %s was never saved (PostgreSQL or Vault stayed unreachable) and is lost "
                    + "with this process", pending.keySet());
        }
    }

    /** @return the stored state, decrypted, or null when none is stored */
    public Uni<StoredState> read(String pluginId) {
        return VertxContexts.onNewContext(vertx, () -> repository.findState(pluginId))
                .onFailure().transform(e -> StateFailures.database(pluginId, "read", e))
                .flatMap(row -> row == null ? Uni.createFrom().nullItem() : decrypted(row));
    }

    /** @return the row's metadata without decrypting it, or null */
    public Uni<PluginStateEntity> row(String pluginId) {
        return VertxContexts.onNewContext(vertx, () -> repository.findState(pluginId))
                .onFailure().transform(e -> StateFailures.database(pluginId, "read", e));
    }

    private Uni<StoredState> decrypted(PluginStateEntity row) {
        if (!row.encrypted) {
            return Uni.createFrom().failure(new PluginStateException(row.pluginId, "stored state of plugin "
                    + row.pluginId + " is marked unencrypted; the host only accepts Transit ciphertext "
                    + "(delete it with DELETE /plugins/" + row.pluginId + "/state)", null));
        }
        return cipher.decrypt(row.pluginId, row.data)
                .map(json -> new StoredState(row.pluginId, row.pluginVersion, row.schemaVersion, json, row.data,
                        row.sizeBytes, row.previousSchemaVersion, row.updatedAt, row.version));
    }

    /** @return a draft numbered after every earlier one */
    public StateDraft draft(String pluginId, String pluginVersion, int schemaVersion, String json) {
        return new StateDraft(pluginId, pluginVersion, schemaVersion, json, sequence.incrementAndGet());
    }

    /**
     * Writes a draft (after earlier writes of the same plugin). On an outage the draft is kept for a retry
     * and the Uni fails with a {@link StateUnavailableException} saying so.
     */
    public Uni<Void> save(StateDraft draft) {
        return lanes.run(draft.pluginId(), () -> write(draft, null))
                .onFailure(StateUnavailableException.class).transform(e -> keepForRetry(draft, e));
    }

    /** Replaces {@code old} by a migrated draft, keeping {@code old} as the previous snapshot; not retried. */
    public Uni<Void> replaceMigrated(StoredState old, StateDraft migrated) {
        return lanes.run(migrated.pluginId(), () -> write(migrated, old));
    }

    /** @return the draft still waiting for PostgreSQL or Vault, if any */
    public Optional<StateDraft> pending(String pluginId) {
        return Optional.ofNullable(pending.get(pluginId));
    }

    /** @return the ids of plugins whose state waits for a retry */
    public Set<String> pendingPlugins() {
        return Set.copyOf(pending.keySet());
    }

    /** Deletes the row, and forgets any older draft so that it cannot bring the state back. */
    public Uni<Boolean> delete(String pluginId) {
        return lanes.run(pluginId, () -> {
            pending.remove(pluginId);
            committed.put(pluginId, sequence.incrementAndGet());
            return VertxContexts.onNewContext(vertx, () -> repository.deleteState(pluginId))
                    .onFailure().transform(e -> StateFailures.database(pluginId, "delete", e));
        });
    }

    private Uni<Void> write(StateDraft draft, StoredState replaced) {
        if (draft.sequence() < committed.getOrDefault(draft.pluginId(), 0L)) {
            return Uni.createFrom().voidItem(); // a newer snapshot is already stored
        }
        return cipher.encrypt(draft.pluginId(), draft.json())
                .flatMap(ciphertext -> store(toWrite(draft, ciphertext, replaced), replaced == null))
                .invoke(row -> committed(draft))
                .replaceWithVoid();
    }

    /** Writes one row; conflicts are retried up to apex.state.conflict-attempts times when asked, else reported. */
    Uni<PluginStateEntity> store(StateWrite write, boolean retryConflicts) {
        int attempts = retryConflicts ? Math.max(1, config.state().conflictAttempts()) : 1;
        Uni<PluginStateEntity> once = VertxContexts.onNewContext(vertx, () -> repository.write(write));
        Uni<PluginStateEntity> retried = attempts > 1
                ? once.onFailure(StateFailures::isConflict).retry()
                        .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500)).atMost(attempts - 1)
                : once;
        return retried
                .onFailure(StateFailures::isConflict).transform(e -> conflict(write, attempts, e))
                .onFailure().transform(e -> StateFailures.database(write.pluginId(), "write", e));
    }

    private static StateWrite toWrite(StateDraft d, String ciphertext, StoredState replaced) {
        return replaced == null
                ? new StateWrite(d.pluginId(), d.pluginVersion(), d.schemaVersion(), ciphertext, d.sizeBytes(), null,
                        null, null)
                : new StateWrite(d.pluginId(), d.pluginVersion(), d.schemaVersion(), ciphertext, d.sizeBytes(),
                        replaced.ciphertext(), replaced.schemaVersion(), replaced.rowVersion());
    }

    private static PluginStateException conflict(StateWrite write, int attempts, Throwable e) {
        return new PluginStateException(write.pluginId(), "state of plugin " + write.pluginId()
                + " was not saved: another writer (another replica?) changed it first, " + attempts
                + " time(s) in a row (" + StateFailures.rootMessage(e) + "); make sure one replica runs it and save again",
                e);
    }

    private void committed(StateDraft draft) {
        committed.merge(draft.pluginId(), draft.sequence(), Math::max);
        pending.computeIfPresent(draft.pluginId(), (id, waiting) -> waiting.sequence() <= draft.sequence() ? null : waiting);
    }

    private Throwable keepForRetry(StateDraft draft, Throwable e) {
        pending.merge(draft.pluginId(), draft, (old, fresh) -> fresh.sequence() > old.sequence() ? fresh : old);
        return new StateUnavailableException(draft.pluginId(), e.getMessage() + ". The plugin keeps its state in memory"
                + " and the host retries the save every " + config.state().retryInterval().toMillis() + " ms", e);
    }

    private void retryPending() {
        for (StateDraft draft : List.copyOf(pending.values())) {
            if (!retrying.add(draft.pluginId())) {
                continue;
            }
            save(draft).subscribe().with(
                    ok -> {
                        retrying.remove(draft.pluginId());
                        LOG.infof("state of plugin %s saved on retry", draft.pluginId());
                    },
                    failure -> {
                        retrying.remove(draft.pluginId());
                        LOG.debugf("state of plugin %s still not saved: %s", draft.pluginId(), failure.getMessage());
                    });
        }
    }
}
