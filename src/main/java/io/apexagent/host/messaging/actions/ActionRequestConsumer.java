package io.apexagent.host.messaging.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.plugin.PluginManager;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.discovery.PluginVersions;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Handles the records of {@code apex.actions.requests} that {@link RequestPoller} reads: parse → dead-letter or validate → claim in PostgreSQL →
 * run on the plugin's workers → publish chunks and one final/error record → store it as published → commit.
 * Many requests run at once (bounded by {@code apex.actions.max-in-flight}, and per plugin by its capacity:
 * {@link KafkaPluginCalls}); a slow plugin holds only its own requests. The two {@code action_execution}
 * writes of a request (claim; final record with its published mark) are group-committed with those of concurrent requests
 * ({@link GroupCommit}), and a running request's lease is renewed while its call runs ({@link LeaseKeeper}). The offset of a request is committed only after its final or error record was
 * acknowledged by the broker: {@link #handle} completes only then.
 */
@ApplicationScoped
@Startup // created at start, not at the first request: its gauge of overdue calls is on /q/metrics at 0 until then
public class ActionRequestConsumer {

    /** Topic of action requests. */
    public static final String TOPIC = "apex.actions.requests";
    /** Error type of a request whose result record is larger than the result topic takes. */
    static final String RESULT_TOO_LARGE = "result_too_large";

    private static final Logger LOG = Logger.getLogger(ActionRequestConsumer.class);

    private final PluginManager plugins;
    private final KafkaPluginCalls calls;
    private final ActionExecutions executions;
    private final ResultPublisher publisher;
    private final ResultLog resultLog;
    private final RequestParser parser;
    private final String nodeId;
    private final Duration lease;
    private final Backoff backoff;
    private final ActionPathMetrics metrics;
    private volatile boolean stopping;
    private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> handling =
            new java.util.concurrent.ConcurrentHashMap<>();

    ActionRequestConsumer(PluginManager plugins, ActionExecutions executions, ResultPublisher publisher,
            ResultLog resultLog, ObjectMapper json, NodeIdentity node, ApexConfig config, ActionPathMetrics metrics) {
        this.resultLog = resultLog;
        this.metrics = metrics;
        this.plugins = plugins;
        this.executions = executions;
        this.publisher = publisher;
        this.parser = new RequestParser(json, config.actions().maxRequestBytes());
        this.nodeId = node.nodeId();
        this.lease = config.actions().lease();
        this.backoff = new Backoff(Duration.ofMillis(200), config.actions().maxRetryBackoff());
        LeaseKeeper leases = new LeaseKeeper(executions, nodeId, lease);
        metrics.watchOverdueCalls(leases::overdue);
        this.calls = new KafkaPluginCalls(plugins, leases, config.plugins(), metrics::refusedAsBusy);
    }

    /**
     * Runs one request record to its end: dead letter, error record, or the request's final record stored as
     * published. Completes once the broker acknowledged that record (then the offset may be committed).
     */
    Uni<Void> handle(ConsumerRecord<String, String> record) {
        long start = System.nanoTime();
        RequestParser.Parsed parsed = parser.parse(record.value());
        if (parsed instanceof RequestParser.Malformed malformed) {
            LOG.warnf("request at %s sent to the DLQ: %s", origin(record), malformed.reason());
            return publisher.deadLetter(record.key(), record.value(), malformed.reason(), record.topic(),
                    record.partition(), record.offset()).invoke(() -> metrics.deadLettered(start));
        }
        if (parsed instanceof RequestParser.Invalid invalid) {
            return finish(new Attempt(invalid.requestId(), invalid.pluginId(), invalid.action(), null, start,
                    knownOrNull(invalid.pluginId())),
                    errorRecord(invalid.requestId(), invalid.pluginId(), null, invalid.action(), 0,
                            "invalid_request", invalid.reason()), false);
        }
        ActionRequest request = ((RequestParser.Valid) parsed).request();
        return onceOnThisNode(request.requestId(),
                () -> claimAndRun(request, record.partition(), record.offset(), start));
    }

    /**
     * A record redelivered while this node still handles the first copy (a rebalance after a broker
     * restart): wait for that one instead of starting a second pipeline, which could publish a second final.
     */
    private Uni<Void> onceOnThisNode(String requestId, java.util.function.Supplier<Uni<Void>> work) {
        java.util.concurrent.CompletableFuture<Void> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> running = handling.putIfAbsent(requestId, mine);
        if (running != null) {
            return Uni.createFrom().completionStage(running);
        }
        return work.get().onTermination().invoke(() -> {
            handling.remove(requestId, mine);
            mine.complete(null);
        });
    }

    private Uni<Void> claimAndRun(ActionRequest request, int partition, long offset, long start) {
        return retryingUnlessRefused(executions.claim(request.requestId(), request.pluginId(), request.action(), nodeId,
                lease, partition, offset))
                .onItemOrFailure().transformToUni((claim, failure) -> {
                    if (failure != null) {
                        return ActionExecutions.refusedForItsOwnValues(failure) ? unrecordable(request, start, failure)
                                : Uni.createFrom().failure(failure);
                    }
                    if (claim instanceof ActionExecutions.Done done) {
                        return replay(request, done).invoke(() -> answeredBefore(request, start));
                    }
                    if (claim instanceof ActionExecutions.Elsewhere) {
                        return waitForOtherNode(request, partition, offset, start);
                    }
                    if (claim instanceof ActionExecutions.TakenOver takenOver) {
                        return resume(request, takenOver, start);
                    }
                    return run(request, start);
                });
    }

    /**
     * A request whose claim PostgreSQL refuses for its own values (a value the columns cannot hold, a check
     * constraint or trigger the operator added: {@link ActionExecutions#refusedForItsOwnValues}). Another attempt
     * would be refused the same way, so the request is answered with an error record, unclaimed and not run, instead
     * of stalling its partition.
     */
    private Uni<Void> unrecordable(ActionRequest request, long start, Throwable refusal) {
        LOG.warnf("request %s answered with an error: action_execution refuses to record it: %s", request.requestId(),
                refusal.getMessage());
        return finish(new Attempt(request.requestId(), request.pluginId(), request.action(), request.traceparent(),
                start, knownOrNull(request.pluginId())),
                errorRecord(request.requestId(), request.pluginId(), null, request.action(), 0, "invalid_request",
                        "the request cannot be recorded in action_execution before it runs, because PostgreSQL "
                                + "refuses its values: " + refusal.getMessage()), false);
    }

    /**
     * A request that already finished. The same record redelivered (crash, rebalance): its final record
     * is published once — if the row does not say so, the result log is checked before publishing. A
     * client sending the same requestId again (another record): it gets the stored final record again.
     */
    private Uni<Void> replay(ActionRequest request, ActionExecutions.Done done) {
        if (done.sameRecord() && done.published()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Boolean> alreadyOnTopic = done.sameRecord()
                ? readingResultLog(resultLog.containsFinal(request.requestId(), done.storedAt()))
                : Uni.createFrom().item(false);
        String type = done.finalRecord().contains("\"type\":\"error\"") ? ResultRecord.ERROR : ResultRecord.FINAL;
        return alreadyOnTopic
                .chain(found -> found ? Uni.createFrom().voidItem()
                        : publisher.publish(request.requestId(), type, -1, done.finalRecord(), request.traceparent()))
                .chain(() -> retrying(executions.published(request.requestId())));
    }

    /**
     * A request whose node died (or this node, before a restart) while running it: if that node got as far as
     * publishing the final record, store that record instead of running the request a second time.
     */
    private Uni<Void> resume(ActionRequest request, ActionExecutions.TakenOver takenOver, long start) {
        return readingResultLog(resultLog.findFinal(request.requestId(), takenOver.firstClaimed()))
                .chain(published -> published.isPresent()
                        ? retrying(executions.finished(request.requestId(), published.get()))
                                .invoke(() -> answeredBefore(request, start))
                        : run(request, start));
    }

    /** A request whose final record was stored or published before: nothing ran. */
    private void answeredBefore(ActionRequest request, long start) {
        metrics.ended(ActionPathMetrics.REPLAYED, knownOrNull(request.pluginId()), start);
    }

    /** Another live replica runs it (e.g. during a rebalance): wait for its outcome or for its lease to expire. */
    private Uni<Void> waitForOtherNode(ActionRequest request, int partition, long offset, long start) {
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(Duration.ofSeconds(1))
                .chain(() -> claimAndRun(request, partition, offset, start));
    }

    private Uni<Void> run(ActionRequest request, long start) {
        // One registry look-up per request; null for an unknown plugin, which the call itself reports.
        PluginManifest serving = plugins.servingManifest(request.pluginId());
        Attempt attempt = new Attempt(request.requestId(), request.pluginId(), request.action(), request.traceparent(),
                start, serving == null ? null : request.pluginId());
        String version = serving == null ? null : serving.version();
        try {
            String problem = precheck(request, version);
            if (problem != null) {
                return finish(attempt, errorRecord(request.requestId(), request.pluginId(), null, request.action(), 0,
                        problem.startsWith("deadline") ? "deadline_exceeded" : "version_mismatch", problem), true);
            }
            return streaming(request, serving) ? runStreaming(request, serving, attempt, version)
                    : runSingle(request, serving, attempt, version);
        } catch (RuntimeException e) {
            // Thrown again on every retry, it would never be answered and stall its partition: it is the answer.
            LOG.errorf(e, "request %s could not be started", request.requestId());
            return finish(attempt, failureRecord(request, version, 0, e), true);
        }
    }

    private Uni<Void> runSingle(ActionRequest request, PluginManifest serving, Attempt attempt, String version) {
        return calls.execute(request, serving)
                .map(result -> new ResultRecord(request.requestId(), request.pluginId(), result.pluginVersion(),
                        request.action(), 0, ResultRecord.FINAL, result.result(), null, nodeId, Instant.now()))
                .onFailure().recoverWithItem(e -> failureRecord(request, version, 0, e))
                .chain(record -> finish(attempt, record, true));
    }

    private Uni<Void> runStreaming(ActionRequest request, PluginManifest serving, Attempt attempt, String version) {
        AtomicLong seq = new AtomicLong();
        return calls.stream(request, serving)
                .onItem().transformToUniAndConcatenate(chunk -> WithoutContextPropagation.get(() -> {
                    // Counted once published, so that an error record after a chunk that failed takes its seq.
                    long n = seq.get();
                    ResultRecord record = new ResultRecord(request.requestId(), request.pluginId(), version,
                            request.action(), n, ResultRecord.CHUNK, chunk.data(), null, nodeId, Instant.now());
                    return publisher.publish(request.requestId(), ResultRecord.CHUNK, n, publisher.encode(record),
                            request.traceparent()).invoke(seq::incrementAndGet);
                }))
                .collect().last()
                .map(ignored -> new ResultRecord(request.requestId(), request.pluginId(), version, request.action(),
                        seq.get(), ResultRecord.FINAL, java.util.Map.of("chunks", seq.get()), null, nodeId, Instant.now()))
                .onFailure().recoverWithItem(e -> failureRecord(request, version, seq.get(), e))
                .chain(record -> finish(attempt, record, true));
    }

    /**
     * Publishes the final record, then (for a claimed request) stores it as published, retried while the database
     * is down. Only the publication is on the request's latency path.
     */
    private Uni<Void> finish(Attempt attempt, ResultRecord record, boolean claimed) {
        String encoded;
        try {
            encoded = publisher.encode(record);
        } catch (PluginExecutionException notJson) {
            // The plugin's result is answered as its error: failing the handling would run the action again and again.
            return finish(attempt, errorInstead(record, notJson.errorType(), notJson.getMessage()), claimed);
        }
        return WithoutContextPropagation.get(() -> publisher.publish(attempt.requestId(), record.type(), record.seq(),
                encoded, attempt.traceparent())
                .onItemOrFailure().transformToUni((published, failure) -> {
                    if (failure instanceof RecordTooLargeException tooLarge) {
                        return finish(attempt, errorInstead(record, RESULT_TOO_LARGE,
                                tooLarge("the " + record.type() + " record", record.requestId(), tooLarge)), claimed);
                    }
                    if (failure != null) {
                        return Uni.createFrom().failure(failure);
                    }
                    metrics.ended(record.type(), attempt.knownPlugin(), attempt.startNanos());
                    return claimed ? retrying(executions.finished(attempt.requestId(), encoded))
                            : Uni.createFrom().voidItem();
                }));
    }

    /** The error record that answers a request whose {@code record} cannot be published. */
    private ResultRecord errorInstead(ResultRecord record, String type, String message) {
        return errorRecord(record.requestId(), record.pluginId(), record.pluginVersion(), record.action(), record.seq(),
                type, message);
    }

    /** @param what the record that could not be sent, e.g. "chunk 3" */
    private static String tooLarge(String what, String requestId, RecordTooLargeException e) {
        return what + " of request " + requestId + " is too large for " + ResultLog.TOPIC + ": " + e.getMessage();
    }

    /** @return {@code pluginId} if this replica knows that plugin, else null (keeps the metrics' tags bounded) */
    private String knownOrNull(String pluginId) {
        return pluginId != null && plugins.servingManifest(pluginId) != null ? pluginId : null;
    }

    private static String precheck(ActionRequest request, String servingVersion) {
        if (request.deadline() != null && Instant.now().isAfter(request.deadline())) {
            return "deadline " + request.deadline() + " passed before the request could start";
        }
        if (request.versionRange() != null && servingVersion != null
                && !PluginVersions.satisfies(servingVersion, request.versionRange())) {
            return "plugin " + request.pluginId() + " serves version " + servingVersion + ", which does not satisfy "
                    + "the requested range " + request.versionRange();
        }
        return null;
    }

    private static boolean streaming(ActionRequest request, PluginManifest serving) {
        return serving != null && serving.action(request.action()).map(PluginManifest.Action::streamingSupported)
                .orElse(false);
    }

    private ResultRecord failureRecord(ActionRequest request, String version, long seq, Throwable e) {
        if (e instanceof RecordTooLargeException tooLarge) {
            return errorRecord(request.requestId(), request.pluginId(), version, request.action(), seq, RESULT_TOO_LARGE,
                    tooLarge("chunk " + seq, request.requestId(), tooLarge));
        }
        return errorRecord(request.requestId(), request.pluginId(), version, request.action(), seq,
                PluginException.errorTypeOf(e), String.valueOf(e.getMessage()));
    }

    private ResultRecord errorRecord(String requestId, String pluginId, String version, String action, long seq,
            String type, String message) {
        return new ResultRecord(requestId, pluginId, version, action, seq, ResultRecord.ERROR, null,
                new ResultRecord.ErrorInfo(type, message), nodeId, Instant.now());
    }

    /** Retries a database step while the database is away; gives up once the replica shuts down (the request is redelivered). */
    private <T> Uni<T> retrying(Uni<T> databaseStep) {
        return retrying(databaseStep, "action_execution");
    }

    /** Retries a look-up on the result topic while the broker is away, as {@link #retrying(Uni)} does for the database. */
    private <T> Uni<T> readingResultLog(Uni<T> lookUp) {
        return retrying(lookUp, ResultLog.TOPIC);
    }

    /** As {@link #retrying(Uni)}, but a step refused for its values fails at once: no retry can change them. */
    private <T> Uni<T> retryingUnlessRefused(Uni<T> databaseStep) {
        return backoff.retry(databaseStep, e -> !stopping && !ActionExecutions.refusedForItsOwnValues(e),
                e -> retryWarning("action_execution", e));
    }

    private static void retryWarning(String server, Throwable e) {
        LOG.warnf("%s step failed (retrying until it succeeds or the replica stops): %s", server, e.getMessage());
    }

    private <T> Uni<T> retrying(Uni<T> step, String server) {
        return backoff.retry(step, e -> !stopping, e -> retryWarning(server, e));
    }

    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    private static String origin(ConsumerRecord<String, String> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    /**
     * A request being answered; {@code startNanos} is when its handling started, for its duration, and
     * {@code knownPlugin} its plugin id if this replica knows that plugin (else null), for the metrics' tag.
     */
    private record Attempt(String requestId, String pluginId, String action, String traceparent, long startNanos,
            String knownPlugin) {
    }
}
