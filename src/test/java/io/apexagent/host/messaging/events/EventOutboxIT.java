package io.apexagent.host.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** Held events on the real PostgreSQL: stored whole, taken by one replica at a time, deleted once sent. */
@QuarkusTest
class EventOutboxIT {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration SHORT_CLAIM = Duration.ofMillis(1500);

    @Inject
    EventOutbox outbox;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void heldEventsAreTakenWholeOldestFirstByOneTakerAtATimeUntilTheClaimEnds() throws Exception {
        String marker = "outbox-it-" + UUID.randomUUID();
        ZonedDateTime time = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(20).truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 6; i++) {
            outbox.hold(event(marker, i, time)).await().atMost(TIMEOUT);
        }

        // Two replicas taking at once never get the same row.
        List<EventOutbox.HeldEvent> taken = Uni.combine().all()
                .unis(outbox.take(3, SHORT_CLAIM), outbox.take(3, SHORT_CLAIM)).asTuple()
                .map(both -> java.util.stream.Stream.concat(both.getItem1().stream(), both.getItem2().stream())
                        .toList())
                .await().atMost(TIMEOUT);
        assertThat(mine(taken, marker)).extracting(EventOutbox.HeldEvent::eventId).doesNotHaveDuplicates();
        assertThat(mine(outbox.take(100, SHORT_CLAIM).await().atMost(TIMEOUT), marker))
                .as("the rows not claimed yet").hasSize(6 - mine(taken, marker).size());
        assertThat(mine(outbox.take(100, SHORT_CLAIM).await().atMost(TIMEOUT), marker)).as("all claimed").isEmpty();

        // Once the claims ran out (a replica that died holding them), they are taken again, oldest first, whole.
        Thread.sleep(SHORT_CLAIM.toMillis() + 200);
        List<EventOutbox.HeldEvent> again = mine(outbox.take(100, Duration.ofMinutes(1)).await().atMost(TIMEOUT), marker);
        assertThat(again).extracting(EventOutbox.HeldEvent::eventId)
                .containsExactly(IntStream.range(0, 6).mapToObj(i -> marker + "-" + i).toArray(String[]::new));
        assertThat(again.get(0)).usingRecursiveComparison().ignoringFields("id").isEqualTo(event(marker, 0, time));

        for (EventOutbox.HeldEvent sent : again) {
            outbox.sent(sent.id()).await().atMost(TIMEOUT);
        }
        assertThat(mine(outbox.take(100, Duration.ZERO).await().atMost(TIMEOUT), marker)).as("sent: deleted").isEmpty();
    }

    /** Held past the longest time and not being sent: deleted (the forwarder counts them as lost). */
    @Test
    void eventsHeldPastTheirLongestTimeAreDeletedUnlessAReplicaIsSendingThem() throws Exception {
        String marker = "outbox-expiry-" + UUID.randomUUID();
        ZonedDateTime time = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        outbox.hold(event(marker, 0, time)).await().atMost(TIMEOUT);
        outbox.hold(event(marker, 1, time)).await().atMost(TIMEOUT);
        assertThat(mine(outbox.take(1, Duration.ofMinutes(1)).await().atMost(TIMEOUT), marker)).as("being sent")
                .extracting(EventOutbox.HeldEvent::eventId).containsExactly(marker + "-0");

        assertThat(outbox.expire(Duration.ofMinutes(1)).await().atMost(TIMEOUT)).as("none that old").isEmpty();
        Thread.sleep(300);
        assertThat(outbox.expire(Duration.ofMillis(200)).await().atMost(TIMEOUT)).containsExactly(EventForwarder.EVENTS);
        assertThat(heldIds(marker)).containsExactly(marker + "-0");
    }

    private List<String> heldIds(String marker) {
        return pool.preparedQuery("SELECT event_id FROM event_outbox WHERE event_id LIKE $1 ORDER BY id")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(marker + "%")).await().atMost(TIMEOUT)
                .stream().map(row -> row.getString(0)).toList();
    }

    private static EventOutbox.HeldEvent event(String marker, int n, ZonedDateTime time) {
        return new EventOutbox.HeldEvent(0, EventForwarder.EVENTS, marker + "-" + n, "io.apexagent.plugin.event",
                "apex-plugin-host/test-node", "notes", time.plusSeconds(n),
                "{\"nodeid\":\"test-node\",\"pluginid\":\"notes\"}", "{\"type\":\"note.added\",\"n\":" + n + "}");
    }

    /** Held events of others (the host's own, from other test classes) are left out. */
    private static List<EventOutbox.HeldEvent> mine(List<EventOutbox.HeldEvent> events, String marker) {
        return events.stream().filter(e -> e.eventId().startsWith(marker)).toList();
    }
}
