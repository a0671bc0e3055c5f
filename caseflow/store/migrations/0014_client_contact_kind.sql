-- The managers' list says what the next contact is (meeting, follow_up, planned, cadence,
-- after_sale), for the manager's day. Rows written before say NULL until their client's next
-- step.
ALTER TABLE client_profiles ADD COLUMN next_contact_kind text;
CREATE INDEX client_profiles_manager_due ON client_profiles (manager, next_contact_due);
