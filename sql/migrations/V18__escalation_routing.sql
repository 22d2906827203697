-- Escalations reach the facilitators of their group, and are raised when nobody answers.
--   group_facilitators  who is in charge of a group (a new group gets the least-loaded facilitator; a facilitator may
--                       take a group); an escalation of a group with none goes to every facilitator
--   raised_to / raises  an escalation still open after the acknowledgement time goes to another facilitator and to
--                       the clinicians (raises counts how often), and its author is sent the crisis resources again
--   locale              the author's Accept-Language when the message was held, for sending help again
CREATE TABLE group_facilitators (
    group_id    INTEGER     NOT NULL REFERENCES therapy_groups (id),
    user_id     INTEGER     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX idx_group_facilitators_user ON group_facilitators (user_id);

ALTER TABLE crisis_escalations
    ADD COLUMN raised_to INTEGER REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN raised_at TIMESTAMPTZ,
    ADD COLUMN raises    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN locale    TEXT;
CREATE INDEX idx_crisis_escalations_due ON crisis_escalations (status, raises, (coalesce(raised_at, created_at)));
