-- The worklist row keeps the complaint's cause beside its category (business line), from the
-- complaint taxonomy (caseflow/policy/complaint_categories.json); rows of cases registered before
-- it have none.
ALTER TABLE complaint_cases ADD COLUMN cause text;
