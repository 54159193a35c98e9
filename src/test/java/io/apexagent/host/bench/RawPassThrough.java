package io.apexagent.host.bench;

import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.apexagent.host.messaging.actions.ResultPublisher;
import io.apexagent.host.messaging.actions.ResultRecord;

/**
 * The baseline of the action path benchmark: a plain consumer → producer loop without the host. It reads
 * request records, answers each with one final record (JSON parsed and written as the echo plugin's result),
 * and commits a request's offset only after its result was acknowledged, in offset order, every
 * {@link KafkaClients#COMMIT_INTERVAL_MS} — the host's guarantees, with none of its work (no database, no
 * plugin call). With a {@link PassThroughLedger} it is the <em>durable</em> pass-through: it also claims each
 * poll's requests in PostgreSQL before answering them, and stores their final records once acknowledged (one
 * statement per batch), and a request's offset is committed only after that — what the action path's idempotency
 * costs, at its cheapest. One thread; closed by {@link #close()}.
 */
final class RawPassThrough implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Names the loop's thread and the producer's I/O thread ("kafka-producer-network-thread | NAME"). */
    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final PassThroughLedger ledger;
    private final String outTopic;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<TopicPartition, ArrayDeque<Pending>> pending = new HashMap<>();
    /** Acknowledged results not stored in the ledger yet, filled by the producer's I/O thread. */
    private final ConcurrentLinkedQueue<Pending> acknowledged = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param name of its threads, unique in this JVM
     * @param group its consumer group: loops in one group share the topic's partitions
     * @param ledger where requests are recorded, or null for the plain pass-through
     */
    RawPassThrough(String name, String group, String bootstrap, String inTopic, String outTopic,
            PassThroughLedger ledger) {
        this.name = name;
        this.consumer = new KafkaConsumer<>(KafkaClients.requestConsumer(bootstrap, group));
        Properties producerSettings = KafkaClients.resultProducer(bootstrap);
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        this.producer = new KafkaProducer<>(producerSettings);
        this.ledger = ledger;
        this.outTopic = outTopic;
        consumer.subscribe(List.of(inTopic));
        this.thread = new Thread(this::loop, name);
        thread.start();
    }

    private void loop() {
        long lastCommit = System.currentTimeMillis();
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                if (ledger == null) {
                    for (ConsumerRecord<String, String> record : records) {
                        send(record, answer(record));
                    }
                } else {
                    answerRecorded(records);
                    storeAcknowledged();
                }
                if (System.currentTimeMillis() - lastCommit >= KafkaClients.COMMIT_INTERVAL_MS) {
                    commitAcknowledged();
                    lastCommit = System.currentTimeMillis();
                }
            }
            commitAcknowledged();
        } catch (WakeupException e) {
            // close() woke the loop up
        } catch (RuntimeException | JsonProcessingException | SQLException e) {
            failure = e;
        } finally {
            producer.close();
            consumer.close();
        }
    }

    /** Claims the poll's requests in one statement, then answers those that were not recorded before. */
    private void answerRecorded(ConsumerRecords<String, String> records) throws JsonProcessingException, SQLException {
        if (records.isEmpty()) {
            return;
        }
        List<PassThroughLedger.Request> requests = new ArrayList<>(records.count());
        List<String> results = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            JsonNode request = json.readTree(record.value());
            requests.add(new PassThroughLedger.Request(request.path("requestId").asText(),
                    request.path("pluginId").asText(), request.path("action").asText(), record.partition(),
                    record.offset()));
            results.add(answer(request));
        }
        Set<String> claimed = ledger.claim(requests);
        int i = 0;
        for (ConsumerRecord<String, String> record : records) {
            if (claimed.contains(requests.get(i).requestId())) {
                send(record, results.get(i)).requestId = requests.get(i).requestId();
            }
            i++;
        }
    }

    /** Stores the final records the broker has acknowledged since the last call, in one statement. */
    private void storeAcknowledged() throws SQLException {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = acknowledged.poll()) != null;) {
            batch.add(p);
        }
        if (!batch.isEmpty()) {
            ledger.complete(batch.stream().map(p -> p.requestId).toList(), batch.stream().map(p -> p.result).toList());
            batch.forEach(p -> p.stored = true);
        }
    }

    private String answer(ConsumerRecord<String, String> record) throws JsonProcessingException {
        return answer(json.readTree(record.value()));
    }

    private String answer(JsonNode request) throws JsonProcessingException {
        String text = request.path("params").path("text").asText();
        ObjectNode result = json.createObjectNode();
        result.put("requestId", request.path("requestId").asText());
        result.put("pluginId", request.path("pluginId").asText());
        result.put("pluginVersion", "1.0.0");
        result.put("action", request.path("action").asText());
        result.put("seq", 0);
        result.put("type", ResultRecord.FINAL);
        result.putObject("data").put("text", text).put("length", text.length());
        result.put("nodeId", "raw");
        result.put("time", Instant.now().toString());
        return json.writeValueAsString(result);
    }

    private Pending send(ConsumerRecord<String, String> record, String result) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ResultPublisher.TYPE_HEADER, ResultRecord.FINAL.getBytes(StandardCharsets.UTF_8));
        headers.add(ResultPublisher.SEQ_HEADER, "0".getBytes(StandardCharsets.UTF_8));
        Pending p = new Pending(record.offset(), result);
        pending.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new ArrayDeque<>()).add(p);
        producer.send(new ProducerRecord<>(outTopic, null, record.key(), result, headers),
                (meta, error) -> {
                    if (error != null) {
                        failure = error;
                    } else if (ledger == null) {
                        p.stored = true;
                    } else {
                        acknowledged.add(p);
                    }
                });
        return p;
    }

    /**
     * Commits, per partition, the offset after the last request whose result and all earlier ones are acknowledged
     * (and, for the durable pass-through, stored).
     */
    private void commitAcknowledged() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((tp, queue) -> {
            long next = -1;
            while (!queue.isEmpty() && queue.peek().stored) {
                next = queue.poll().offset + 1;
            }
            if (next >= 0) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, null);
        }
    }

    /**
     * CPU time of the pass-through's own threads (its loop and its producer's I/O thread), to set against the host
     * process's: both sides then count the work of passing a request through, not the benchmark's load driver.
     *
     * @return milliseconds
     */
    double cpuMillis() {
        long nanos = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && (info.getThreadName().equals(name) || info.getThreadName().endsWith("| " + name))) {
                nanos += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos / 1e6;
    }

    /** @throws IllegalStateException if the loop failed */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("raw pass-through failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join();
    }

    /**
     * A request whose result was sent; {@code stored} is set once its result is acknowledged (by the producer's I/O
     * thread) and, for the durable pass-through, stored (by the loop).
     */
    private static final class Pending {
        final long offset;
        final String result;
        String requestId;
        volatile boolean stored;

        Pending(long offset, String result) {
            this.offset = offset;
            this.result = result;
        }
    }
}
