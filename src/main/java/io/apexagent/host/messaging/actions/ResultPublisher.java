package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.ApexConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes result records and DLQ records, each completing only when the broker acknowledged it.
 * A broker that is down is waited for (retries with backoff, without limit): nothing is dropped, and
 * the request's offset is not committed meanwhile.
 * <p>
 * Results go through a producer of their own rather than a reactive messaging emitter: the emitter's
 * sink resends a record whose send failed with a retriable error, as a new record, and cannot be told
 * not to without turning idempotence off. A send that fails after the broker wrote it (an expired
 * in-flight batch during a broker restart) was then written twice: duplicate final records. Here, a
 * final or error record whose send failed is first looked for on the topic ({@link ResultLog}) and
 * resent only if it is not there. A chunk is resent without looking (a reader may see a chunk twice,
 * with the same seq, in that rare case). Sends run on one sender thread (a send may block while the
 * broker is unknown); completions continue on the worker pool, never on the producer's I/O thread.
 * Thread-safe.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ResultPublisher {

    /** Outgoing channel of {@code apex.actions.dlq}. */
    public static final String DLQ = "action-dlq";
    /** Header naming the record type (chunk, final, error). */
    public static final String TYPE_HEADER = "apex-type";
    /** Header with the record's sequence number. */
    public static final String SEQ_HEADER = "apex-seq";
    /** DLQ header with the reason. */
    public static final String REASON_HEADER = "apex-dlq-reason";

    private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

    private final KafkaProducer<String, String> results;
    private final ExecutorService sender;
    private final MutinyEmitter<String> dlq;
    private final ResultLog resultLog;
    private final ObjectMapper json;
    private final Duration maxBackoff;
    private volatile boolean stopping;

    ResultPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @Channel(DLQ) MutinyEmitter<String> dlq, ResultLog resultLog, ObjectMapper json, ApexConfig config) {
        this.results = new KafkaProducer<>(ResultProducerSettings.of(bootstrap));
        this.sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "apex-result-sender"));
        this.dlq = dlq;
        this.resultLog = resultLog;
        this.json = json;
        this.maxBackoff = config.actions().maxRetryBackoff();
    }

    /** @return the record as the JSON text stored and published */
    public String encode(ResultRecord record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("result of " + record.requestId() + " is not JSON-serializable: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Publishes one result record (already encoded), key requestId. */
    public Uni<Void> publish(String requestId, String type, long seq, String encoded) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        headers.add(SEQ_HEADER, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, String> record = new ProducerRecord<>(ResultLog.TOPIC, null, requestId, encoded,
                headers);
        boolean isFinal = !ResultRecord.CHUNK.equals(type);
        Instant firstTry = Instant.now();
        AtomicBoolean failedBefore = new AtomicBoolean();
        Uni<Void> attempt = Uni.createFrom().deferred(() -> isFinal && failedBefore.get()
                ? resultLog.containsFinal(requestId, firstTry).chain(landed -> landed ? Uni.createFrom().voidItem()
                        : send(record))
                : send(record));
        return attempt
                .onFailure(e -> !stopping).invoke(e -> {
                    failedBefore.set(true);
                    LOG.warnf("%s record of request %s not acknowledged, retrying%s: %s", type, requestId,
                            isFinal ? " if it is not on the topic" : "", e);
                })
                .onFailure(e -> !stopping).retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely();
    }

    private Uni<Void> send(ProducerRecord<String, String> record) {
        return Uni.createFrom().<Void>emitter(done -> results.send(record, (meta, error) -> {
            if (error != null) {
                done.fail(error);
            } else {
                done.complete(null);
            }
        }))
                .runSubscriptionOn(sender)
                .emitOn(Infrastructure.getDefaultExecutor());
    }

    /** Sends a raw request record to the DLQ with the reason and its origin in headers. */
    public Uni<Void> deadLetter(String key, String value, String reason, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("apex-dlq-source", (topic + "/" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(value == null ? "" : value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build());
        return Uni.createFrom().deferred(() -> dlq.sendMessage(message))
                .onFailure(e -> !stopping).retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely();
    }

    /** Once the replica shuts down, unpublished results are left to the replica that gets the request next. */
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void close() {
        results.close(Duration.ofSeconds(10));
        sender.shutdown();
    }
}
