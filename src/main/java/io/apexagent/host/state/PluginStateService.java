package io.apexagent.host.state;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.PluginStateHooks;
import io.apexagent.host.plugin.context.HostPluginContext;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.loader.LoaderSwap;
import io.apexagent.host.plugin.loader.PluginCalls;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.plugin.PluginStateException;
import io.apexagent.plugin.StatefulPlugin;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * Persistence of {@link StatefulPlugin} state: restored (and migrated) after initialize, saved before
 * shutdown and on demand, encrypted with Vault Transit in PostgreSQL. The lifecycle hooks run on the
 * manager's lifecycle thread and wait there for the database (never on an event loop); on-demand saves
 * return a {@code Uni}. Thread-safe.
 */
@ApplicationScoped
public class PluginStateService implements PluginStateHooks, HostPluginContext.StateSaves {

    private static final Logger LOG = Logger.getLogger(PluginStateService.class);
    private static final Set<PluginState> SERVING = EnumSet.of(PluginState.INITIALIZED, PluginState.ACTIVE,
            PluginState.PAUSED);

    @Inject
    StateStore store;

    @Inject
    ApexConfig config;

    private StateCodec codec;
    /** The version whose state is the current one, per plugin id (set by restore, cleared by save). */
    private final Map<String, ManagedPlugin> live = new ConcurrentHashMap<>();
    /** Old sides of reloads whose state was handed over to the new version, with the JSON handed over. */
    private final Map<ManagedPlugin, String> handedOver = new ConcurrentHashMap<>();

    @Inject
    void init(ObjectMapper json) {
        codec = new StateCodec(json);
    }

    // --- lifecycle hooks (lifecycle thread, blocking allowed) ----------------------------------------

    @Override
    public void restore(ManagedPlugin plugin) {
        if (!(plugin.instance() instanceof StatefulPlugin)) {
            return;
        }
        handOver(plugin);
        StoredState stored = await(flushPending(plugin.id()).flatMap(ignored -> store.read(plugin.id())), plugin.id());
        if (stored != null) {
            Map<String, Object> state = upToDate(plugin, stored);
            try {
                PluginCalls.call(plugin.loaded(), p -> {
                    ((StatefulPlugin) p).restoreState(state);
                    return null;
                });
            } catch (RuntimeException e) {
                throw new PluginStateException(plugin.id(), "restoreState() of plugin " + plugin.id() + " failed: " + e
                        + "; the stored state is left intact", e);
            }
            LOG.infof("plugin %s %s: state restored (schema version %d, %d bytes)", plugin.id(), plugin.version(),
                    schemaVersionOf(plugin), stored.sizeBytes());
        }
        live.put(plugin.id(), plugin);
    }

    @Override
    public void save(ManagedPlugin plugin) {
        if (plugin.loaded() == null || !(plugin.instance() instanceof StatefulPlugin)) {
            return;
        }
        StateDraft draft = snapshot(plugin);
        String handed = handedOver.remove(plugin);
        ManagedPlugin current = live.get(plugin.id());
        boolean superseded = current != null && current != plugin;
        live.remove(plugin.id(), plugin);
        if (handed != null && superseded) {
            if (!handed.equals(draft.json())) {
                throw new PluginStateException(plugin.id(), "plugin " + plugin.id() + " " + plugin.version() + " changed"
                        + " its state while it drained after a reload; the new version serves the state handed over at"
                        + " the swap, and these late changes are not saved", null);
            }
            return;
        }
        await(store.save(draft), plugin.id());
    }

    // --- on demand (any thread, never blocks) ---------------------------------------------------------

    @Override
    public Uni<Void> save(String pluginId, String version) {
        return Uni.createFrom().deferred(() -> {
            ManagedPlugin plugin = live.get(pluginId);
            if (plugin == null || !plugin.version().equals(version) || plugin.loaded() == null) {
                return Uni.createFrom().failure(new PluginStateException(pluginId, "plugin " + pluginId + " " + version
                        + " cannot save its state now: saving works once it is initialized and until it stops", null));
            }
            StateDraft draft = snapshot(plugin);
            return withHostLoader(() -> store.save(draft));
        });
    }

    /**
     * The caller is plugin code with its own class loader as context loader; host beans (config mappings,
     * Hibernate, the Vault client) must be reached with the host's.
     */
    private static <T> Uni<T> withHostLoader(java.util.function.Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            try (LoaderSwap swap = LoaderSwap.to(PluginStateService.class.getClassLoader())) {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            }
        });
    }

    /** @return what is stored for a plugin, never the data itself */
    public Uni<StateMeta> meta(String pluginId) {
        return store.row(pluginId)
                .map(row -> {
                    if (row == null) {
                        throw new StateNotFoundException(pluginId);
                    }
                    return StateMeta.of(row, store.pending(pluginId).isPresent());
                });
    }

    /** Deletes the stored state of a plugin that is not running (its in-memory state would be saved again). */
    public Uni<Void> delete(String pluginId) {
        return store.delete(pluginId)
                .map(deleted -> {
                    if (!deleted) {
                        throw new StateNotFoundException(pluginId);
                    }
                    return null;
                });
    }

    /** @return the size limit of a plugin's serialized state */
    public int limitOf(String pluginId) {
        return config.state().maxBytesPerPlugin().getOrDefault(pluginId, config.state().maxBytes());
    }

    // --- steps ----------------------------------------------------------------------------------------

    /** Reload: the old version still serves, so its latest state goes to the database before the new one reads it. */
    private void handOver(ManagedPlugin fresh) {
        ManagedPlugin old = live.get(fresh.id());
        LoadedPlugin oldCode = old == null ? null : old.loaded();
        if (old == null || old == fresh || oldCode == null || oldCode.isClosed()
                || !SERVING.contains(old.lifecycle().state())) {
            return;
        }
        StateDraft draft = snapshot(old);
        await(store.save(draft), old.id());
        handedOver.put(old, draft.json());
    }

    private Uni<Void> flushPending(String pluginId) {
        return store.pending(pluginId)
                .map(draft -> store.save(draft)
                        .onFailure().transform(e -> new StateUnavailableException(pluginId, "the latest state of plugin "
                                + pluginId + " is still waiting to be saved, so it is not restored from older data: "
                                + e.getMessage(), e)))
                .orElse(Uni.createFrom().voidItem());
    }

    private Map<String, Object> upToDate(ManagedPlugin plugin, StoredState stored) {
        int target = schemaVersionOf(plugin);
        Map<String, Object> data = codec.decode(plugin.id(), stored.json());
        if (stored.schemaVersion() == target) {
            return data;
        }
        if (stored.schemaVersion() > target) {
            return downgraded(plugin, stored, target, data);
        }
        Map<String, Object> migrated = StateMigrator.migrate(plugin.id(), stored.schemaVersion(), target, data,
                (from, in) -> PluginCalls.call(plugin.loaded(), p -> ((StatefulPlugin) p).migrate(from, in)));
        StateDraft draft = store.draft(plugin.id(), plugin.version(), target, codec.encode(plugin.id(), migrated,
                limitOf(plugin.id())));
        await(store.replaceMigrated(stored, draft), plugin.id());
        LOG.infof("plugin %s %s: state migrated from schema version %d to %d; version %d kept as previous snapshot",
                plugin.id(), plugin.version(), stored.schemaVersion(), target, stored.schemaVersion());
        return codec.decode(plugin.id(), draft.json());
    }

    private Map<String, Object> downgraded(ManagedPlugin plugin, StoredState stored, int target,
            Map<String, Object> data) {
        if (!config.state().allowDowngrade().getOrDefault(plugin.id(), false)) {
            throw new PluginStateException(plugin.id(), "stored state of plugin " + plugin.id() + " has schema version "
                    + stored.schemaVersion() + " (written by " + stored.pluginVersion() + "), newer than version "
                    + target + " that " + plugin.version() + " understands; refusing to downgrade it. Run a version that"
                    + " understands it, delete the state (DELETE /plugins/" + plugin.id() + "/state), or force it with "
                    + "apex.state.allow-downgrade.\"" + plugin.id() + "\"=true", null);
        }
        LOG.warnf("plugin %s %s: forced downgrade of its state from schema version %d to %d "
                + "(apex.state.allow-downgrade); version %d kept as previous snapshot", plugin.id(), plugin.version(),
                stored.schemaVersion(), target, stored.schemaVersion());
        StateDraft draft = store.draft(plugin.id(), plugin.version(), target, stored.json());
        await(store.replaceMigrated(stored, draft), plugin.id());
        return data;
    }

    private StateDraft snapshot(ManagedPlugin plugin) {
        Map<String, Object> state;
        try {
            state = PluginCalls.call(plugin.loaded(), p -> ((StatefulPlugin) p).snapshotState());
        } catch (RuntimeException e) {
            throw new PluginStateException(plugin.id(), "snapshotState() of plugin " + plugin.id() + " failed: " + e, e);
        }
        String json = codec.encode(plugin.id(), state, limitOf(plugin.id()));
        return store.draft(plugin.id(), plugin.version(), schemaVersionOf(plugin), json);
    }

    private static int schemaVersionOf(ManagedPlugin plugin) {
        return PluginCalls.call(plugin.loaded(), p -> ((StatefulPlugin) p).stateSchemaVersion());
    }

    /** Waits on the lifecycle thread (never an event loop) for a state operation. */
    private <T> T await(Uni<T> operation, String pluginId) {
        Duration limit = config.state().timeout();
        try {
            return operation.await().atMost(limit);
        } catch (TimeoutException e) {
            throw new StateUnavailableException(pluginId, "state operation of plugin " + pluginId + " did not finish in "
                    + limit.toMillis() + " ms (apex.state.timeout); PostgreSQL or Vault is slow or unreachable", e);
        }
    }
}
