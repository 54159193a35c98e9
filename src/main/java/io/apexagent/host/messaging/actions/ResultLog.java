package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * Answers "is this record of a request already on {@code apex.actions.results}?" by reading the request's
 * result partition from a point in time. Needed only in rare cases: a replica died after publishing a
 * request's final record but before storing it (the replica that takes the request over looks here instead
 * of publishing a second final record), or a send failed after the broker may have written the record.
 *
 * <p>Rare for one request, but they come in crowds: a replica that takes over a dead one's partitions looks up
 * every request the dead one was running, hundreds at once. So look-ups are queued and answered together by
 * one reader thread with one consumer ({@link ResultLogPass}): a pass reads each partition that has look-ups
 * once, however many look-ups wait on it. Blocking Kafka calls stay on that thread, off the shared worker
 * pool whose threads other work (plugin timers, REST) needs. Thread-safe.
 */
@ApplicationScoped
public class ResultLog {

    private static final Logger LOG = Logger.getLogger(ResultLog.class);

    static final String TOPIC = "apex.actions.results";
    /** How far before the stored time to start reading, to allow for clock differences between replicas. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    /** Longest one pass may read before its unanswered look-ups fail (their callers retry them). */
    static final Duration PASS_LIMIT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final BlockingQueue<Lookup> pending = new LinkedBlockingQueue<>();
    private final AtomicLong passes = new AtomicLong();
    private Thread reader;
    private volatile boolean closed;

    ResultLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** @return whether a final or error record of {@code requestId} was written at or after {@code since} */
    public Uni<Boolean> containsFinal(String requestId, Instant since) {
        return findFinal(requestId, since).map(Optional::isPresent);
    }

    /** @return the first final or error record of {@code requestId} written at or after {@code since}, if any */
    public Uni<Optional<String>> findFinal(String requestId, Instant since) {
        return find(requestId, since, ResultLog::isFinal);
    }

    /** @return whether chunk {@code seq} of {@code requestId} was written at or after {@code since} */
    public Uni<Boolean> containsChunk(String requestId, long seq, Instant since) {
        String seqText = Long.toString(seq);
        return find(requestId, since, r -> ResultRecord.CHUNK.equals(header(r, ResultPublisher.TYPE_HEADER))
                && seqText.equals(header(r, ResultPublisher.SEQ_HEADER))).map(Optional::isPresent);
    }

    /** Passes read so far; a crowd of look-ups queued together costs one. For tests and diagnostics. */
    long passes() {
        return passes.get();
    }

    private Uni<Optional<String>> find(String requestId, Instant since, Predicate<ConsumerRecord<String, String>> wanted) {
        // Deferred, so that a caller's retry queues a new look-up; answers leave the reader thread at once.
        return Uni.createFrom().completionStage(() -> enqueue(new Lookup(requestId, since.minus(CLOCK_MARGIN)
                .toEpochMilli(), wanted, new CompletableFuture<>())))
                .emitOn(Infrastructure.getDefaultExecutor());
    }

    private CompletableFuture<Optional<String>> enqueue(Lookup lookup) {
        if (closed) {
            lookup.answer().completeExceptionally(new IllegalStateException("the result log is closed (shutting down)"));
            return lookup.answer();
        }
        pending.add(lookup);
        startReader();
        return lookup.answer();
    }

    private synchronized void startReader() {
        if (reader == null) {
            reader = DaemonThreads.thread("result-log-reader", this::readWhileOpen);
            reader.start();
        }
    }

    /** The reader thread: waits for look-ups, then answers all that queued up in one pass. */
    private void readWhileOpen() {
        try (ResultLogPass pass = new ResultLogPass(bootstrap, TOPIC, PASS_LIMIT)) {
            while (!closed) {
                List<Lookup> batch = new ArrayList<>();
                batch.add(pending.take());
                pending.drainTo(batch);
                passes.incrementAndGet();
                try {
                    pass.answer(batch);
                } catch (RuntimeException e) {
                    // Broker away, or the pass ran out of time: the callers retry, with a fresh consumer.
                    LOG.debugf(e, "result-log pass failed; %d look-ups fail and will be retried", batch.size());
                    batch.forEach(lookup -> lookup.answer().completeExceptionally(e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failPending();
        }
    }

    private void failPending() {
        for (Lookup lookup; (lookup = pending.poll()) != null;) {
            lookup.answer().completeExceptionally(new IllegalStateException("the result log is closed (shutting down)"));
        }
    }

    private static boolean isFinal(ConsumerRecord<String, String> record) {
        String type = header(record, ResultPublisher.TYPE_HEADER);
        return type != null && !ResultRecord.CHUNK.equals(type);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (reader != null) {
            reader.interrupt();
        }
        failPending();
    }

    /**
     * One look-up: the first record of {@code requestId} written at or after {@code fromMillis} that is
     * {@code wanted}, or empty.
     */
    record Lookup(String requestId, long fromMillis, Predicate<ConsumerRecord<String, String>> wanted,
            CompletableFuture<Optional<String>> answer) {
    }
}
