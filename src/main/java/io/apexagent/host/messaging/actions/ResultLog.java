package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Answers "is the final record of this request already on {@code apex.actions.results}?" by reading
 * the request's result partition from a point in time. Needed only in one rare case: a replica died
 * after storing a request's final record but before noting that the broker had acknowledged it; the
 * replica that takes the request over looks here instead of publishing a second final record.
 * Blocking Kafka calls run on a worker thread. Thread-safe.
 */
@ApplicationScoped
public class ResultLog {

    static final String TOPIC = "apex.actions.results";
    /** How far before the stored time to start reading, to allow for clock differences between replicas. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private final String bootstrap;

    ResultLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** @return whether a final or error record of {@code requestId} was written at or after {@code since} */
    public Uni<Boolean> containsFinal(String requestId, Instant since) {
        return findFinal(requestId, since).map(Optional::isPresent);
    }

    /** @return the first final or error record of {@code requestId} written at or after {@code since}, if any */
    public Uni<Optional<String>> findFinal(String requestId, Instant since) {
        return Uni.createFrom().item(() -> scan(requestId, since.minus(CLOCK_MARGIN)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Optional<String> scan(String requestId, Instant from) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "apex-result-log-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            int partitions = consumer.partitionsFor(TOPIC).size();
            byte[] key = requestId.getBytes(StandardCharsets.UTF_8);
            // The same partition the producer's default partitioner chose for this key.
            TopicPartition tp = new TopicPartition(TOPIC, Utils.toPositive(Utils.murmur2(key)) % partitions);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(Map.of(tp, from.toEpochMilli()));
            if (start.get(tp) == null) {
                return Optional.empty();
            }
            consumer.seek(tp, start.get(tp).offset());
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (requestId.equals(r.key()) && isFinal(r)) {
                        return Optional.of(r.value());
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static boolean isFinal(ConsumerRecord<String, String> record) {
        var type = record.headers().lastHeader(ResultPublisher.TYPE_HEADER);
        return type != null && !ResultRecord.CHUNK.equals(new String(type.value(), StandardCharsets.UTF_8));
    }
}
