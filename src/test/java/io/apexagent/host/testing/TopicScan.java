package io.apexagent.host.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of every topic of the suite's broker, from the beginning to the end offsets of the
 * moment it starts, as text (key, value and headers). For proving that something never reached Kafka.
 */
public final class TopicScan {

    private TopicScan() {
    }

    /**
     * @param scanned records read
     * @param hits    "topic/partition@offset: value" of each record whose key, value or a header contains the needle
     */
    public record Result(long scanned, List<String> hits) {
    }

    /** @return what a scan of every record for {@code needle} found */
    public static Result scan(String needle) throws Exception {
        String bootstrap = TestInfrastructure.get().kafkaBootstrap();
        Set<String> topics;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            topics = admin.listTopics().names().get();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream()
                    .flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> hits = new ArrayList<>();
            long scanned = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics not read to their end offsets within 60 s: " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    scanned++;
                    if (contains(r, needle)) {
                        hits.add(r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + text(r.value()));
                    }
                }
            }
            return new Result(scanned, hits);
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static boolean contains(ConsumerRecord<byte[], byte[]> r, String needle) {
        if (text(r.key()).contains(needle) || text(r.value()).contains(needle)) {
            return true;
        }
        for (Header h : r.headers()) {
            if (h.key().contains(needle) || text(h.value()).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
