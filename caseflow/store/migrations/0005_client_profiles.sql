-- The managers' client list, kept in the same transaction as the events (see projections/).
CREATE TABLE client_profiles (
    client_id        text PRIMARY KEY,
    outlet           text,
    tier             text,
    stage            text        NOT NULL,
    manager          text,
    next_contact_due timestamptz,
    churn_risk       integer     NOT NULL,
    open_complaints  integer     NOT NULL,
    version          integer     NOT NULL
);
CREATE INDEX client_profiles_manager ON client_profiles (manager, next_contact_due);
CREATE INDEX client_profiles_outlet ON client_profiles (outlet, next_contact_due);
