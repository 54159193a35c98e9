package io.apexagent.host.bench;

import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
 * plugin call). One thread; closed by {@link #close()}.
 */
final class RawPassThrough implements AutoCloseable {

    /** Names the producer's I/O thread ("kafka-producer-network-thread | bench-raw"), whose CPU is the raw side's. */
    private static final String CLIENT_ID = "bench-raw";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final String outTopic;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<TopicPartition, ArrayDeque<Pending>> pending = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    RawPassThrough(String bootstrap, String inTopic, String outTopic) {
        this.consumer = new KafkaConsumer<>(KafkaClients.requestConsumer(bootstrap, "bench-raw-" + inTopic));
        Properties producerSettings = KafkaClients.resultProducer(bootstrap);
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        this.producer = new KafkaProducer<>(producerSettings);
        this.outTopic = outTopic;
        consumer.subscribe(List.of(inTopic));
        this.thread = new Thread(this::loop, "raw-pass-through");
        thread.start();
    }

    private void loop() {
        long lastCommit = System.currentTimeMillis();
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, String> record : records) {
                    answer(record);
                }
                if (System.currentTimeMillis() - lastCommit >= KafkaClients.COMMIT_INTERVAL_MS) {
                    commitAcknowledged();
                    lastCommit = System.currentTimeMillis();
                }
            }
            commitAcknowledged();
        } catch (WakeupException e) {
            // close() woke the loop up
        } catch (RuntimeException | JsonProcessingException e) {
            failure = e;
        } finally {
            producer.close();
            consumer.close();
        }
    }

    private void answer(ConsumerRecord<String, String> record) throws JsonProcessingException {
        JsonNode request = json.readTree(record.value());
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
        RecordHeaders headers = new RecordHeaders();
        headers.add(ResultPublisher.TYPE_HEADER, ResultRecord.FINAL.getBytes(StandardCharsets.UTF_8));
        headers.add(ResultPublisher.SEQ_HEADER, "0".getBytes(StandardCharsets.UTF_8));
        Pending p = new Pending(record.offset());
        pending.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new ArrayDeque<>()).add(p);
        producer.send(new ProducerRecord<>(outTopic, null, record.key(), json.writeValueAsString(result), headers),
                (meta, error) -> {
                    if (error != null) {
                        failure = error;
                    } else {
                        p.acked = true;
                    }
                });
    }

    /** Commits, per partition, the offset after the last request whose result and all earlier ones are acknowledged. */
    private void commitAcknowledged() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((tp, queue) -> {
            long next = -1;
            while (!queue.isEmpty() && queue.peek().acked) {
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
            if (info != null && (info.getThreadName().equals(thread.getName())
                    || info.getThreadName().endsWith("| " + CLIENT_ID))) {
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

    /** A request whose result was sent; {@code acked} is set by the producer's I/O thread. */
    private static final class Pending {
        final long offset;
        volatile boolean acked;

        Pending(long offset) {
            this.offset = offset;
        }
    }
}
