package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** The poller's loop against a mock consumer: the in-flight limit, failed requests run again, revoke and stop. */
class RequestPollerTest {

    static final String TOPIC = "apex.actions.requests";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Last commit per partition: the mock answers {@code committed} with 0 for a partition no longer assigned. */
    final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
    final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            record(offsets);
            super.commitSync(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            record(offsets);
            super.commitAsync(offsets, callback);
        }

        private void record(Map<TopicPartition, OffsetAndMetadata> offsets) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
        }
    };
    final List<Long> started = new CopyOnWriteArrayList<>();
    final Map<Long, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    RequestPoller poller;

    @AfterEach
    void stop() throws InterruptedException {
        poller.stop(Duration.ZERO);
    }

    @Test
    void atTheLimitFetchingPausesAndNoFetchedRecordIsLost() {
        start(2, this::runUntilCompleted);
        assign(P0);
        add(P0, 0, 1, 2, 3, 4);

        await().untilAsserted(() -> assertThat(consumer.paused()).containsExactly(P0));
        assertThat(started).containsExactly(0L, 1L);

        running.get(1L).complete(null);
        await().untilAsserted(() -> assertThat(started).containsExactly(0L, 1L, 2L));
        assertThat(committed(P0)).as("0 still runs").isNull();

        for (long offset = 0; offset <= 4; offset++) {
            long next = offset;
            await().until(() -> running.containsKey(next));
            running.get(next).complete(null);
        }
        await().untilAsserted(() -> assertThat(committed(P0)).isEqualTo(5));
        assertThat(started).containsExactly(0L, 1L, 2L, 3L, 4L);
        await().untilAsserted(() -> assertThat(consumer.paused()).isEmpty());
    }

    @Test
    void aRequestThatThrowsOrFailsIsRunAgainAndItsPartitionCommitsOnlyOnceItCompletes() {
        Map<Long, Integer> attempts = new ConcurrentHashMap<>();
        // Fixed pauses: the first run again is 2 s away, well after the checks made before it; the next one is 0.2 s.
        start(8, attempt -> attempt == 2 ? 2000 : 200, record -> {
            started.add(record.offset());
            int attempt = attempts.merge(record.partition() * 100L + record.offset(), 1, Integer::sum);
            if (record.value() == null && attempt == 1) {
                throw new IllegalStateException("no value");
            }
            return "fail".equals(record.value()) && attempt < 3
                    ? Uni.createFrom().failure(new IllegalStateException("failed"))
                    : Uni.createFrom().voidItem();
        });
        assign(P0, P1);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k", null));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "k", "ok"));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, "k", "fail"));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 1, "k", "ok"));
        });
        add(P1, 2);

        // Before their retries (2 s away), neither partition commits past its failed request.
        await().untilAsserted(() -> assertThat(started).hasSize(5));
        assertThat(poller.state()).isEqualTo(RequestPoller.State.POLLING);
        consumer.schedulePollTask(() -> { });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(900)).untilAsserted(() -> {
            assertThat(committed(P0)).isNull();
            assertThat(committed(P1)).isNull();
        });
        assertThat(poller.retrying()).as("requests being run again").isEqualTo(2);
        // Run again (the one that failed twice after 2 s and 0.2 s more), each partition commits past all.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(committed(P0)).isEqualTo(2L);
            assertThat(committed(P1)).isEqualTo(3L);
        });
        assertThat(attempts).containsEntry(0L, 2).containsEntry(100L, 3).containsEntry(101L, 1);
        assertThat(poller.retrying()).isZero();
        assertThat(poller.state()).isEqualTo(RequestPoller.State.POLLING);
    }

    @Test
    void onRevokeWhatFinishedIsCommittedAndRecordsNotStartedAreDropped() {
        start(1, this::runUntilCompleted);
        assign(P0);
        add(P0, 0, 1, 2);
        await().until(() -> running.containsKey(0L));
        running.get(0L).complete(null);
        await().until(() -> running.containsKey(1L));

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
        await().untilAsserted(() -> assertThat(committed(P0)).isEqualTo(1));
        running.get(1L).complete(null);
        await().during(Duration.ofMillis(200)).untilAsserted(() -> assertThat(started).containsExactly(0L, 1L));
        assertThat(committed(P0)).as("a request of a revoked partition is not committed by this replica").isEqualTo(1);
    }

    @Test
    void stopWaitsForRunningRequestsThenCommitsAndCloses() throws InterruptedException {
        start(4, record -> {
            started.add(record.offset());
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> done.complete(null));
            return Uni.createFrom().completionStage(done);
        });
        assign(P0);
        add(P0, 0, 1);
        await().untilAsserted(() -> assertThat(started).hasSize(2));

        poller.stop(Duration.ofSeconds(10));
        assertThat(poller.state()).isEqualTo(RequestPoller.State.STOPPED);
        assertThat(consumer.closed()).isTrue();
        assertThat(committed(P0)).isEqualTo(2);
    }

    /** A request that runs until the test completes {@code running.get(offset)}. */
    private Uni<Void> runUntilCompleted(ConsumerRecord<String, String> record) {
        started.add(record.offset());
        return Uni.createFrom().completionStage(running.computeIfAbsent(record.offset(), o -> new CompletableFuture<>()));
    }

    private void start(int maxInFlight, java.util.function.Function<ConsumerRecord<String, String>, Uni<Void>> handler) {
        start(maxInFlight, attempt -> 1000, handler);
    }

    private void start(int maxInFlight, java.util.function.IntToLongFunction retryPauseMillis,
            java.util.function.Function<ConsumerRecord<String, String>, Uni<Void>> handler) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        poller = new RequestPoller(consumer, TOPIC, maxInFlight, Duration.ofMillis(20), handler, retryPauseMillis);
        poller.start();
        await().until(() -> poller.state() == RequestPoller.State.POLLING);
    }

    /** Poll tasks run on the poller's thread, inside its poll, as a real consumer's rebalance would. */
    private void assign(TopicPartition... partitions) {
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(partitions)));
    }

    private void add(TopicPartition partition, long... offsets) {
        consumer.schedulePollTask(() -> {
            for (long offset : offsets) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, "k", "v" + offset));
            }
        });
    }

    private Long committed(TopicPartition partition) {
        return commits.get(partition);
    }
}
