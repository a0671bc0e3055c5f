-- What the complaint report counts beside the other columns: whether the case ever breached a
-- deadline, and how often it was reopened. Rows written before say false / 0 until their case's
-- next step (or `rebuild_case`).
ALTER TABLE complaint_cases ADD COLUMN ever_breached boolean NOT NULL DEFAULT false;
ALTER TABLE complaint_cases ADD COLUMN reopened integer NOT NULL DEFAULT 0;
