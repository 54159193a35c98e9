package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Operator calls on the test OpenBao with its root token (never the host's): Transit key rotation, backup
 * and restore, token re-creation, KV writes; and reads with another token to check its policy. Test use only. Thread-safe.
 */
public final class VaultAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String url;
    private final String rootToken;

    public VaultAdmin(String url, String rootToken) {
        this.url = url;
        this.rootToken = rootToken;
    }

    /** @return the suite's server, as its root */
    public static VaultAdmin ofSuite() {
        TestInfrastructure infra = TestInfrastructure.get();
        return new VaultAdmin(infra.vaultUrl(), infra.vaultRootToken);
    }

    /** Rotates a Transit key: new encryptions use a new key version, older ones stay decryptable. */
    public void rotate(String key) {
        call("POST", "/v1/transit/keys/" + key + "/rotate", Map.of());
    }

    /** @return the latest version of a Transit key */
    public int latestVersion(String key) {
        return call("GET", "/v1/transit/keys/" + key, null).path("data").path("latest_version").asInt();
    }

    /** @return a plaintext backup of a Transit key (makes it exportable: for throw-away servers only) */
    public String backupTransitKey(String key) {
        call("POST", "/v1/transit/keys/" + key + "/config", Map.of("exportable", true, "allow_plaintext_backup", true));
        return call("GET", "/v1/transit/backup/" + key, null).path("data").path("backup").asText();
    }

    /** Restores a Transit key from {@link #backupTransitKey}, replacing a key of that name. */
    public void restoreTransitKey(String key, String backup) {
        call("POST", "/v1/transit/restore/" + key, Map.of("backup", backup, "force", true));
    }

    /** Creates an orphan token with a given id and policy (what a restarted persistent server would still know). */
    public void recreateToken(String id, String policy) {
        call("POST", "/v1/auth/token/create-orphan", Map.of("id", id, "policies", new String[] { policy },
                "period", "24h", "display_name", policy));
    }

    /** Writes a KV v2 secret (mount {@code secret/}) as root. */
    public void writeKv(String path, Map<String, Object> data) {
        call("POST", "/v1/secret/data/" + path, Map.of("data", data));
    }

    /** @return the HTTP status Vault answers to a GET of {@code path} with another token (e.g. the host's) */
    public int readStatusWith(String token, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).header("X-Vault-Token", token).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GET " + path + " interrupted", e);
        }
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                    .header("X-Vault-Token", rootToken);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }
}
