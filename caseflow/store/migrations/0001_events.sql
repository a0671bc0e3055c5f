-- The append-only business record. (stream_id, version) is the optimistic-concurrency key;
-- global_position orders all events for projections and auditors.
CREATE TABLE events (
    stream_id       text        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    global_position bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_id        uuid        NOT NULL UNIQUE,
    type            text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    actor           text        NOT NULL,
    prev_hash       char(64)    NOT NULL,
    hash            char(64)    NOT NULL,
    PRIMARY KEY (stream_id, version)
);
CREATE INDEX events_occurred_at ON events (stream_id, occurred_at);
