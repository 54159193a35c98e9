package io.apexagent.host.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** A record produced to the real broker is consumed by the host, which answers on another topic. */
@QuarkusTest
class HostPingRoundTripIT {

    KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap());
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void pingIsAnsweredWithNodeIdOnPongTopic() {
        String key = UUID.randomUUID().toString();
        ConsumerTask<String, String> pongs = kafka.consumeStrings()
                .withGroupId("ping-test-" + key)
                .withAutoCommit()
                .fromTopics("apex.host.pong");
        // The host subscribes with offset reset "latest": keep pinging until its consumer is assigned.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.host.ping", key, "hello")).awaitCompletion();
                    return pongs.getRecords().stream().anyMatch(r -> key.equals(r.key()));
                });
        var reply = pongs.getRecords().stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        assertThat(reply.value()).isEqualTo("pong from test-node: hello");
        pongs.stop();
    }
}
