package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.host.deploy.DeployFiles.Manifest;

/**
 * Every environment variable the manifests give the host is a setting the application reads, and
 * every variable production needs is given: a typo in a manifest fails here, not in a pod.
 */
class ManifestConfigKeysTest {

    private final ConfigKeyCatalog catalog = ConfigKeyCatalog.load();

    @Test
    void everyVariableTheManifestsSetIsKnownToTheApplication() {
        Map<String, String> variables = environmentOf(DeployFiles.manifests());

        assertThat(variables).isNotEmpty();
        assertThat(unknown(variables)).as("variables set by the manifests that no config key reads").isEmpty();
    }

    @Test
    void everyVariableProductionRequiresIsSet() {
        Set<String> set = environmentOf(DeployFiles.manifests()).keySet();

        assertThat(catalog.requiredInProd())
                .contains("KAFKA_BOOTSTRAP_SERVERS", "DB_USERNAME", "DB_REACTIVE_URL", "DB_JDBC_URL", "VAULT_ADDR");
        assertThat(set).containsAll(catalog.requiredInProd());
        // Optional for the application (a database may trust its clients), but the manifests set it.
        assertThat(set).contains("DB_PASSWORD");
    }

    @Test
    void vaultLoginInProductionIsKubernetesAuthWithoutAToken() {
        Set<String> set = environmentOf(DeployFiles.manifests()).keySet();

        assertThat(set).contains("VAULT_KUBERNETES_ROLE").doesNotContain("VAULT_TOKEN");
        assertThat(catalog.keys()).contains("%prod.quarkus.vault.authentication.kubernetes.role");
    }

    @Test
    void smallRyeMappingCoversApexConfigAndPropertiesKeys() {
        assertThat(catalog.resolve("APEX_PLUGINS_DIRS")).contains("apex.plugins.dirs");
        assertThat(catalog.resolve("APEX_NODE_ID")).contains("apex.node-id");
        assertThat(catalog.resolve("APEX_STARTUP_INFRASTRUCTURE_WAIT")).contains("apex.startup.infrastructure-wait");
        assertThat(catalog.resolve("QUARKUS_HTTP_PORT")).contains("quarkus.http.port");
        assertThat(catalog.resolve("DB_PASSWORD")).isPresent();
    }

    @Test
    void anUnknownVariableInAManifestIsReported() throws Exception {
        JsonNode deployment = DeployFiles.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  template:
                    spec:
                      containers:
                        - name: host
                          envFrom: [{configMapRef: {name: cfg}}]
                          env:
                            - {name: APEX_PLUGIN_DIR, value: /deployments/plugins}
                            - {name: APEX_NODE_ID, value: a}
                """);
        JsonNode configMap = DeployFiles.YAML.readTree("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data: {KAFKA_BOOTSTRAP: "k:9092", VAULT_ADDR: "https://v:8200"}
                """);

        Map<String, String> variables = environmentOf(List.of(
                new Manifest(java.nio.file.Path.of("typo.yaml"), deployment),
                new Manifest(java.nio.file.Path.of("cfg.yaml"), configMap)));

        assertThat(unknown(variables)).containsOnlyKeys("APEX_PLUGIN_DIR", "KAFKA_BOOTSTRAP");
    }

    private Map<String, String> unknown(Map<String, String> variables) {
        Map<String, String> unknown = new TreeMap<>();
        variables.forEach((name, where) -> {
            if (catalog.resolve(name).isEmpty()) {
                unknown.put(name, where);
            }
        });
        return unknown;
    }

    /** @return variable name -> where it is set, for every container of every workload in these manifests */
    static Map<String, String> environmentOf(List<Manifest> manifests) {
        Map<String, String> variables = new TreeMap<>();
        for (Manifest workload : manifests) {
            for (JsonNode container : containers(workload.object())) {
                String where = workload.file() + " " + workload.kind() + "/" + workload.name();
                for (JsonNode env : container.path("env")) {
                    variables.put(env.path("name").asText(), where);
                }
                for (JsonNode source : container.path("envFrom")) {
                    String prefix = source.path("prefix").asText("");
                    if (source.has("secretRef")) {
                        // Keys of a Secret are not in the repository, so they cannot be checked: name them in env.
                        throw new AssertionError(where + ": envFrom.secretRef hides variable names; use env[].valueFrom.secretKeyRef");
                    }
                    String configMap = source.path("configMapRef").path("name").asText();
                    for (String key : configMapKeys(manifests, configMap, where)) {
                        variables.put(prefix + key, where + " via ConfigMap/" + configMap);
                    }
                }
            }
        }
        return variables;
    }

    private static List<JsonNode> containers(JsonNode object) {
        List<JsonNode> containers = new ArrayList<>();
        JsonNode pod = object.path("spec").path("template").path("spec");
        pod.path("containers").forEach(containers::add);
        pod.path("initContainers").forEach(containers::add);
        return containers;
    }

    private static Set<String> configMapKeys(List<Manifest> manifests, String name, String where) {
        return manifests.stream()
                .filter(m -> m.kind().equals("ConfigMap") && m.name().equals(name))
                .findFirst()
                .map(m -> {
                    Set<String> keys = new TreeSet<>();
                    m.object().path("data").fieldNames().forEachRemaining(keys::add);
                    return keys;
                })
                .orElseThrow(() -> new AssertionError(where + " reads ConfigMap " + name + ", which no manifest defines"));
    }
}
