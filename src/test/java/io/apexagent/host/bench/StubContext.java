package io.apexagent.host.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.ActionDescriptor;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginCredentials;
import io.apexagent.plugin.PluginEvents;
import io.apexagent.plugin.PluginFiles;
import io.apexagent.plugin.PluginInvoker;
import io.apexagent.plugin.PluginLogger;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.PluginStateStore;

/**
 * The least context an idle plugin can be initialized with: metadata from its manifest, nothing else. Host
 * services (files, events, Vault, state) belong to other packages and are not what the benchmark measures.
 */
record StubContext(PluginMetadata metadata) implements PluginContext {

    static StubContext of(PluginManifest m) {
        return new StubContext(new PluginMetadata(m.id(), m.name(), m.version(), m.description(), m.author(),
                m.actions().stream().map(a -> new ActionDescriptor(a.name(), a.description(),
                        String.valueOf(a.parametersSchema()), String.valueOf(a.returnsSchema()), a.streamingSupported()))
                        .toList()));
    }

    @Override
    public String nodeId() {
        return "bench";
    }

    @Override
    public PluginLogger logger() {
        throw unavailable("logger");
    }

    @Override
    public Map<String, String> config() {
        return Map.of();
    }

    @Override
    public Path dataDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir")); // out-of-process plugins are told it at initialize
    }

    @Override
    public Set<Permission> grantedPermissions() {
        return Set.of();
    }

    @Override
    public PluginFiles files() {
        throw unavailable("files");
    }

    @Override
    public PluginEvents events() {
        throw unavailable("events");
    }

    @Override
    public PluginInvoker plugins() {
        throw unavailable("plugins");
    }

    @Override
    public PluginCredentials credentials() {
        throw unavailable("credentials");
    }

    @Override
    public PluginStateStore state() {
        throw unavailable("state");
    }

    private UnsupportedOperationException unavailable(String service) {
        return new UnsupportedOperationException(service + " is not part of the load benchmark's stub context ("
                + metadata.id() + ")");
    }
}
