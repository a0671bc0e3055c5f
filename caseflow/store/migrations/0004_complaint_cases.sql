-- The complaint worklist, kept in the same transaction as the events (see projections/).
CREATE TABLE complaint_cases (
    case_id          text PRIMARY KEY,
    status           text        NOT NULL,
    handler          text,
    outlet           text        NOT NULL,
    client_tier      text        NOT NULL,
    category         text        NOT NULL,
    channel          text        NOT NULL,
    received_at      timestamptz NOT NULL,
    due_at           timestamptz,
    breached         boolean     NOT NULL DEFAULT false,
    escalation_level integer     NOT NULL DEFAULT 0,
    extension        text        NOT NULL,
    close_reason     text,
    closed_at        timestamptz,
    version          integer     NOT NULL
);
CREATE INDEX complaint_cases_worklist ON complaint_cases (status, due_at);
CREATE INDEX complaint_cases_handler ON complaint_cases (handler, due_at);
CREATE INDEX complaint_cases_outlet ON complaint_cases (outlet, due_at);
