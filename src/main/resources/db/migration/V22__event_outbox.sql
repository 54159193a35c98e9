-- Events the broker never acknowledged (an outage longer than the event channels' delivery.timeout.ms), held
-- until a replica sends them again. Each row is one CloudEvent, kept whole: same id, type, time and data.
CREATE TABLE event_outbox (
    id            BIGSERIAL PRIMARY KEY,
    channel       VARCHAR(64)  NOT NULL,
    event_id      VARCHAR(64)  NOT NULL,
    event_type    VARCHAR(128) NOT NULL,
    source        TEXT         NOT NULL,
    subject       TEXT         NOT NULL,
    event_time    TIMESTAMPTZ  NOT NULL,
    extensions    TEXT         NOT NULL,
    data          TEXT         NOT NULL,
    held_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    claimed_until TIMESTAMPTZ
);
