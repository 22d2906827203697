-- Least privilege: what each account may do.
--   person       their own data (everyone who signs up)
--   facilitator  group analytics and escalations (the group routes), never e-mail or user ids
--   clinician    escalations, and the risk of people who granted them clinician_access
--   operator     the pipeline's health and metrics: no health data at all
-- Roles are given by an operator on the command line (`chakrai grant-role`), never through the API.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'person'
    CHECK (role IN ('person', 'facilitator', 'clinician', 'operator'));
