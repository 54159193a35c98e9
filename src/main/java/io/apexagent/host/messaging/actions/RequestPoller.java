package io.apexagent.host.messaging.actions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * The thread that reads request records and starts them, off the Vert.x event loop. Up to {@code maxInFlight}
 * requests run at once; at that limit the assigned partitions are paused (polling goes on, so the member stays in
 * the group) and fetched records wait here in offset order until a request finishes. A request's offset is
 * committed once it and every request before it in its partition finished ({@link PartitionOffsets}), every
 * {@code commitInterval}, on revoke and at stop. Requests finish on other threads: they queue their completion,
 * which this thread applies, because a Kafka consumer is not thread-safe. A failing poll is logged and the loop
 * goes on; a request whose handling failed is run again after a pause.
 */
final class RequestPoller {

    /** What the poller is doing, for the readiness check. */
    enum State { STARTING, POLLING, STOPPED, DIED }

    private static final Logger LOG = Logger.getLogger(RequestPoller.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long PAUSE_AFTER_FAILURE_MS = 1000;
    /** Pauses before a failed request runs again: 1 s, doubling up to 30 s, jittered. */
    private static final Backoff RETRY_PAUSES = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** Runs failed requests again after their pause; it only starts them, so one thread serves all. */
    private static final ScheduledExecutorService RETRIES = DaemonThreads.timer("apex-request-retry");

    private final Consumer<String, String> consumer;
    private final String topic;
    private final int maxInFlight;
    private final long commitIntervalNanos;
    private final Function<ConsumerRecord<String, String>, Uni<Void>> handler;
    private final IntToLongFunction retryPauseMillis;
    private final PartitionOffsets offsets = new PartitionOffsets();
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, String>>> fetched = new LinkedHashMap<>();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeOnFinish = new AtomicBoolean();
    private final AtomicInteger retrying = new AtomicInteger();
    private final Thread thread;
    /** Written by the poller's thread only; volatile for the metrics that read it. */
    private volatile int inFlight;
    private int waiting;
    private volatile State state = State.STARTING;
    private volatile boolean stopping;
    private volatile Duration drainTimeout = Duration.ZERO;

    /**
     * @param handler runs one request; its completion means the request's final or error record was acknowledged
     */
    RequestPoller(Consumer<String, String> consumer, String topic, int maxInFlight, Duration commitInterval,
            Function<ConsumerRecord<String, String>, Uni<Void>> handler) {
        this(consumer, topic, maxInFlight, commitInterval, handler, RETRY_PAUSES::pauseMillisBefore);
    }

    /**
     * @param retryPauseMillis the pause before attempt {@code n} (2 for the first run again) of a failed request;
     *                         tests pass fixed pauses, since the jittered ones make the moment of a retry random
     */
    RequestPoller(Consumer<String, String> consumer, String topic, int maxInFlight, Duration commitInterval,
            Function<ConsumerRecord<String, String>, Uni<Void>> handler, IntToLongFunction retryPauseMillis) {
        this.consumer = consumer;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.handler = handler;
        this.retryPauseMillis = retryPauseMillis;
        this.thread = DaemonThreads.thread("apex-request-poller", this::run);
    }

    void start() {
        thread.start();
    }

    /** Stops fetching, lets running requests finish for up to {@code drain}, commits, closes; waits for all that. */
    void stop(Duration drain) throws InterruptedException {
        drainTimeout = drain;
        stopping = true;
        consumer.wakeup();
        thread.join(drain.plusSeconds(15).toMillis());
    }

    State state() {
        return state;
    }

    /** @return requests running now (started, not yet finished) */
    int inFlight() {
        return inFlight;
    }

    /** @return requests whose handling failed and that wait to be run again or run again now */
    int retrying() {
        return retrying.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            state = State.POLLING;
            long nextCommit = System.nanoTime() + commitIntervalNanos;
            while (!stopping) {
                pollOnce();
                if (System.nanoTime() - nextCommit >= 0) {
                    commitAsync();
                    nextCommit = System.nanoTime() + commitIntervalNanos;
                }
            }
            drain();
            state = State.STOPPED;
        } catch (Throwable e) {
            state = State.DIED;
            LOG.errorf(e, "the action request consumer stopped: no more requests are read by this replica");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        try {
            ConsumerRecords<String, String> records = consumer.poll(nextPollTimeout());
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<String, String>> some = records.records(partition);
                fetched.computeIfAbsent(partition, p -> new ArrayDeque<>()).addAll(some);
                waiting += some.size();
            }
            applyFinished();
            startWaiting();
            pauseWhileFull();
        } catch (WakeupException e) {
            // a request finished while all were running, or stop() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "polling %s failed; trying again in %d ms", topic, PAUSE_AFTER_FAILURE_MS);
            pauseAfterFailure();
        }
    }

    /** Polls without waiting when completions are queued; else until records come (or a completion wakes it). */
    private Duration nextPollTimeout() {
        return finished.isEmpty() ? POLL_TIMEOUT : Duration.ZERO;
    }

    private void startWaiting() {
        Iterator<Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, String>>>> partitions =
                fetched.entrySet().iterator();
        while (partitions.hasNext() && inFlight < maxInFlight) {
            ArrayDeque<ConsumerRecord<String, String>> records = partitions.next().getValue();
            while (!records.isEmpty() && inFlight < maxInFlight) {
                start(records.poll());
                waiting--;
            }
            if (records.isEmpty()) {
                partitions.remove();
            }
        }
    }

    private void start(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionOffsets.Track track = offsets.started(partition, record.offset());
        inFlight++;
        run(record, track, 1);
    }

    /** On the poller's thread, or the retry timer's for a request run again. */
    private void run(ConsumerRecord<String, String> record, PartitionOffsets.Track track, int attempt) {
        WithoutContextPropagation.run(() -> {
            try {
                handler.apply(record).subscribe().with(
                        ok -> ended(attempt, new Finished(track, record.offset(), true)),
                        failure -> failed(record, track, attempt, failure));
            } catch (RuntimeException e) {
                failed(record, track, attempt, e);
            }
        });
    }

    /**
     * A request whose handling failed (not its action: that gets an error record) is run again after a pause
     * that doubles up to 30 s ({@link #RETRY_PAUSES}), still counted in flight and holding its partition's commits.
     * Leaving it alone would hold those commits for good, with nothing to say so. Its claim in
     * {@code action_execution} makes the new run resume rather than repeat it. A replica that is stopping leaves it
     * to the partition's next owner instead.
     */
    private void failed(ConsumerRecord<String, String> record, PartitionOffsets.Track track, int attempt,
            Throwable failure) {
        if (stopping) {
            LOG.errorf(failure, "request at %s-%d@%d was not completed before this replica stopped; its offset stays "
                    + "uncommitted, so the partition's next owner reads it again", record.topic(), record.partition(),
                    record.offset());
            ended(attempt, new Finished(track, record.offset(), false));
            return;
        }
        if (attempt == 1) {
            retrying.incrementAndGet();
        }
        long pause = retryPauseMillis.applyAsLong(attempt + 1);
        LOG.errorf(failure, "request at %s-%d@%d was not completed (attempt %d); running it again in %d ms, and until "
                + "then the partition's offset is not committed past it", record.topic(), record.partition(),
                record.offset(), attempt, pause);
        RETRIES.schedule(() -> run(record, track, attempt + 1), pause, TimeUnit.MILLISECONDS);
    }

    /** A request ran for the last time; one run again after a failure is no longer counted as such. */
    private void ended(int attempt, Finished done) {
        if (attempt > 1) {
            retrying.decrementAndGet();
        }
        finish(done);
    }

    /** On any thread: queue the completion, and wake the poller if it waits for one to start more requests. */
    private void finish(Finished done) {
        finished.add(done);
        if (wakeOnFinish.compareAndSet(true, false) && state == State.POLLING) {
            consumer.wakeup();
        }
    }

    private void applyFinished() {
        for (Finished done = finished.poll(); done != null; done = finished.poll()) {
            inFlight--;
            if (done.completed()) {
                offsets.finished(done.track(), done.offset());
            }
        }
    }

    /** At the limit, fetching stops until a request finishes; records already fetched wait here in order. */
    private void pauseWhileFull() {
        if (inFlight >= maxInFlight || waiting > 0) {
            consumer.pause(consumer.assignment());
            wakeOnFinish.set(true);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
            wakeOnFinish.set(false);
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> commit = offsets.toCommit();
        if (!commit.isEmpty()) {
            consumer.commitAsync(commit, (committed, failure) -> {
                if (failure != null) {
                    LOG.warnf("committing request offsets %s failed, retrying with the next commit: %s", committed,
                            failure.toString());
                    offsets.commitFailed(committed);
                }
            });
        }
    }

    /** Requests not started are left to the next owner; running ones get up to the drain timeout. */
    private void drain() {
        fetched.clear();
        waiting = 0;
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight > 0 && System.nanoTime() - deadline < 0) {
            try {
                consumer.poll(POLL_TIMEOUT);
            } catch (WakeupException e) {
                // a completion woke it up
            }
            applyFinished();
        }
        if (inFlight > 0) {
            LOG.warnf("%d requests still running after %s; their offsets are not committed by this replica", inFlight,
                    drainTimeout);
        }
        commitSync(offsets.toCommit());
    }

    private void dropFetched(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            ArrayDeque<ConsumerRecord<String, String>> dropped = fetched.remove(partition);
            waiting -= dropped == null ? 0 : dropped.size();
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> commit) {
        if (commit.isEmpty()) {
            return;
        }
        try {
            commitSyncThroughWakeups(commit);
        } catch (RuntimeException e) {
            LOG.warnf("committing request offsets %s failed; those requests are read again by the next owner: %s",
                    commit, e.toString());
        }
    }

    /** A completion's or stop's wake-up call may land here rather than in a poll: it must not cancel the commit. */
    private void commitSyncThroughWakeups(Map<TopicPartition, OffsetAndMetadata> commit) {
        for (int attempt = 1;; attempt++) {
            try {
                consumer.commitSync(commit);
                return;
            } catch (WakeupException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void pauseAfterFailure() {
        try {
            TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside {@code poll}, on this thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            applyFinished();
            dropFetched(partitions);
            commitSync(offsets.revoke(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            dropFetched(partitions);
            offsets.lose(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // paused or resumed with the others after this poll
        }
    }

    private record Finished(PartitionOffsets.Track track, long offset, boolean completed) {
    }
}
