package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Autoscaling never goes past the partitions of apex.actions.requests (an extra consumer would idle),
 * never below two replicas, and scales on the lag of the host's own consumer group.
 */
class AutoscalingBoundsTest {

    static final String REQUESTS = "apex.actions.requests";
    static final String CONSUMER_GROUP = "apex-host";

    private final int partitions = DeployFiles.topicList().get(REQUESTS).partitions();

    @Test
    void kedaScalesOnTheRequestLagWithinThePartitionCount() {
        JsonNode spec = DeployFiles.single("ScaledObject").object().path("spec");

        assertThat(spec.path("maxReplicaCount").asInt()).isPositive().isLessThanOrEqualTo(partitions);
        assertThat(spec.path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo(deploymentName());

        JsonNode kafka = trigger(spec, "kafka");
        assertThat(kafka.path("metadata").path("topic").asText()).isEqualTo(REQUESTS);
        assertThat(kafka.path("metadata").path("consumerGroup").asText()).isEqualTo(CONSUMER_GROUP);
        assertThat(kafka.path("metadata").path("allowIdleConsumers").asText()).isEqualTo("false");
        assertThat(trigger(spec, "cpu").isMissingNode()).as("cpu trigger beside the lag trigger").isFalse();
        // KEDA refuses spec.fallback on a ScaledObject that has cpu or memory triggers.
        assertThat(spec.has("fallback")).isFalse();
    }

    @Test
    void cpuHpaFallbackHasTheSameBounds() {
        JsonNode spec = DeployFiles.single("HorizontalPodAutoscaler").object().path("spec");

        assertThat(spec.path("maxReplicas").asInt()).isLessThanOrEqualTo(partitions);
        assertThat(spec.path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo(deploymentName());
    }

    @Test
    void deploymentStartsWithAtLeastTwoReplicasAndTheBudgetKeepsOneServing() {
        JsonNode deployment = DeployFiles.single("Deployment").object().path("spec");
        JsonNode budget = DeployFiles.single("PodDisruptionBudget").object().path("spec");

        assertThat(deployment.path("replicas").asInt()).isBetween(2, partitions);
        assertThat(budget.path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.path("selector")).isEqualTo(deployment.path("selector"));
    }

    private static String deploymentName() {
        return DeployFiles.single("Deployment").name();
    }

    private static JsonNode trigger(JsonNode spec, String type) {
        for (JsonNode trigger : spec.path("triggers")) {
            if (trigger.path("type").asText().equals(type)) {
                return trigger;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
