-- Issue 15: who holds an escalated case, the regulator's outer clock and the clock that binds
-- first, the case's open corrective actions (the earliest one's due date and owner), and a
-- satisfaction follow-up awaiting its outcome. Rows written before keep the defaults until
-- their case's next step (or `rebuild_case`).
ALTER TABLE complaint_cases ADD COLUMN held_by text;
ALTER TABLE complaint_cases ADD COLUMN regulatory_due_at timestamptz;
ALTER TABLE complaint_cases ADD COLUMN regulatory_breached boolean NOT NULL DEFAULT false;
ALTER TABLE complaint_cases ADD COLUMN binding_clock text;
ALTER TABLE complaint_cases ADD COLUMN binding_due_at timestamptz;
ALTER TABLE complaint_cases ADD COLUMN open_corrective_actions integer NOT NULL DEFAULT 0;
ALTER TABLE complaint_cases ADD COLUMN corrective_action_due timestamptz;
ALTER TABLE complaint_cases ADD COLUMN corrective_action_owner text;
ALTER TABLE complaint_cases ADD COLUMN corrective_action_overdue boolean NOT NULL DEFAULT false;
ALTER TABLE complaint_cases ADD COLUMN follow_up_pending boolean NOT NULL DEFAULT false;
CREATE INDEX complaint_cases_held_by ON complaint_cases (held_by) WHERE held_by IS NOT NULL;
CREATE INDEX complaint_cases_corrective ON complaint_cases (outlet, corrective_action_due)
    WHERE open_corrective_actions > 0;
