package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.ApexConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes result records and DLQ records, each completing only when the broker acknowledged it.
 * A broker that is down is waited for (retries with backoff, without limit): nothing is dropped, and
 * the request's offset is not committed meanwhile. Thread-safe.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ResultPublisher {

    /** Outgoing channel of {@code apex.actions.results}. */
    public static final String RESULTS = "action-results";
    /** Outgoing channel of {@code apex.actions.dlq}. */
    public static final String DLQ = "action-dlq";
    /** Header naming the record type (chunk, final, error). */
    public static final String TYPE_HEADER = "apex-type";
    /** Header with the record's sequence number. */
    public static final String SEQ_HEADER = "apex-seq";
    /** DLQ header with the reason. */
    public static final String REASON_HEADER = "apex-dlq-reason";

    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> dlq;
    private final ObjectMapper json;
    private final Duration maxBackoff;
    private volatile boolean stopping;

    ResultPublisher(@Channel(RESULTS) MutinyEmitter<String> results, @Channel(DLQ) MutinyEmitter<String> dlq,
            ObjectMapper json, ApexConfig config) {
        this.results = results;
        this.dlq = dlq;
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
        Message<String> message = Message.of(encoded).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(requestId).withHeaders(headers).build());
        return withRetry(Uni.createFrom().deferred(() -> results.sendMessage(message)));
    }

    /** Sends a raw request record to the DLQ with the reason and its origin in headers. */
    public Uni<Void> deadLetter(String key, String value, String reason, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("apex-dlq-source", (topic + "/" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(value == null ? "" : value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build());
        return withRetry(Uni.createFrom().deferred(() -> dlq.sendMessage(message)));
    }

    private Uni<Void> withRetry(Uni<Void> send) {
        return send.onFailure(e -> !stopping).retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely();
    }

    /** Once the replica shuts down, unpublished results are left to the replica that gets the request next. */
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }
}
