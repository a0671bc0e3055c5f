-- The bank's organisation: units in a tree (head office > branch > sub-branch > outlet, with the
-- branch's service-management department and press office), the staff's unit, contacts and
-- language; what each notification asked for (its facts, for the templates) and how each of its
-- deliveries went; and every staff member's inbox.
CREATE TABLE units (
    unit_id   text PRIMARY KEY,
    kind      text NOT NULL,
    parent_id text REFERENCES units (unit_id),
    name_zh   text NOT NULL,
    name_en   text NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> unit_id)
);
CREATE INDEX units_parent ON units (parent_id);

ALTER TABLE users ADD COLUMN email text;
ALTER TABLE users ADD COLUMN mobile text;
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'zh';
CREATE INDEX users_unit_role ON users (outlet, role);

ALTER TABLE outbox ADD COLUMN facts jsonb NOT NULL DEFAULT '{}';
ALTER TABLE outbox ADD COLUMN unit text;

-- One row per notification, recipient and channel. recipient is a user name, "client:<id>" or
-- "webhook": never a mobile number or an e-mail address (those live in sealed Temporal payloads).
CREATE TABLE deliveries (
    notification_id uuid        NOT NULL,
    recipient       text        NOT NULL,
    channel         text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('queued', 'delivered', 'failed', 'skipped')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    route           text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (notification_id, recipient, channel)
);
CREATE INDEX deliveries_failed ON deliveries (updated_at) WHERE state = 'failed';

CREATE TABLE inbox (
    notification_id uuid        NOT NULL,
    user_name       text        NOT NULL,
    kind            text        NOT NULL,
    stream_id       text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    PRIMARY KEY (user_name, notification_id)
);
CREATE INDEX inbox_unread ON inbox (user_name, created_at) WHERE read_at IS NULL;
