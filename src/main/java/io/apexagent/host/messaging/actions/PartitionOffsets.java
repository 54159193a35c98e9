package io.apexagent.host.messaging.actions;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets that may be committed while requests finish out of order. Requests of a partition are started
 * in offset order, so its commit position is the lowest offset still running, or one past the highest started
 * when none is: everything below it finished. A partition's requests are tracked per assignment
 * ({@link Track}): a request of a revoked partition that finishes later does not move the position of a later
 * assignment of the same partition. Confined to the consumer thread (not thread-safe).
 */
final class PartitionOffsets {

    /** The requests started from one partition during one assignment of it. */
    static final class Track {
        private final TreeSet<Long> running = new TreeSet<>();
        private long next = -1;
        private long handedOut = -1;

        private long position() {
            return running.isEmpty() ? next : running.first();
        }

        private boolean advanced() {
            return next >= 0 && position() > handedOut;
        }
    }

    private final Map<TopicPartition, Track> tracks = new HashMap<>();

    /** @return the track to hand back to {@link #finished} when the request at {@code offset} is done */
    Track started(TopicPartition partition, long offset) {
        Track track = tracks.get(partition);
        if (track == null) {
            // The first offset read is where the partition's committed position already is.
            track = new Track();
            track.handedOut = offset;
            tracks.put(partition, track);
        }
        track.running.add(offset);
        track.next = Math.max(track.next, offset + 1);
        return track;
    }

    /** The request at {@code offset} finished (its final or error record was acknowledged). */
    void finished(Track track, long offset) {
        track.running.remove(offset);
    }

    /** @return the positions that moved since they were last handed out, now handed out */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        tracks.forEach((partition, track) -> handOut(partition, track, commit));
        return commit;
    }

    /** A commit of {@code offsets} failed: they are handed out again next time unless they moved on. */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Track track = tracks.get(partition);
            if (track != null && track.handedOut == offset.offset()) {
                track.handedOut = -1;
            }
        });
    }

    /** @return the last positions to commit for {@code partitions}, which are no longer tracked */
    Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Track track = tracks.remove(partition);
            if (track != null) {
                handOut(partition, track, commit);
            }
        }
        return commit;
    }

    /** Partitions lost without a chance to commit (the group moved on): forget them. */
    void lose(Collection<TopicPartition> partitions) {
        partitions.forEach(tracks::remove);
    }

    private static void handOut(TopicPartition partition, Track track, Map<TopicPartition, OffsetAndMetadata> commit) {
        if (track.advanced()) {
            track.handedOut = track.position();
            commit.put(partition, new OffsetAndMetadata(track.handedOut));
        }
    }
}
