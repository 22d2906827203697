-- Therapy groups, live: status rules, leaving, held messages, crisis escalations, and the group job's mood windows.

-- NOT VALID: rows written before this version are left as they are; every new or changed row is checked
ALTER TABLE therapy_groups
    ADD CONSTRAINT therapy_groups_status CHECK (status IN ('forming', 'active', 'closed')) NOT VALID,
    ADD CONSTRAINT therapy_groups_session_type CHECK (session_type IN ('anxiety_support', 'depression_support',
        'stress_management', 'grief_support', 'sleep_improvement', 'mindfulness_practice', 'general_support')) NOT VALID;
CREATE INDEX idx_therapy_groups_open ON therapy_groups (session_type, updated_at DESC) WHERE status IN ('forming', 'active');

-- a member who leaves keeps their row (and pseudonym) so their messages stay theirs; rejoining clears left_at
ALTER TABLE group_participants
    ADD COLUMN left_at TIMESTAMPTZ,
    ADD CONSTRAINT group_participants_style CHECK (participation_style IN ('active', 'listener', 'supporter')) NOT VALID;
CREATE INDEX idx_group_participants_user ON group_participants (user_id) WHERE left_at IS NULL;
CREATE INDEX idx_group_participants_group ON group_participants (group_id) WHERE left_at IS NULL;

-- a message in which crisis language was found is held: stored, never shown to the group
ALTER TABLE group_messages
    ADD COLUMN status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held'));
CREATE INDEX idx_group_messages_participant ON group_messages (participant_id, "timestamp" DESC);

-- a human is pulled in: crisis language (API), critical risk at matching (API), a member's falling mood or a
-- group-wide negative spiral (the group-dynamics job). Facilitators see the pseudonym and group, never user_id.
CREATE TABLE crisis_escalations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('crisis_language', 'critical_risk', 'member_decline', 'group_spiral')),
    severity        TEXT        NOT NULL CHECK (severity IN ('high', 'critical')),
    group_id        INTEGER     REFERENCES therapy_groups (id),
    participant_id  INTEGER     REFERENCES group_participants (id),
    message_id      BIGINT      REFERENCES group_messages (id),
    user_id         INTEGER     REFERENCES users (id),
    concepts        TEXT[]      NOT NULL DEFAULT '{}',
    reasons         JSONB       NOT NULL DEFAULT '[]',
    source          TEXT        NOT NULL,
    dedupe_key      TEXT        UNIQUE,
    status          TEXT        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by INTEGER     REFERENCES users (id) ON DELETE SET NULL,
    resolved_at     TIMESTAMPTZ,
    resolved_by     INTEGER     REFERENCES users (id) ON DELETE SET NULL,
    resolution_note TEXT
);
CREATE INDEX idx_crisis_escalations_open ON crisis_escalations (status, created_at DESC);
CREATE INDEX idx_crisis_escalations_user ON crisis_escalations (user_id);

-- the group-dynamics job's windows of a group's mood (upserted: a replay rewrites the same window)
CREATE TABLE group_mood (
    group_id       INTEGER          NOT NULL REFERENCES therapy_groups (id),
    window_start   TIMESTAMPTZ      NOT NULL,
    window_end     TIMESTAMPTZ      NOT NULL,
    messages       INTEGER          NOT NULL,
    participants   INTEGER          NOT NULL,
    mean_sentiment DOUBLE PRECISION NOT NULL,
    mean_intensity DOUBLE PRECISION NOT NULL,
    negative_share DOUBLE PRECISION NOT NULL,
    updated_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, window_start)
);

-- change-data-capture (Debezium, pgoutput) reads these tables through this publication
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'chakrai_cdc') THEN
        CREATE PUBLICATION chakrai_cdc FOR TABLE therapy_groups, group_participants, group_messages, crisis_escalations,
            content_usage_tracking;
    END IF;
END
$$;
