package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    static final TopicPartition P0 = new TopicPartition("apex.actions.requests", 0);
    static final TopicPartition P1 = new TopicPartition("apex.actions.requests", 1);

    final PartitionOffsets offsets = new PartitionOffsets();

    @Test
    void aPartitionCommitsUpToItsLowestRunningRequest() {
        PartitionOffsets.Track track = started(P0, 10, 11, 12, 13);
        offsets.toCommit();

        assertThat(finishing(track, 12, 11)).as("10 still runs").isEmpty();
        assertThat(finishing(track, 10)).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(finishing(track, 13)).as("offset + 1 of the last one").isEqualTo(Map.of(P0, new OffsetAndMetadata(14)));
        assertThat(offsets.toCommit()).as("nothing moved").isEmpty();
    }

    @Test
    void partitionsMoveIndependently() {
        PartitionOffsets.Track zero = started(P0, 0, 1);
        PartitionOffsets.Track one = started(P1, 5);
        offsets.finished(one, 5);
        assertThat(finishing(zero, 1)).as("partition 0 waits for offset 0").containsOnlyKeys(P1);
        assertThat(finishing(zero, 0)).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void aFailedCommitIsHandedOutAgain() {
        PartitionOffsets.Track track = started(P0, 3);
        Map<TopicPartition, OffsetAndMetadata> commit = finishing(track, 3);
        assertThat(commit).isEqualTo(Map.of(P0, new OffsetAndMetadata(4)));

        offsets.commitFailed(commit);
        assertThat(offsets.toCommit()).isEqualTo(commit);
    }

    @Test
    void aRevokedPartitionHandsOutWhatFinishedAndIsForgotten() {
        PartitionOffsets.Track track = started(P0, 7, 8, 9);
        started(P1, 1);
        offsets.toCommit();
        offsets.finished(track, 7);

        assertThat(offsets.revoke(List.of(P0))).as("8 still runs").isEqualTo(Map.of(P0, new OffsetAndMetadata(8)));
        assertThat(finishing(track, 8, 9)).as("finishing after the revoke commits nothing").isEmpty();
    }

    @Test
    void aRequestOfAnEarlierAssignmentDoesNotMoveTheNextOne() {
        PartitionOffsets.Track before = started(P0, 20);
        offsets.revoke(List.of(P0));
        PartitionOffsets.Track again = started(P0, 20, 21);
        offsets.toCommit();

        assertThat(finishing(before, 20)).isEmpty();
        assertThat(finishing(again, 20)).isEqualTo(Map.of(P0, new OffsetAndMetadata(21)));
    }

    @Test
    void aLostPartitionIsForgottenWithoutACommit() {
        PartitionOffsets.Track track = started(P0, 1);
        offsets.finished(track, 1);
        offsets.lose(List.of(P0));
        assertThat(offsets.toCommit()).isEmpty();
        assertThat(offsets.revoke(List.of(P0))).isEmpty();
    }

    private Map<TopicPartition, OffsetAndMetadata> finishing(PartitionOffsets.Track track, long... finishedOffsets) {
        for (long offset : finishedOffsets) {
            offsets.finished(track, offset);
        }
        return offsets.toCommit();
    }

    private PartitionOffsets.Track started(TopicPartition partition, long... startedOffsets) {
        PartitionOffsets.Track track = null;
        for (long offset : startedOffsets) {
            track = offsets.started(partition, offset);
        }
        return track;
    }
}
