package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.plugin.runtime.PluginDataJson;
import io.apexagent.plugin.PluginExecutionException;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Publishes result records and DLQ records, each completing only when the broker acknowledged it.
 * A broker that is down is waited for (retries with backoff, without limit): nothing is dropped, and
 * the request's offset is not committed meanwhile.
 * <p>
 * Both go through a producer of the host's own rather than a reactive messaging emitter: the emitter's
 * sink resends a record whose send failed with a retriable error, as a new record, and cannot be told
 * not to without turning idempotence off. A send that fails after the broker wrote it (an expired
 * in-flight batch during a broker restart) was then written twice: duplicate final records. Here the
 * idempotent producer's own retries never duplicate, and a result record (chunk, final or error) whose
 * send still failed is first looked for on the topic ({@link ResultLog}: a final by type, a chunk by seq)
 * and resent only if it is not there. A dead letter whose send failed outright is resent without looking:
 * in that rare case it may be written twice, and readers can tell by {@code apex-dlq-source}, the origin
 * record's topic/partition@offset. Sends run on one sender thread (a send may block while the broker is
 * unknown); completions continue on the worker pool, never on the producer's I/O thread. Thread-safe.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ResultPublisher {

    /** Topic of records that are not requests at all. */
    public static final String DLQ_TOPIC = "apex.actions.dlq";
    /** Header naming the record type (chunk, final, error). */
    public static final String TYPE_HEADER = "apex-type";
    /** Header with the record's sequence number. */
    public static final String SEQ_HEADER = "apex-seq";
    /** DLQ header with the reason. */
    public static final String REASON_HEADER = "apex-dlq-reason";
    /** DLQ header with the origin record, topic/partition@offset. */
    public static final String SOURCE_HEADER = "apex-dlq-source";
    /** W3C trace context of the request, copied to its result records so that a tracer can join them. */
    public static final String TRACEPARENT_HEADER = "traceparent";

    private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

    /** The result producer's {@code client.id} is this and the node id. */
    public static final String CLIENT_ID_PREFIX = "apex-results-";

    private final KafkaProducer<String, String> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ExecutorService sender;
    private final ResultLog resultLog;
    private final ObjectMapper json;
    private final Backoff backoff;
    private volatile boolean stopping;

    ResultPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, ResultLog resultLog,
            ObjectMapper json, ApexConfig config, NodeIdentity node, ActionPathMetrics metrics) {
        Properties settings = ResultProducerSettings.of(bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID_PREFIX + node.nodeId());
        this.producer = new KafkaProducer<>(settings);
        this.producerMetrics = metrics.watchKafkaClient(producer);
        this.sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "apex-result-sender"));
        this.resultLog = resultLog;
        this.json = json;
        this.backoff = new Backoff(Duration.ofMillis(200), config.actions().maxRetryBackoff());
    }

    /**
     * @return the record as the JSON text stored and published
     * @throws PluginExecutionException if the plugin's data in it cannot be written as JSON
     */
    public String encode(ResultRecord record) {
        return PluginDataJson.write(json, record, record.pluginId(), record.action(),
                "the " + record.type() + " record of request " + record.requestId());
    }

    /**
     * Publishes one result record (already encoded), key requestId; resent while the broker does not acknowledge
     * it, unless it is found on the topic. Fails at once with {@link RecordTooLargeException} for a record larger than
     * the producer or the broker takes.
     *
     * @param traceparent the request's W3C trace context, or null
     */
    public Uni<Void> publish(String requestId, String type, long seq, String encoded, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        headers.add(SEQ_HEADER, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            headers.add(TRACEPARENT_HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(ResultLog.TOPIC, null, requestId, encoded,
                headers);
        Instant firstTry = Instant.now();
        Uni<Void> resend = Uni.createFrom().deferred(() -> alreadyOnTopic(requestId, type, seq, firstTry))
                .chain(landed -> landed ? Uni.createFrom().voidItem() : send(record));
        return send(record)
                .onFailure(this::worthResending).recoverWithUni(e -> {
                    warnNotAcknowledged(requestId, type, e);
                    return backoff.retryAfterPause(resend, this::worthResending, f -> warnNotAcknowledged(requestId, type, f));
                });
    }

    /** A record too large for the producer or the broker would be refused every time: the caller answers instead. */
    private boolean worthResending(Throwable failure) {
        return !stopping && !(failure instanceof RecordTooLargeException);
    }

    private static void warnNotAcknowledged(String requestId, String type, Throwable failure) {
        LOG.warnf("%s record of request %s not acknowledged, resending it unless it is on the topic: %s", type,
                requestId, failure);
    }

    private Uni<Boolean> alreadyOnTopic(String requestId, String type, long seq, Instant since) {
        return ResultRecord.CHUNK.equals(type) ? resultLog.containsChunk(requestId, seq, since)
                : resultLog.containsFinal(requestId, since);
    }

    /**
     * Sends a raw request record to the DLQ with the reason and its origin in headers. A value too large to be
     * sent (a compressed request can exceed the producer's {@code max.request.size} once decompressed) is left
     * out, and the reason says so: the dead letter must get through, or the record's offset never commits.
     */
    public Uni<Void> deadLetter(String key, String value, String reason, String topic, int partition, long offset) {
        String text = value == null ? "" : value;
        return retryDeadLetter(deadLetterRecord(key, text, reason, topic, partition, offset))
                .onFailure(RecordTooLargeException.class).recoverWithUni(e -> retryDeadLetter(deadLetterRecord(key, "",
                        reason + "; the value (" + text.length() + " characters) was left out: " + e.getMessage(),
                        topic, partition, offset)));
    }

    private Uni<Void> retryDeadLetter(ProducerRecord<String, String> record) {
        return backoff.retry(send(record), e -> !stopping && !(e instanceof RecordTooLargeException),
                e -> LOG.warnf("dead letter of %s not acknowledged, resending: %s",
                        new String(record.headers().lastHeader(SOURCE_HEADER).value(), StandardCharsets.UTF_8), e));
    }

    private static ProducerRecord<String, String> deadLetterRecord(String key, String value, String reason,
            String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (topic + "/" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(DLQ_TOPIC, null, key, value, headers);
    }

    /** One send, completed on the worker pool once the broker acknowledged (or refused) the record. */
    private Uni<Void> send(ProducerRecord<String, String> record) {
        return Uni.createFrom().emitter(done -> sender.execute(() -> {
            try {
                producer.send(record, (meta, error) -> completeOnWorker(done, error));
            } catch (RuntimeException e) {
                completeOnWorker(done, e);
            }
        }));
    }

    private static void completeOnWorker(UniEmitter<? super Void> done, Throwable error) {
        Infrastructure.getDefaultExecutor().execute(() -> WithoutContextPropagation.run(() -> {
            if (error == null) {
                done.complete(null);
            } else {
                done.fail(error);
            }
        }));
    }

    /** Once the replica shuts down, unpublished results are left to the replica that gets the request next. */
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
        sender.shutdown();
    }
}
