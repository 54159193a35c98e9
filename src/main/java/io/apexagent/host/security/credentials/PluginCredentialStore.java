package io.apexagent.host.security.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.apexagent.host.plugin.context.CredentialPaths;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretMetadataResultData;
import io.smallrye.mutiny.Uni;

/**
 * The operator's side of plugin credentials in Vault KV v2 ({@code secret/apex/plugins/<id>/<name>}): write
 * a new version, list names with versions and times, delete. Values go to Vault and nowhere else: not in
 * results, events, errors or logs. A write notifies the plugin on every replica (rotation) and emits a
 * security event.
 * Thread-safe.
 */
@ApplicationScoped
public class PluginCredentialStore {

    /** Largest accepted value, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    private final VaultSecretsKV2 kv;
    private final CredentialAudit audit;
    private final CredentialRotations rotations;

    PluginCredentialStore(VaultClient vault, CredentialAudit audit, CredentialRotations rotations,
            @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret") String mount) {
        this.kv = vault.secrets().kv2(mount);
        this.audit = audit;
        this.rotations = rotations;
    }

    /** Writes a new version of a credential and tells the plugin; @return its metadata (never the value) */
    public Uni<CredentialInfo> write(String pluginId, String name, String value, String actor) {
        return Uni.createFrom().deferred(() -> {
            validate(pluginId, name);
            validateValue(pluginId, name, value);
            String path = CredentialPaths.of(pluginId, name);
            return call(() -> kv.updateSecret(path, null, Map.of(CredentialPaths.VALUE_FIELD, value)))
                    .chain(() -> info(pluginId, name))
                    .invoke(info -> audit.written(pluginId, name, info.currentVersion(), actor))
                    .invoke(info -> rotations.rotated(pluginId, name, info.currentVersion()));
        });
    }

    /** @return every credential of a plugin, by name, with versions and times (empty when it has none) */
    public Uni<List<CredentialInfo>> list(String pluginId) {
        return Uni.createFrom().deferred(() -> {
            requireValidPluginId(pluginId);
            return call(() -> kv.listSecrets(CredentialPaths.folderOf(pluginId)))
                    .onFailure(CredentialPaths::isNotFound).recoverWithItem(List.of())
                    .chain(names -> infos(pluginId, names));
        });
    }

    /** Deletes a credential with all its versions; {@link CredentialNotFoundException} when there is none. */
    public Uni<Void> delete(String pluginId, String name, String actor) {
        return Uni.createFrom().deferred(() -> {
            validate(pluginId, name);
            return info(pluginId, name)
                    .chain(() -> call(() -> kv.deleteSecretMetadata(CredentialPaths.of(pluginId, name))))
                    .invoke(() -> audit.deleted(pluginId, name, actor))
                    .replaceWithVoid();
        });
    }

    private Uni<List<CredentialInfo>> infos(String pluginId, List<String> names) {
        List<Uni<CredentialInfo>> reads = names.stream()
                .filter(n -> !n.endsWith("/")) // sub-folders are not credentials of this plugin
                .map(n -> info(pluginId, n))
                .toList();
        if (reads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(reads).andFailFast()
                .map(list -> list.stream().sorted(Comparator.comparing(CredentialInfo::name)).toList());
    }

    private Uni<CredentialInfo> info(String pluginId, String name) {
        return call(() -> kv.readSecretMetadata(CredentialPaths.of(pluginId, name)))
                .onFailure(CredentialPaths::isNotFound)
                .transform(e -> new CredentialNotFoundException(pluginId, name))
                .map(m -> toInfo(name, m));
    }

    private static CredentialInfo toInfo(String name, VaultSecretsKV2ReadSecretMetadataResultData m) {
        return new CredentialInfo(name, m.getCurrentVersion(), m.getCreatedTime(), m.getUpdatedTime());
    }

    private static <T> Uni<T> call(Supplier<CompletionStage<T>> request) {
        return Uni.createFrom().completionStage(request);
    }

    private static void validate(String pluginId, String name) {
        requireValidPluginId(pluginId);
        String problem = CredentialNames.problemWithName(name);
        if (problem != null) {
            throw new InvalidCredentialException(pluginId, problem + " (plugin " + pluginId + ")");
        }
    }

    private static void requireValidPluginId(String pluginId) {
        String problem = CredentialNames.problemWithPluginId(pluginId);
        if (problem != null) {
            throw new InvalidCredentialException(null, problem);
        }
    }

    /** The message names the credential and the rule broken, never the value. */
    private static void validateValue(String pluginId, String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidCredentialException(pluginId, "credential '" + name + "' of plugin " + pluginId
                    + " has no value: send {\"value\": \"...\"} with a non-empty string");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new InvalidCredentialException(pluginId, "credential '" + name + "' of plugin " + pluginId
                    + " is longer than " + MAX_VALUE_BYTES + " bytes");
        }
    }
}
