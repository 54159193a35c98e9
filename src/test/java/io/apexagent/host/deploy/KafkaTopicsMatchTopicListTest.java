package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.host.deploy.DeployFiles.Manifest;
import io.apexagent.host.deploy.DeployFiles.TopicDefinition;

/** The Strimzi KafkaTopic resources say exactly what kafka/topics.txt says: names, partitions, retention, cleanup. */
class KafkaTopicsMatchTopicListTest {

    @Test
    void kafkaTopicResourcesEqualTheTopicList() {
        Map<String, TopicDefinition> fromManifests = new LinkedHashMap<>();
        for (Manifest topic : DeployFiles.manifests("KafkaTopic")) {
            TopicDefinition definition = toDefinition(topic.object());
            assertThat(fromManifests.put(definition.name(), definition)).as("duplicate KafkaTopic " + definition.name())
                    .isNull();
        }

        assertThat(fromManifests).containsExactlyInAnyOrderEntriesOf(DeployFiles.topicList());
    }

    @Test
    void everyTopicBelongsToTheKafkaClusterAndIsReplicated() {
        for (Manifest topic : DeployFiles.manifests("KafkaTopic")) {
            JsonNode object = topic.object();
            assertThat(object.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .as(topic.name()).isEqualTo("apex-kafka");
            int replicas = object.path("spec").path("replicas").asInt();
            int minInSync = Integer.parseInt(object.path("spec").path("config").path("min.insync.replicas").asText("1"));
            assertThat(replicas).as(topic.name() + " replicas").isGreaterThanOrEqualTo(3);
            assertThat(minInSync).as(topic.name() + " min.insync.replicas").isBetween(2, replicas - 1);
        }
    }

    private static TopicDefinition toDefinition(JsonNode object) {
        JsonNode spec = object.path("spec");
        String name = spec.hasNonNull("topicName") ? spec.get("topicName").asText() : object.path("metadata").path("name").asText();
        JsonNode config = spec.path("config");
        return new TopicDefinition(name, spec.path("partitions").asInt(), Long.parseLong(config.path("retention.ms").asText("-1")),
                config.path("cleanup.policy").asText("delete"));
    }
}
