package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
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
 * Answers "is this record of a request already on {@code apex.actions.results}?" by reading the request's
 * result partition from a point in time. Needed only in rare cases: a replica died after publishing a
 * request's final record but before storing it (the replica that takes the request over looks here instead
 * of publishing a second final record), or a send failed after the broker may have written the record.
 * Look-ups share a few consumers (created on first use, without a consumer group) instead of opening a new
 * connection and group each time; blocking Kafka calls run on a worker thread. Thread-safe.
 */
@ApplicationScoped
public class ResultLog {

    static final String TOPIC = "apex.actions.results";
    /** How far before the stored time to start reading, to allow for clock differences between replicas. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    /** Most look-ups reading at once; more wait for a free consumer. */
    static final int CONSUMERS = 2;

    private final String bootstrap;
    private final BlockingQueue<KafkaConsumer<String, String>> idle = new ArrayBlockingQueue<>(CONSUMERS);
    private final Semaphore creatable = new Semaphore(CONSUMERS);

    ResultLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** @return whether a final or error record of {@code requestId} was written at or after {@code since} */
    public Uni<Boolean> containsFinal(String requestId, Instant since) {
        return findFinal(requestId, since).map(Optional::isPresent);
    }

    /** @return the first final or error record of {@code requestId} written at or after {@code since}, if any */
    public Uni<Optional<String>> findFinal(String requestId, Instant since) {
        return find(requestId, since, ResultLog::isFinal);
    }

    /** @return whether chunk {@code seq} of {@code requestId} was written at or after {@code since} */
    public Uni<Boolean> containsChunk(String requestId, long seq, Instant since) {
        String seqText = Long.toString(seq);
        return find(requestId, since, r -> ResultRecord.CHUNK.equals(header(r, ResultPublisher.TYPE_HEADER))
                && seqText.equals(header(r, ResultPublisher.SEQ_HEADER))).map(Optional::isPresent);
    }

    private Uni<Optional<String>> find(String requestId, Instant since, Predicate<ConsumerRecord<String, String>> wanted) {
        return Uni.createFrom().item(() -> withConsumer(c -> scan(c, requestId, since.minus(CLOCK_MARGIN), wanted)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Borrows a consumer; one that failed is closed rather than returned, as its state is unknown. */
    private <T> T withConsumer(Function<KafkaConsumer<String, String>, T> lookUp) {
        KafkaConsumer<String, String> consumer = borrow();
        try {
            T found = lookUp.apply(consumer);
            idle.add(consumer);
            return found;
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            creatable.release();
            throw e;
        }
    }

    private KafkaConsumer<String, String> borrow() {
        KafkaConsumer<String, String> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        if (creatable.tryAcquire()) {
            return newConsumer();
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a result-log consumer", e);
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try {
            return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        } catch (RuntimeException e) {
            creatable.release();
            throw e;
        }
    }

    private static Optional<String> scan(KafkaConsumer<String, String> consumer, String requestId, Instant from,
            Predicate<ConsumerRecord<String, String>> wanted) {
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
                if (requestId.equals(r.key()) && wanted.test(r)) {
                    return Optional.of(r.value());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isFinal(ConsumerRecord<String, String> record) {
        String type = header(record, ResultPublisher.TYPE_HEADER);
        return type != null && !ResultRecord.CHUNK.equals(type);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        for (KafkaConsumer<String, String> consumer; (consumer = idle.poll()) != null;) {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
