package io.apexagent.host.messaging.events;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.OnePassAtATime;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.events.HostEventBus;
import io.apexagent.plugin.PluginEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.json.JsonObject;

/**
 * Forwards the replica's internal events to Kafka as CloudEvents 1.0 (structured JSON, key pluginId):
 * lifecycle transitions to {@code apex.plugin.lifecycle}, plugin events to {@code apex.plugin.events}
 * (which other replicas read), errors and security events (type {@value #SECURITY_TYPE}) to
 * {@code apex.plugin.errors}. Each carries the extensions
 * {@code nodeid}, {@code pluginid} and {@code pluginversion}, and the time it happened.
 *
 * <p>An event the broker never acknowledges (an outage longer than its channel's {@code delivery.timeout.ms}) is
 * held in PostgreSQL ({@link EventOutbox}) and sent again, whole (same id and time), by whichever replica looks
 * first once the broker is back; auditors may therefore see it late and out of order, and, should the row not be
 * deleted after the broker's acknowledgement (a replica stopping, the database away), twice with the same id. Only an
 * event that can be neither sent nor held, or that the broker refuses for good (too large, not authorized), is
 * lost, and counted.
 */
@ApplicationScoped
public class EventForwarder {

    public static final String LIFECYCLE = "plugin-lifecycle";
    public static final String EVENTS = "plugin-events";
    public static final String ERRORS = "plugin-errors";
    /** CloudEvents type of security events on the errors topic (denials, refused loads, credential changes). */
    public static final String SECURITY_TYPE = "io.apexagent.plugin.security";
    /** CloudEvents extension naming the replica that produced the event. */
    public static final String NODE_EXTENSION = "nodeid";
    /** Counter of events neither forwarded nor held, tagged by channel. */
    public static final String NOT_FORWARDED = "apex.events.not.forwarded";
    /** Counter of events the broker never acknowledged, held in the outbox to be sent again, tagged by channel. */
    public static final String HELD = "apex.events.held";
    /** Counter of held events sent again, tagged by channel. */
    public static final String RESENT = "apex.events.resent";
    /** Held events one replica takes at once. */
    static final int OUTBOX_BATCH = 500;
    /** Held events sent at once, each awaiting its acknowledgement. */
    static final int RESEND_CONCURRENCY = 64;

    private static final Logger LOG = Logger.getLogger(EventForwarder.class);
    private static final String NOT_FORWARDED_HELP = "events lost: the broker refused them for good, or never "
            + "acknowledged them and event_outbox refused them or held them past apex.events.outbox-max-age";
    private static final String HELD_HELP = "events the broker never acknowledged, held in event_outbox to be sent again";
    private static final String RESENT_HELP = "held events sent again";

    private final Map<String, MutinyEmitter<Object>> emitters;
    private final EventOutbox outbox;
    private final String nodeId;
    private final MeterRegistry registry;
    private final Duration outboxClaim;
    private final Duration outboxMaxAge;
    private final OnePassAtATime resends;

    EventForwarder(@Channel(LIFECYCLE) MutinyEmitter<Object> lifecycle, @Channel(EVENTS) MutinyEmitter<Object> events,
            @Channel(ERRORS) MutinyEmitter<Object> errors, EventOutbox outbox, NodeIdentity node, MeterRegistry registry,
            ApexConfig config) {
        this.emitters = Map.of(LIFECYCLE, lifecycle, EVENTS, events, ERRORS, errors);
        this.outbox = outbox;
        this.nodeId = node.nodeId();
        this.registry = registry;
        this.outboxClaim = config.events().outboxClaim();
        this.outboxMaxAge = config.events().outboxMaxAge();
        this.resends = new OnePassAtATime(LOG, config.events().outboxInterval(), outboxClaim);
    }

    void start(@Observes StartupEvent event, HostEventBus bus) {
        bus.onLifecycle(e -> forward(LIFECYCLE, e, e.pluginId(), e.version(), "io.apexagent.plugin.lifecycle"));
        bus.onPluginEvent(e -> forward(EVENTS, e, e.sourcePluginId(), null, "io.apexagent.plugin.event"));
        bus.onError(e -> forward(ERRORS, e, e.pluginId(), e.version(),
                e.isSecurityEvent() ? SECURITY_TYPE : "io.apexagent.plugin.error"));
        for (String channel : emitters.keySet()) {
            // Registered at start, so that a scrape shows them at 0 before anything happened.
            counter(NOT_FORWARDED, NOT_FORWARDED_HELP, channel);
            counter(HELD, HELD_HELP, channel);
            counter(RESENT, RESENT_HELP, channel);
        }
        resends.every(() -> expireHeld().chain(() -> resendFrom(1, 0)).invoke(resent -> {
            if (resent > 0) {
                LOG.infof("sent %d held events again", resent);
            }
        }), () -> "sending held events again");
    }

    void stop(@Observes ShutdownEvent event) {
        resends.stop();
    }

    private Counter counter(String name, String description, String channel) {
        return Counter.builder(name).description(description).tag("channel", channel).register(registry);
    }

    private void forward(String channel, Object payload, String pluginId, String version, String type) {
        Map<String, Object> extensions = new java.util.HashMap<>();
        extensions.put(NODE_EXTENSION, nodeId);
        extensions.put("pluginid", pluginId);
        if (version != null) {
            extensions.put("pluginversion", version);
        }
        String id = UUID.randomUUID().toString();
        String source = "apex-plugin-host/" + nodeId;
        ZonedDateTime time = ZonedDateTime.now(ZoneOffset.UTC);
        Message<Object> message = message(payload, id, type, source, pluginId, time, extensions);
        // Fire and report: auditing must never block or fail a plugin operation; the producer retries.
        Uni.createFrom().deferred(() -> emitters.get(channel).sendMessage(message))
                .subscribe().with(ok -> { }, failure -> holdOrCount(channel, payload, id, type, source, pluginId, time,
                        extensions, failure));
    }

    private void holdOrCount(String channel, Object payload, String id, String type, String source, String pluginId,
            ZonedDateTime time, Map<String, Object> extensions, Throwable failure) {
        if (!worthSendingAgain(failure)) {
            lost(channel, id, type, pluginId, failure, "the broker refused it for good");
            return;
        }
        EventOutbox.HeldEvent held;
        try {
            held = new EventOutbox.HeldEvent(0, channel, id, type, source, pluginId, time,
                    new JsonObject(extensions).encode(), data(payload));
        } catch (RuntimeException notJson) {
            lost(channel, id, type, pluginId, failure, "it cannot be written as JSON to be held: " + notJson.getMessage());
            return;
        }
        hold(held, failure);
    }

    /**
     * A failure another attempt may get past: the broker away or slow (Kafka's retriable errors, time-outs). Not one
     * the broker gives for the event itself (too large, not authorized, invalid topic): held, it would be sent again
     * and refused for ever.
     */
    public static boolean worthSendingAgain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException
                    && !(t instanceof org.apache.kafka.common.errors.RetriableException)) {
                return false;
            }
        }
        return true;
    }

    private void lost(String channel, String id, String type, String pluginId, Throwable failure, String why) {
        counter(NOT_FORWARDED, NOT_FORWARDED_HELP, channel).increment();
        LOG.errorf(failure, "%s event %s of %s not forwarded to Kafka, and not held, because %s: lost", type, id,
                pluginId, why);
    }

    /** The event's data as the connector writes it (the payloads are records: JSON objects). */
    private static String data(Object payload) {
        return JsonObject.mapFrom(payload).encode();
    }

    private void hold(EventOutbox.HeldEvent event, Throwable brokerFailure) {
        Uni.createFrom().deferred(() -> outbox.hold(event)).subscribe().with(
                held -> {
                    counter(HELD, HELD_HELP, event.channel()).increment();
                    LOG.warnf("%s event %s of %s not acknowledged by Kafka (%s): held in event_outbox, to be sent "
                            + "again once the broker is back", event.type(), event.eventId(), event.subject(),
                            brokerFailure.getMessage());
                },
                notHeld -> lost(event.channel(), event.eventId(), event.type(), event.subject(), brokerFailure,
                        "event_outbox refused it: " + notHeld.getMessage()));
    }

    /** Events held longer than {@code apex.events.outbox-max-age} are given up on: deleted, logged, counted. */
    private Uni<Void> expireHeld() {
        return outbox.expire(outboxMaxAge).invoke(channels -> {
            for (String channel : channels) {
                counter(NOT_FORWARDED, NOT_FORWARDED_HELP, channel).increment();
            }
            if (!channels.isEmpty()) {
                LOG.errorf("%d held events were not sent within %s (apex.events.outbox-max-age): deleted, lost",
                        channels.size(), outboxMaxAge);
            }
        }).replaceWithVoid();
    }

    /**
     * Sends batch after batch while they come back full and all sent, the first of one event only (the oldest): with
     * the broker still away, a whole batch would wait in the producer for the delivery time-out, claimed and unsent.
     *
     * @return the events sent
     */
    private Uni<Integer> resendFrom(int limit, int sentSoFar) {
        return resendBatch(limit).flatMap(batch -> batch.fullAndSent()
                ? resendFrom(OUTBOX_BATCH, sentSoFar + batch.sent())
                : Uni.createFrom().item(sentSoFar + batch.sent()));
    }

    /** @param fullAndSent whether the batch was as large as asked and all of it was sent: there may be more */
    private record Batch(int sent, boolean fullAndSent) {
    }

    private Uni<Batch> resendBatch(int limit) {
        return outbox.take(limit, outboxClaim).flatMap(taken -> Multi.createFrom().iterable(taken)
                .onItem().transformToUni(this::resend).merge(RESEND_CONCURRENCY)
                .collect().with(Collectors.summingInt(sent -> sent ? 1 : 0))
                .map(sent -> new Batch(sent, taken.size() == limit && sent == limit)));
    }

    /** @return whether the broker acknowledged it (its row is then deleted); if not, it stays held */
    private Uni<Boolean> resend(EventOutbox.HeldEvent held) {
        MutinyEmitter<Object> emitter = emitters.get(held.channel());
        if (emitter == null) {
            LOG.errorf("held event %s names channel %s, which this replica does not have: left held", held.eventId(),
                    held.channel());
            return Uni.createFrom().item(false);
        }
        Object payload = new JsonObject(held.data()).getMap();
        Message<Object> message = message(payload, held.eventId(), held.type(), held.source(), held.subject(),
                held.time(), new JsonObject(held.extensions()).getMap());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .chain(() -> outbox.sent(held.id()))
                .invoke(() -> counter(RESENT, RESENT_HELP, held.channel()).increment())
                .replaceWith(true)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("held event %s not sent again yet: %s", held.eventId(), failure.getMessage());
                    return false;
                });
    }

    private static Message<Object> message(Object payload, String id, String type, String source, String subject,
            ZonedDateTime time, Map<String, Object> extensions) {
        return Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(type)
                        .withSource(URI.create(source))
                        .withSubject(subject)
                        .withTimestamp(time)
                        .withExtensions(extensions)
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(subject).build());
    }
}
