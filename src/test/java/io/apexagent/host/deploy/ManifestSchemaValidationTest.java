package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest passes kubeconform (deploy/validate.sh) against the vendored Kubernetes, KEDA, Strimzi and
 * Prometheus Operator schemas.
 */
class ManifestSchemaValidationTest {

    @Test
    void everyManifestIsValidAndNoneIsSkipped() throws Exception {
        int objects = DeployFiles.manifests().size();

        DeployScript run = validate();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("Summary: " + objects + " resources found")
                .contains("Valid: " + objects + ", Invalid: 0, Errors: 0, Skipped: 0");
    }

    @Test
    void invalidManifestsAreRefused(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - {name: c, image: i, livenessProbe: {periodSecond: 10}}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  triggers: [{type: kafka, metadata: {lagThreshold: 50}}]
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 0}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: no-schema-vendored}
                """);

        DeployScript run = validate(bad.toAbsolutePath().toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("additional properties 'periodSecond' not allowed")
                .contains("lagThreshold': got number, want string")
                .contains("partitions': minimum: got 0, want 1")
                .contains("could not find schema for Ingress")
                .contains("Valid: 0, Invalid: 3, Errors: 1");
    }

    private static DeployScript validate(String... files) throws Exception {
        return DeployScript.run("validate.sh", List.of(files));
    }
}
