-- Notifications waiting for (or sent through) the bank's gateways. notification_id is made in the
-- workflow, so a retried notify activity never sends twice.
CREATE TABLE outbox (
    position        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id uuid        NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    kind            text        NOT NULL,
    recipients      text[]      NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX outbox_unsent ON outbox (position) WHERE sent_at IS NULL;
CREATE INDEX outbox_stream ON outbox (stream_id);
