package io.apexagent.host.plugin;

import static io.apexagent.host.plugin.lifecycle.PluginState.ACTIVE;
import static io.apexagent.host.plugin.lifecycle.PluginState.FAILED;
import static io.apexagent.host.plugin.lifecycle.PluginState.INITIALIZED;
import static io.apexagent.host.plugin.lifecycle.PluginState.PAUSED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPING;
import static io.apexagent.host.plugin.lifecycle.PluginState.UNLOADED;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.events.PluginErrorEvent;
import io.apexagent.host.plugin.discovery.DependencyResolver;
import io.apexagent.host.plugin.discovery.DiscoveryFailure;
import io.apexagent.host.plugin.discovery.DiscoveryResult;
import io.apexagent.host.plugin.discovery.ResolutionResult;
import io.apexagent.host.plugin.discovery.ManifestParser;
import io.apexagent.host.plugin.discovery.ManifestValidationException;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.discovery.PluginScanner;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.plugin.PluginException;

/**
 * All known plugins and the rules between them: which version is chosen, dependencies before
 * dependants, dependants stopped before their dependencies, and the reload swap. Mutating methods run
 * only on the manager's lifecycle thread; {@link #admit}, {@link #snapshot} and friends are safe from
 * any thread.
 */
final class PluginRegistry {

    private static final Logger LOG = Logger.getLogger(PluginRegistry.class);
    private static final Set<PluginState> RUNNING = EnumSet.of(INITIALIZED, ACTIVE, PAUSED);

    private final ApexConfig config;
    private final PluginFactory factory;
    private final PluginOperations ops;
    private final String nodeId;
    private final Consumer<PluginErrorEvent> errors;
    private final PluginScanner scanner;
    private final DependencyResolver resolver = new DependencyResolver();
    private final Map<String, PluginEntry> entries = new ConcurrentHashMap<>();
    private volatile ResolutionResult resolution;
    private volatile Consumer<String> loadFailures = id -> { };

    PluginRegistry(ApexConfig config, PluginFactory factory, String nodeId, Consumer<PluginErrorEvent> errors,
            io.apexagent.host.plugin.loader.PluginCodeVerifier verifier, PluginStateHooks state) {
        this.config = config;
        this.factory = factory;
        this.nodeId = nodeId;
        this.errors = errors;
        this.scanner = new PluginScanner(new ManifestParser());
        this.ops = new PluginOperations(config, factory, new PluginLoader(
                new io.apexagent.host.plugin.loader.JavaSourceCompiler(Path.of(config.plugins().compileCacheDir())),
                verifier).withProcesses(new io.apexagent.host.plugin.process.ProcessPlugins(config.plugins().process(),
                        Path.of(config.plugins().compileCacheDir()), this::processFailed)), state);
    }

    /** A running out-of-process plugin's child crashed or hung: Failed now, then automatic recovery. */
    private void processFailed(PluginManifest manifest, String reason) {
        PluginEntry e = entries.get(manifest.id());
        ManagedPlugin p = e == null ? null : e.current;
        if (p != null && p.version().equals(manifest.version()) && RUNNING.contains(p.lifecycle().state())) {
            ops.fail(p, new io.apexagent.plugin.PluginExecutionException(p.id(), "its process " + reason, null));
            loadFailures.accept(p.id());
        }
    }

    /** @param listener told the id of every plugin whose code failed to load or initialize */
    void onLoadFailure(Consumer<String> listener) {
        this.loadFailures = listener;
    }

    /** @return whether the plugin's serving version holds loaded code */
    boolean loaded(String id) {
        PluginEntry e = entries.get(id);
        return e != null && e.current != null && PluginOperations.holdsCode(e.current);
    }

    // --- discovery -------------------------------------------------------------------------------

    /** Re-reads the plugin directories, re-resolves dependencies and optionally starts default-enabled plugins. */
    void rescan(boolean startDefaults) {
        DiscoveryResult found = scanner.scan(config.plugins().dirs().stream().map(Path::of).toList());
        Map<String, List<PluginManifest>> byId = new java.util.HashMap<>();
        for (PluginManifest m : found.manifests()) {
            byId.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(m);
        }
        byId.forEach((id, versions) -> entry(id).versions = List.copyOf(versions));
        for (DiscoveryFailure failure : found.failures()) {
            PluginEntry e = entry(idOf(failure));
            if (e.current == null || !PluginOperations.holdsCode(e.current)) {
                // The version the manifest declares, if it got that far: error events name a version when one is known.
                recordFailure(e, failure.error() instanceof ManifestValidationException invalid
                        ? invalid.declaredVersion() : null, failure.error());
            }
        }
        resolution = resolver.resolve(found.manifests(), config.plugins().pinned());
        Set<String> failedNow = new java.util.HashSet<>();
        found.failures().forEach(f -> failedNow.add(idOf(f)));
        for (PluginEntry e : entries.values()) {
            var dependencyFailure = resolution.failure(e.id);
            boolean holdsCode = e.current != null && PluginOperations.holdsCode(e.current);
            if (dependencyFailure.isPresent() && !holdsCode) {
                recordFailure(e, dependencyFailure.get().version(), dependencyFailure.get().toException());
            } else if (dependencyFailure.isEmpty() && byId.containsKey(e.id) && !failedNow.contains(e.id)) {
                e.failure = null;
            }
        }
        if (startDefaults) {
            for (PluginManifest chosen : resolution.loadOrder()) {
                String id = chosen.id();
                PluginEntry e = entries.get(id);
                if (e != null && chosen.defaultEnabled()
                        && (e.current == null || e.current.lifecycle().state() == UNLOADED)) {
                    try {
                        start(id, "default_enabled");
                    } catch (PluginException ex) {
                        LOG.warnf("plugin %s not started: %s", id, ex.getMessage());
                    }
                }
            }
        }
    }

    // --- lifecycle -------------------------------------------------------------------------------

    PluginSnapshot load(String id, String reason) {
        PluginEntry e = existing(id);
        if (e.current != null && PluginOperations.holdsCode(e.current)) {
            return snapshot(id);
        }
        PluginManifest manifest = chosen(e);
        for (String dep : requiredDependencies(manifest)) {
            load(dep, "dependency of " + id);
        }
        loadInto(e, manifest, reason);
        return snapshot(id);
    }

    PluginSnapshot start(String id, String reason) {
        PluginEntry e = existing(id);
        PluginManifest manifest = e.current != null && PluginOperations.holdsCode(e.current)
                ? e.current.manifest() : chosen(e);
        for (PluginManifest.PluginDependency dep : manifest.dependencies().plugins().values()) {
            startDependency(id, dep);
        }
        ManagedPlugin p = e.current;
        PluginState state = p == null ? UNLOADED : p.lifecycle().state();
        switch (state) {
            case ACTIVE -> {
                return snapshot(id);
            }
            case PAUSED -> ops.resume(p, reason);
            case INITIALIZED -> ops.activate(p, reason);
            case LOADED -> {
                guarded(e, () -> ops.initialize(p));
                ops.activate(p, reason);
            }
            case STOPPED -> {
                guarded(e, () -> {
                    ops.loadCode(p, reason);
                    ops.initialize(p);
                });
                ops.activate(p, reason);
            }
            default -> {
                loadInto(e, manifest, reason);
                ops.activate(e.current, reason);
            }
        }
        return snapshot(id);
    }

    PluginSnapshot pause(String id, String reason) {
        ops.pause(loadedVersion(id), reason);
        return snapshot(id);
    }

    PluginSnapshot resume(String id, String reason) {
        ops.resume(loadedVersion(id), reason);
        return snapshot(id);
    }

    PluginSnapshot stop(String id, String reason) {
        ManagedPlugin p = loadedVersion(id);
        stopDependents(id);
        if (RUNNING.contains(p.lifecycle().state())) {
            ops.stop(p, reason);
        }
        return snapshot(id);
    }

    PluginSnapshot unload(String id, String reason) {
        PluginEntry e = existing(id);
        ManagedPlugin p = e.current;
        if (p == null || p.lifecycle().state() == UNLOADED) {
            return snapshot(id);
        }
        stopDependents(id);
        if (p.lifecycle().state() == FAILED) {
            p.lifecycle().transition(UNLOADED, reason);
            ops.release(p);
        } else {
            ops.unload(p, reason);
        }
        return snapshot(id);
    }

    /**
     * Loads the newest chosen code beside the serving version, swaps, then drains and unloads the old
     * one: calls never fail because of a reload. If the new code fails, the old version keeps serving.
     */
    PluginSnapshot reload(String id, String reason) {
        rescan(false);
        PluginEntry e = existing(id);
        ManagedPlugin old = e.current;
        PluginManifest manifest = chosen(e);
        if (old == null || !RUNNING.contains(old.lifecycle().state())) {
            if (old != null && PluginOperations.holdsCode(old)) {
                ops.unload(old, "replaced by reload");
            } else if (old != null && old.lifecycle().state() == FAILED) {
                ops.release(old);
            }
            e.current = null;
            return start(id, reason);
        }
        PluginState wanted = old.lifecycle().state();
        ManagedPlugin fresh;
        try {
            fresh = ops.loadAndInitialize(manifest, null, reason);
        } catch (PluginException ex) {
            throw new io.apexagent.plugin.PluginInitializationException(id, "reload of " + id + " to " + manifest.version()
                    + " failed, version " + old.version() + " keeps serving: " + ex.getMessage(), ex);
        }
        if (wanted == ACTIVE || wanted == PAUSED) {
            ops.activate(fresh, reason);
        }
        if (wanted == PAUSED) {
            ops.pause(fresh, reason);
        }
        e.current = fresh;
        ops.unload(old, "replaced by " + fresh.version() + " (" + reason + ")");
        return snapshot(id);
    }

    /**
     * Moves a serving version whose circuit breaker opened to FAILED: its running calls are interrupted, its
     * code and threads released, an error event published and recovery told (it restarts the plugin later).
     *
     * @return false if that version no longer serves (a reload or stop got there first)
     */
    boolean breakerOpened(ManagedPlugin p, String reason) {
        PluginEntry e = entries.get(p.id());
        if (e == null || e.current != p || !RUNNING.contains(p.lifecycle().state())) {
            return false;
        }
        LOG.warnf("plugin %s %s: %s", p.id(), p.version(), reason);
        p.lifecycle().fail(reason);
        p.workers().interruptAll();
        ops.release(p);
        errors.accept(new PluginErrorEvent(p.id(), p.version(), "circuit_breaker", null, reason, nodeId,
                java.time.Instant.now()));
        loadFailures.accept(p.id());
        return true;
    }

    /** Stops every running plugin, dependants first. */
    void stopAll(String reason) {
        List<String> order = resolution == null ? new ArrayList<>(entries.keySet())
                : new ArrayList<>(resolution.loadOrder().stream().map(PluginManifest::id).toList());
        java.util.Collections.reverse(order);
        for (String id : order) {
            PluginEntry e = entries.get(id);
            if (e != null && e.current != null && RUNNING.contains(e.current.lifecycle().state())) {
                try {
                    ops.stop(e.current, reason);
                } catch (PluginException ex) {
                    LOG.warnf("plugin %s did not stop cleanly: %s", id, ex.getMessage());
                }
            }
        }
    }

    // --- admission (any thread) ------------------------------------------------------------------

    /** Admits one call to the serving version of a plugin; the caller must {@code calls().exit()} it. */
    ManagedPlugin admit(String id) {
        PluginEntry e = existing(id);
        while (true) {
            ManagedPlugin p = e.current;
            if (p == null) {
                throw PluginManager.unavailable(id, e.failure != null ? "it failed: " + e.failure : "it is not loaded");
            }
            if (p.lifecycle().state() == ACTIVE && p.calls().tryEnter()) {
                return p;
            }
            if (e.current != p) {
                // A reload swapped versions under us: admit the call to the new one.
                continue;
            }
            PluginState state = p.lifecycle().state();
            throw PluginManager.unavailable(id, switch (state) {
                case PAUSED -> "it is paused (resume it to serve again; calls are refused, not queued, while paused)";
                case FAILED -> "it failed: " + p.lifecycle().reason();
                case ACTIVE, STOPPING -> "it is stopping";
                default -> "it is " + state + ", not ACTIVE (start it)";
            });
        }
    }

    // --- queries ---------------------------------------------------------------------------------

    Collection<PluginSnapshot> snapshots() {
        return entries.keySet().stream().map(this::snapshot).toList();
    }

    PluginSnapshot snapshot(String id) {
        PluginEntry e = existing(id);
        ManagedPlugin p = e.current;
        PluginManifest manifest = servingManifest(e);
        List<String> versions = e.versions.stream().map(PluginManifest::version)
                .sorted(io.apexagent.host.plugin.discovery.PluginVersions.ascending().reversed()).toList();
        return new PluginSnapshot(id, manifest != null ? manifest.version() : e.failedVersion, e.state(), e.reason(),
                versions, manifest, manifest != null ? PluginFactory.grantOf(manifest) : Set.of(),
                p != null ? p.calls().count() : 0);
    }

    /**
     * The manifest of the version serving {@code id} now, or chosen to once loaded: what {@link #snapshot} reports,
     * without building the rest of a snapshot (the effective grant, the sorted versions) for a caller that needs
     * only this on every request.
     *
     * @return null for an unknown plugin
     */
    PluginManifest servingManifest(String id) {
        PluginEntry e = entries.get(id);
        return e == null ? null : servingManifest(e);
    }

    private PluginManifest servingManifest(PluginEntry e) {
        ManagedPlugin p = e.current;
        return p != null ? p.manifest() : resolution == null ? null : resolution.chosen().get(e.id);
    }

    boolean exists(String id) {
        return entries.containsKey(id);
    }

    /** @return the version holding code now (any state), or null when none does */
    ManagedPlugin withCode(String id) {
        PluginEntry e = entries.get(id);
        ManagedPlugin p = e == null ? null : e.current;
        return p != null && PluginOperations.holdsCode(p) ? p : null;
    }

    String versionOf(String id) {
        PluginEntry e = entries.get(id);
        return e == null || e.current == null ? null : e.current.version();
    }

    boolean declaresDependency(String callerId, String targetId) {
        PluginEntry caller = entries.get(callerId);
        return caller != null && caller.current != null
                && caller.current.manifest().dependencies().plugins().containsKey(targetId);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void loadInto(PluginEntry e, PluginManifest manifest, String reason) {
        ManagedPlugin previous = e.current;
        var lifecycle = previous != null && previous.version().equals(manifest.version())
                && EnumSet.of(FAILED, UNLOADED).contains(previous.lifecycle().state()) ? previous.lifecycle() : null;
        if (previous != null && previous.lifecycle().state() == FAILED && previous.loaded() != null) {
            ops.release(previous);
        }
        ManagedPlugin fresh = factory.create(manifest, lifecycle != null ? lifecycle : factory.lifecycle(manifest));
        e.current = fresh;
        e.failure = null;
        guarded(e, () -> {
            ops.loadCode(fresh, reason);
            ops.initialize(fresh);
        });
    }

    /** Runs a load/initialize step; on failure frees the version's resources and reports the error. */
    private void guarded(PluginEntry e, Runnable step) {
        try {
            step.run();
        } catch (PluginException ex) {
            if (e.current != null) {
                ops.release(e.current);
            }
            errors.accept(new PluginErrorEvent(e.id, e.current == null ? null : e.current.version(), ex.errorType(),
                    null, ex.getMessage(), nodeId, java.time.Instant.now()));
            loadFailures.accept(e.id);
            throw ex;
        }
    }

    private void startDependency(String id, PluginManifest.PluginDependency dep) {
        PluginEntry d = entries.get(dep.pluginId());
        if (d != null && d.current != null && d.current.lifecycle().state() == ACTIVE) {
            return;
        }
        try {
            start(dep.pluginId(), "dependency of " + id);
        } catch (PluginException ex) {
            if (!dep.optional()) {
                throw PluginManager.dependency(id, "plugin " + id + " needs " + dep.pluginId() + " " + dep.range()
                        + ", which could not start: " + ex.getMessage());
            }
            LOG.infof("optional dependency %s of %s is not available: %s", dep.pluginId(), id, ex.getMessage());
        }
    }

    private void stopDependents(String id) {
        if (resolution == null) {
            return;
        }
        for (String dependent : resolution.dependentsOf(id)) {
            PluginEntry d = entries.get(dependent);
            if (d != null && d.current != null && RUNNING.contains(d.current.lifecycle().state())) {
                ops.stop(d.current, "stopped because its dependency " + id + " is stopping");
            }
        }
    }

    private List<String> requiredDependencies(PluginManifest manifest) {
        return manifest.dependencies().plugins().values().stream()
                .filter(d -> !d.optional()).map(PluginManifest.PluginDependency::pluginId).toList();
    }

    private PluginManifest chosen(PluginEntry e) {
        if (resolution != null) {
            var failure = resolution.failure(e.id);
            if (failure.isPresent()) {
                throw failure.get().toException();
            }
            PluginManifest chosen = resolution.chosen().get(e.id);
            if (chosen != null) {
                return chosen;
            }
        }
        throw new io.apexagent.plugin.PluginConfigurationException(e.id, "plugin " + e.id + " has no usable version"
                + (e.failure != null ? ": " + e.failure : ""), null);
    }

    private ManagedPlugin loadedVersion(String id) {
        ManagedPlugin p = existing(id).current;
        if (p == null || !PluginOperations.holdsCode(p)) {
            throw new io.apexagent.plugin.PluginLifecycleException(id, "plugin " + id + " is not loaded (state "
                    + existing(id).state() + "); load or start it first", null);
        }
        return p;
    }

    private void recordFailure(PluginEntry e, String version, PluginException error) {
        boolean changed = !error.getMessage().equals(e.failure);
        e.failure = error.getMessage();
        e.failedVersion = version;
        if (changed) {
            errors.accept(new PluginErrorEvent(e.id, version, error.errorType(), null, error.getMessage(), nodeId,
                    java.time.Instant.now()));
        }
    }

    /** The id of a plugin whose manifest failed: from the manifest if it got that far, else the folder name. */
    private static String idOf(DiscoveryFailure failure) {
        String id = failure.error().pluginId();
        return id != null ? id : failure.folder().getFileName().toString();
    }

    private PluginEntry entry(String id) {
        return entries.computeIfAbsent(id, PluginEntry::new);
    }

    private PluginEntry existing(String id) {
        PluginEntry e = entries.get(id);
        if (e == null) {
            throw new PluginNotFoundException(id, "no plugin '" + id + "' in " + config.plugins().dirs()
                    + "; known: " + new java.util.TreeSet<>(entries.keySet()));
        }
        return e;
    }
}
