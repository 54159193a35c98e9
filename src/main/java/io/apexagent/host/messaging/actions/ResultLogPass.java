package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Answers a batch of {@link ResultLog.Lookup}s by reading each partition they concern once: from the earliest
 * point in time any of them asks about to the partition's end as it was when the pass began (a record written
 * later is not what a look-up asks about: it was queued after the question). Reading a partition stops early
 * once all its look-ups are answered. The consumer has no group and is created on first use; after a failure
 * it is closed and the next pass opens a new one. Used by one thread only.
 */
final class ResultLogPass implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final String topic;
    private final Duration limit;
    private KafkaConsumer<String, String> consumer;

    ResultLogPass(String bootstrap, String topic, Duration limit) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.limit = limit;
    }

    /**
     * Completes every look-up of {@code batch}: with the record it asks for, or empty.
     *
     * @throws RuntimeException if Kafka failed or the pass took longer than its limit; look-ups not yet
     *                          answered are then the caller's to fail
     */
    void answer(List<ResultLog.Lookup> batch) {
        try {
            long deadline = System.nanoTime() + limit.toNanos();
            KafkaConsumer<String, String> c = consumer();
            int partitions = c.partitionsFor(topic).size();
            for (Map.Entry<Integer, List<ResultLog.Lookup>> part : byPartition(batch, partitions).entrySet()) {
                read(c, new TopicPartition(topic, part.getKey()), part.getValue(), deadline);
            }
        } catch (RuntimeException e) {
            closeConsumer();
            throw e;
        }
    }

    private void read(KafkaConsumer<String, String> c, TopicPartition tp, List<ResultLog.Lookup> lookups, long deadline) {
        Map<String, List<ResultLog.Lookup>> open = new HashMap<>();
        long from = Long.MAX_VALUE;
        for (ResultLog.Lookup lookup : lookups) {
            open.computeIfAbsent(lookup.requestId(), k -> new ArrayList<>()).add(lookup);
            from = Math.min(from, lookup.fromMillis());
        }
        c.assign(List.of(tp));
        long end = c.endOffsets(List.of(tp)).get(tp);
        OffsetAndTimestamp start = c.offsetsForTimes(Map.of(tp, from)).get(tp);
        if (start != null) {
            c.seek(tp, start.offset());
            while (!open.isEmpty() && c.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + tp + " for " + open.size()
                            + " result look-ups took longer than " + limit);
                }
                for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                    if (r.offset() < end) {
                        match(open, r);
                    }
                }
            }
        }
        open.values().forEach(unanswered -> unanswered.forEach(l -> l.answer().complete(Optional.empty())));
    }

    /** Answers the open look-ups of the record's request that it satisfies. */
    private static void match(Map<String, List<ResultLog.Lookup>> open, ConsumerRecord<String, String> r) {
        List<ResultLog.Lookup> ofKey = open.get(r.key());
        if (ofKey == null) {
            return;
        }
        ofKey.removeIf(l -> {
            boolean found = r.timestamp() >= l.fromMillis() && l.wanted().test(r);
            if (found) {
                l.answer().complete(Optional.of(r.value()));
            }
            return found;
        });
        if (ofKey.isEmpty()) {
            open.remove(r.key());
        }
    }

    /** The look-ups per partition: the one the producer's default partitioner chose for the request's key. */
    private static Map<Integer, List<ResultLog.Lookup>> byPartition(List<ResultLog.Lookup> batch, int partitions) {
        Map<Integer, List<ResultLog.Lookup>> parts = new TreeMap<>();
        for (ResultLog.Lookup lookup : batch) {
            byte[] key = lookup.requestId().getBytes(StandardCharsets.UTF_8);
            parts.computeIfAbsent(Utils.toPositive(Utils.murmur2(key)) % partitions, p -> new ArrayList<>()).add(lookup);
        }
        return parts;
    }

    private KafkaConsumer<String, String> consumer() {
        if (consumer == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // A blocking call against an absent broker fails within the pass's limit instead of the default minute.
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(limit.toMillis()));
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        }
        return consumer;
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ZERO);
            } finally {
                consumer = null;
            }
        }
    }

    @Override
    public void close() {
        closeConsumer();
    }
}
