package io.apexagent.host.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Request traffic of the cluster tests: requests sent to {@code apex.actions.requests}, their final records read back. */
final class ActionTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ActionTraffic() {
    }

    /** Sends {@code n} streaming requests (ticker counting 1..to, interval_ms apart); returns their ids. */
    static List<String> sendTicker(KafkaCompanion kafka, String prefix, int n, int to, int intervalMs) {
        return send(kafka, prefix, n, (id, i) -> "\"pluginId\":\"ticker\",\"action\":\"count\",\"params\":{\"from\":1,"
                + "\"to\":" + to + ",\"interval_ms\":" + intervalMs + "}");
    }

    /** Sends {@code n} echo requests; returns their ids. */
    static List<String> sendEcho(KafkaCompanion kafka, String prefix, int n) {
        return send(kafka, prefix, n, (id, i) -> "\"pluginId\":\"echo\",\"action\":\"echo\",\"params\":{\"text\":\"" + i
                + "\"}");
    }

    private static List<String> send(KafkaCompanion kafka, String prefix, int n,
            BiFunction<String, Integer, String> fields) {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + UUID.randomUUID();
            ids.add(id);
            records.add(new ProducerRecord<>("apex.actions.requests", id,
                    "{\"requestId\":\"" + id + "\"," + fields.apply(id, i) + "}"));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofMinutes(1));
        return ids;
    }

    /**
     * The final (or error) records of {@code wanted} on the topic. A record the test's consumer read twice (it
     * re-reads from its last committed offset after a broker restart) is one record on the topic, not a duplicate
     * final: records are told apart by partition and offset.
     */
    static Map<String, List<JsonNode>> finalsOf(ConsumerTask<String, String> results, Set<String> wanted) {
        Map<String, List<JsonNode>> finals = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : results.getRecords()) {
            if (!wanted.contains(r.key()) || !seen.add(r.partition() + "@" + r.offset())) {
                continue;
            }
            var type = r.headers().lastHeader("apex-type");
            if (type != null && !"chunk".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                try {
                    finals.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return finals;
    }
}
