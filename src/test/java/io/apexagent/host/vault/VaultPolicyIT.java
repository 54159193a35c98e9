package io.apexagent.host.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vault.VaultKVSecretEngine;
import io.quarkus.vault.client.VaultClientException;

/** The host reaches OpenBao's KV v2 with its own token, and the apex-host policy really limits it. */
@QuarkusTest
class VaultPolicyIT {

    @Inject
    VaultKVSecretEngine kv;

    @Test
    void secretUnderPluginPathIsWrittenAndReadBack() {
        String path = "apex/plugins/smoke/" + UUID.randomUUID();
        kv.writeSecret(path, Map.of("api-key", "s3cr3t"));
        assertThat(kv.readSecret(path)).containsEntry("api-key", "s3cr3t");
    }

    @Test
    void pathOutsideHostPolicyIsRefusedWith403() {
        assertThatThrownBy(() -> kv.readSecret("other-team/db-password"))
                .isInstanceOf(VaultClientException.class)
                .satisfies(e -> assertThat(((VaultClientException) e).getStatus()).isEqualTo(403));
    }
}
