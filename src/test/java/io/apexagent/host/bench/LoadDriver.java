package io.apexagent.host.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import io.apexagent.host.messaging.actions.ResultPublisher;
import io.apexagent.host.messaging.actions.ResultRecord;

/**
 * Sends echo requests to a request topic and times each one until its final (or error) record arrives on a
 * result topic. The send time of request i is kept in this JVM ({@link System#nanoTime()}), and the record
 * carries the wall-clock send time as its timestamp. At full speed a request is timed from the moment it is
 * handed to the producer; at a fixed rate from the moment it was due (so a late sender counts against the
 * system, not in its favour). Not thread-safe: one phase at a time.
 */
final class LoadDriver implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String bootstrap;

    LoadDriver(String bootstrap) {
        this.bootstrap = bootstrap;
        // A client service would send with the same durable settings the host answers with.
        this.producer = new KafkaProducer<>(KafkaClients.resultProducer(bootstrap));
    }

    /**
     * Sends {@code count} requests with ids {@code prefix-<i>} and waits for all their final records.
     *
     * @param rate requests per second, or 0 for full speed
     */
    Phase run(String requestTopic, String resultTopic, String prefix, int count, double rate, Duration timeout) {
        long[] sent = new long[count];
        long[] received = new long[count];
        Map<String, Integer> errors = new TreeMap<>();
        try (KafkaConsumer<String, String> results = new KafkaConsumer<>(KafkaClients.resultReader(bootstrap))) {
            List<TopicPartition> partitions = results.partitionsFor(resultTopic).stream()
                    .map(p -> new TopicPartition(resultTopic, p.partition())).toList();
            results.assign(partitions);
            results.seekToEnd(partitions);
            partitions.forEach(results::position); // resolve the end now, before the first request goes out
            Collector collector = new Collector(results, prefix, received, errors, timeout);
            Thread collecting = new Thread(collector, "bench-collector");
            collecting.start();
            send(requestTopic, prefix, count, rate, sent);
            collecting.join();
            if (collector.done < count) {
                throw new IllegalStateException(prefix + ": only " + collector.done + " of " + count
                        + " final records arrived within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return Phase.of(sent, received, errors);
    }

    private void send(String topic, String prefix, int count, double rate, long[] sent) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                sent[i] = due;
            } else {
                sent[i] = System.nanoTime();
            }
            String id = prefix + "-" + i;
            producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), id, request(id, i)));
        }
        producer.flush();
    }

    private static String request(String id, int i) {
        return "{\"requestId\":\"" + id + "\",\"pluginId\":\"echo\",\"action\":\"echo\",\"params\":{\"text\":\"benchmark request "
                + i + "\"}}";
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Reads result records until every request of the phase has its final record. */
    private static final class Collector implements Runnable {
        private final KafkaConsumer<String, String> results;
        private final String prefix;
        private final long[] received;
        private final Map<String, Integer> errors;
        private final long deadline;
        volatile int done;

        Collector(KafkaConsumer<String, String> results, String prefix, long[] received, Map<String, Integer> errors,
                Duration timeout) {
            this.results = results;
            this.prefix = prefix + "-";
            this.received = received;
            this.errors = errors;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        @Override
        public void run() {
            int finished = 0;
            while (finished < received.length && System.nanoTime() < deadline) {
                var records = results.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, String> r : records) {
                    String type = header(r, ResultPublisher.TYPE_HEADER);
                    if (r.key() == null || !r.key().startsWith(prefix) || ResultRecord.CHUNK.equals(type)) {
                        continue;
                    }
                    int i = Integer.parseInt(r.key().substring(prefix.length()));
                    if (received[i] == 0) {
                        received[i] = now;
                        finished++;
                        if (ResultRecord.ERROR.equals(type)) {
                            errors.merge(errorType(r.value()), 1, Integer::sum);
                        }
                    }
                }
                done = finished;
            }
        }

        private static String header(ConsumerRecord<String, String> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }

        private static String errorType(String value) {
            int at = value.indexOf("\"error\":{\"type\":\"");
            return at < 0 ? "?" : value.substring(at + 17, value.indexOf('"', at + 17));
        }
    }

    /** Figures of one phase: throughput from the first send to the last final record, and latencies. */
    record Phase(int count, double throughput, double sendRate, long[] sortedLatencyNanos, Map<String, Integer> errors) {

        static Phase of(long[] sent, long[] received, Map<String, Integer> errors) {
            long first = Arrays.stream(sent).min().orElseThrow();
            long lastSent = Arrays.stream(sent).max().orElseThrow();
            long last = Arrays.stream(received).max().orElseThrow();
            long[] latency = new long[sent.length];
            for (int i = 0; i < sent.length; i++) {
                latency[i] = received[i] - sent[i];
            }
            Arrays.sort(latency);
            return new Phase(sent.length, sent.length * 1e9 / (last - first),
                    sent.length * 1e9 / Math.max(1, lastSent - first), latency, Map.copyOf(errors));
        }

        /** @return the latency at quantile {@code q} (0..1) in milliseconds */
        double latencyMs(double q) {
            int index = (int) Math.ceil(q * sortedLatencyNanos.length) - 1;
            return sortedLatencyNanos[Math.max(0, Math.min(index, sortedLatencyNanos.length - 1))] / 1e6;
        }
    }
}
