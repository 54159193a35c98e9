package io.apexagent.host.messaging.actions;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The action path's meters on {@code /q/metrics} (Prometheus names in brackets):
 * <ul>
 * <li>{@code apex.actions.requests} [{@code apex_actions_requests_total}] — request records handled, by
 * {@code outcome}: {@code final}, {@code error} (an error record), {@code replayed} (a finished request's stored
 * record published again), {@code dead_letter}; and by {@code plugin};</li>
 * <li>{@code apex.actions.request.duration} [{@code apex_actions_request_duration_seconds}] — from the start of
 * handling to the broker's acknowledgement of the final or error record, by {@code outcome} and {@code plugin};</li>
 * <li>{@code apex.actions.in.flight} — requests running on this replica;</li>
 * <li>{@code apex.actions.requests.being.run.again} — requests whose handling failed and that are run again
 * (one that keeps failing holds its partition's commits: alert when this stays above 0);</li>
 * <li>{@code apex.actions.calls.overdue} — plugin calls of requests still running after ten leases (see
 * {@link LeaseKeeper}): alert when above 0;</li>
 * <li>{@code apex.actions.executions.deleted} — {@code action_execution} rows deleted by the retention sweep;</li>
 * <li>{@code apex.actions.calls.refused.busy} — plugin calls of requests refused because the plugin's workers and
 * queue were full; each is retried after a short pause (a plugin that keeps refusing needs more workers);</li>
 * <li>the Kafka client metrics of the request consumer and the result producer, tagged with their {@code client_id}
 * ({@code apex-requests-<node>}, {@code apex-results-<node>}): e.g. {@code kafka_consumer_fetch_manager_records_lag_max},
 * the requests waiting in this replica's partitions (the signal to scale out on), and
 * {@code kafka_producer_record_error_total}. The messaging channels' clients are bound by Quarkus the same way.</li>
 * </ul>
 * The {@code plugin} tag is the id of a plugin this replica knows, or {@code unknown}: a request names any plugin it
 * likes, and one tag value per such name would grow the registry without bound. Thread-safe.
 */
@ApplicationScoped
public class ActionPathMetrics {

    static final String REQUESTS = "apex.actions.requests";
    static final String DURATION = "apex.actions.request.duration";
    static final String UNKNOWN_PLUGIN = "unknown";
    static final String REPLAYED = "replayed";
    static final String DEAD_LETTER = "dead_letter";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Meters> byOutcomeAndPlugin = new ConcurrentHashMap<>();
    private final Counter deleted;
    private final Counter refusedAsBusy;

    ActionPathMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deleted = Counter.builder("apex.actions.executions.deleted")
                .description("action_execution rows deleted by the retention sweep").register(registry);
        this.refusedAsBusy = Counter.builder("apex.actions.calls.refused.busy")
                .description("plugin calls of requests refused as busy (workers and queue full), then retried")
                .register(registry);
        // At 0 from the start, so that an alert on its increase sees the first dead letter too.
        meters(DEAD_LETTER, UNKNOWN_PLUGIN);
    }

    /**
     * Counts a request that ended with {@code outcome}, and times it.
     *
     * @param plugin     a plugin id this replica knows, else null
     * @param startNanos {@link System#nanoTime()} when its handling started
     */
    void ended(String outcome, String plugin, long startNanos) {
        Meters meters = meters(outcome, plugin == null ? UNKNOWN_PLUGIN : plugin);
        meters.count.increment();
        meters.duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a record sent to the dead-letter topic (it named no plugin that could be trusted). */
    void deadLettered(long startNanos) {
        ended(DEAD_LETTER, null, startNanos);
    }

    void refusedAsBusy() {
        refusedAsBusy.increment();
    }

    void executionsDeleted(int rows) {
        deleted.increment(rows);
    }

    /** Registers the request consumer's gauges, read from {@code inFlight} and {@code beingRunAgain}. */
    void watchConsumer(Supplier<Number> inFlight, Supplier<Number> beingRunAgain) {
        gauge("apex.actions.in.flight", "requests running on this replica", inFlight);
        gauge("apex.actions.requests.being.run.again", "requests whose handling failed and that are run again; they "
                + "hold their partition's offset commits", beingRunAgain);
    }

    /** Registers the gauge of calls that have held their lease for too long, read from {@code overdue}. */
    void watchOverdueCalls(Supplier<Number> overdue) {
        gauge("apex.actions.calls.overdue", "plugin calls of requests still running after ten leases; they hold their "
                + "partition's offset commits", overdue);
    }

    /**
     * Binds the metrics a Kafka client keeps itself (see the class comment).
     *
     * @return close it when the client closes, which removes them
     */
    KafkaClientMetrics watchKafkaClient(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        return bound(new KafkaClientMetrics(consumer));
    }

    /** As {@link #watchKafkaClient(org.apache.kafka.clients.consumer.Consumer)}, for a producer. */
    KafkaClientMetrics watchKafkaClient(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
        return bound(new KafkaClientMetrics(producer));
    }

    private KafkaClientMetrics bound(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        return metrics;
    }

    /** The suppliers are lambdas of the caller's: held strongly, or the registry would lose them to the GC. */
    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    private Meters meters(String outcome, String plugin) {
        return byOutcomeAndPlugin.computeIfAbsent(outcome + '\u0000' + plugin, key -> new Meters(
                Counter.builder(REQUESTS).description("request records handled").tag("outcome", outcome)
                        .tag("plugin", plugin).register(registry),
                Timer.builder(DURATION).description("from the start of handling to the acknowledgement of the final "
                        + "or error record").tag("outcome", outcome).tag("plugin", plugin).register(registry)));
    }

    private record Meters(Counter count, Timer duration) {
    }
}
