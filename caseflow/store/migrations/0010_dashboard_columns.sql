-- Columns the unit's dashboard reads. The managers' list says whose retention attempt a closing account awaits: the outlet head's
-- second attempt after the manager's failed one is on the head's page. Rows written before keep
-- NULL until their client's next step.
ALTER TABLE client_profiles ADD COLUMN retention_by text;
CREATE INDEX client_profiles_retention ON client_profiles (outlet) WHERE retention_by = 'outlet_head';

-- The worklist row keeps when its deadline warns, for the supervisor's "warnings due today".
ALTER TABLE complaint_cases ADD COLUMN warning_at timestamptz;
