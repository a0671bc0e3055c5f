-- The bank's working-day calendar as versions: each entered by one admin (a year's schedule, or
-- an amendment of a covered year that says what it changes) and in force only once a second
-- admin has confirmed it. The calendar in force is the official data with, for each year, the
-- latest confirmed version of that year laid over it. Each worklist row also says whether its
-- deadline is provisional, and keeps what the what-if report recomputes from.
CREATE TABLE calendar_versions (
    number          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision        integer UNIQUE,  -- the calendar revision it made, in order of confirmation
    year            integer     NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('schedule', 'amendment')),
    reason          text,
    schedule        jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'proposed'
                                CHECK (state IN ('proposed', 'in_force', 'withdrawn')),
    entered_by      text        NOT NULL,
    entered_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_by    text,
    confirmed_at    timestamptz,
    changed_days    date[]      NOT NULL DEFAULT '{}',
    withdrawn_by    text,
    CHECK (confirmed_by IS NULL OR confirmed_by <> entered_by),
    CHECK ((state = 'in_force') = (confirmed_by IS NOT NULL AND revision IS NOT NULL))
);
-- One proposal at a time per year: a second would be confirmed against a calendar that the
-- first may already have changed.
CREATE UNIQUE INDEX calendar_versions_one_proposal ON calendar_versions (year)
    WHERE state = 'proposed';

ALTER TABLE complaint_cases ADD COLUMN deadline_provisional boolean NOT NULL DEFAULT false;
ALTER TABLE complaint_cases ADD COLUMN deadline_working_days integer;
ALTER TABLE complaint_cases ADD COLUMN replied_at timestamptz;
CREATE INDEX complaint_cases_received ON complaint_cases (received_at);
