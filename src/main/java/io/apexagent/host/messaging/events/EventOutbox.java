package io.apexagent.host.messaging.events;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code event_outbox} table: CloudEvents the broker never acknowledged, held whole until a replica sends them
 * again. A replica takes a batch for {@code claim} (so that two replicas do not send the same rows), and deletes
 * each row once the broker acknowledged it. Thread-safe.
 */
@ApplicationScoped
public class EventOutbox {

    /** One held CloudEvent; {@code extensions} and {@code data} are JSON text. */
    public record HeldEvent(long id, String channel, String eventId, String type, String source, String subject,
            ZonedDateTime time, String extensions, String data) {
    }

    private final Pool pool;

    EventOutbox(Pool pool) {
        this.pool = pool;
    }

    /** Stores an event given up on by its channel ({@code id} is not used: the table numbers its rows). */
    public Uni<Void> hold(HeldEvent event) {
        return pool.preparedQuery("""
                INSERT INTO event_outbox (channel, event_id, event_type, source, subject, event_time, extensions, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(List.of(event.channel(), event.eventId(), event.type(), event.source(),
                        event.subject(), event.time().toOffsetDateTime(), event.extensions(), event.data())))
                .replaceWithVoid();
    }

    /**
     * Takes up to {@code limit} held events, oldest first, that no replica holds now, for {@code claim}.
     *
     * @return the events taken, oldest first
     */
    public Uni<List<HeldEvent>> take(int limit, Duration claim) {
        return pool.preparedQuery("""
                UPDATE event_outbox SET claimed_until = now() + ($2 * interval '1 millisecond')
                WHERE id IN (
                    SELECT id FROM event_outbox WHERE claimed_until IS NULL OR claimed_until < now()
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING id, channel, event_id, event_type, source, subject, event_time, extensions, data""")
                .execute(Tuple.of(limit, claim.toMillis()))
                .map(rows -> {
                    List<HeldEvent> taken = new ArrayList<>();
                    for (Row row : rows) {
                        taken.add(heldEvent(row));
                    }
                    taken.sort(java.util.Comparator.comparingLong(HeldEvent::id));
                    return taken;
                });
    }

    /**
     * Deletes the events held longer than {@code maxAge} that no replica is sending now.
     *
     * @return the channel of each event deleted
     */
    public Uni<List<String>> expire(Duration maxAge) {
        return pool.preparedQuery("""
                DELETE FROM event_outbox
                WHERE held_at < now() - ($1 * interval '1 millisecond')
                  AND (claimed_until IS NULL OR claimed_until < now())
                RETURNING channel""")
                .execute(Tuple.of(maxAge.toMillis()))
                .map(rows -> {
                    List<String> channels = new ArrayList<>();
                    for (Row row : rows) {
                        channels.add(row.getString("channel"));
                    }
                    return channels;
                });
    }

    /** Deletes an event the broker acknowledged. */
    public Uni<Void> sent(long id) {
        return pool.preparedQuery("DELETE FROM event_outbox WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** @return events held now, by every replica */
    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM event_outbox").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static HeldEvent heldEvent(Row row) {
        OffsetDateTime time = row.getOffsetDateTime("event_time");
        return new HeldEvent(row.getLong("id"), row.getString("channel"), row.getString("event_id"),
                row.getString("event_type"), row.getString("source"), row.getString("subject"),
                time.atZoneSameInstant(ZoneOffset.UTC), row.getString("extensions"), row.getString("data"));
    }
}
