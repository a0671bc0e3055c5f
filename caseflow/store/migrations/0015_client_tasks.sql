-- The manager's tasks beside a client's next contact (client-policy-2026.3): maturities to
-- contact the client about, care occasions, satisfaction surveys; and the soonest of them.
-- Rows written before hold no tasks until their client's next step.
ALTER TABLE client_profiles ADD COLUMN tasks jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE client_profiles ADD COLUMN next_task_due timestamptz;
CREATE INDEX client_profiles_manager_task ON client_profiles (manager, next_task_due);
