-- Chakrai schema, part 2: group therapy, predictive analytics, generated content.
-- The spec's tables, with TIMESTAMPTZ for points in time and its commented ranges as CHECKs.

CREATE TABLE therapy_groups (
    id                   INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_key            TEXT          NOT NULL UNIQUE,
    session_type         TEXT          NOT NULL,
    max_participants     INTEGER       NOT NULL DEFAULT 6 CHECK (max_participants > 0),
    current_participants INTEGER       NOT NULL DEFAULT 0 CHECK (current_participants >= 0),
    compatibility_score  DECIMAL(3, 2) CHECK (compatibility_score BETWEEN 0 AND 1),
    facilitation_style   TEXT          NOT NULL DEFAULT 'adaptive',
    status               TEXT          NOT NULL DEFAULT 'forming',
    therapeutic_goals    TEXT[],
    session_plan         JSONB,
    created_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CHECK (current_participants <= max_participants)
);

CREATE TABLE group_participants (
    id                  INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id            INTEGER       NOT NULL REFERENCES therapy_groups (id),
    user_id             INTEGER       NOT NULL REFERENCES users (id),
    anonymous_id        TEXT          NOT NULL,  -- the only identity other members ever see
    participation_style TEXT          NOT NULL DEFAULT 'active',
    compatibility_score DECIMAL(3, 2) CHECK (compatibility_score BETWEEN 0 AND 1),
    therapeutic_goals   TEXT[],
    current_mood        TEXT,
    engagement_level    DECIMAL(3, 2) NOT NULL DEFAULT 0.5 CHECK (engagement_level BETWEEN 0 AND 1),
    joined_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    UNIQUE (group_id, user_id),
    UNIQUE (group_id, anonymous_id)
);

CREATE TABLE group_messages (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- busy groups outgrow 32 bits
    group_id            INTEGER       NOT NULL REFERENCES therapy_groups (id),
    participant_id      INTEGER       NOT NULL REFERENCES group_participants (id),
    message_type        TEXT          NOT NULL CHECK (message_type IN ('text', 'voice', 'reaction')),
    content             TEXT,
    sentiment           DECIMAL(3, 2) CHECK (sentiment BETWEEN -1 AND 1),
    emotional_intensity INTEGER       CHECK (emotional_intensity BETWEEN 1 AND 10),
    "timestamp"         TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_group_messages_group_timestamp ON group_messages (group_id, "timestamp" DESC);

CREATE TABLE mental_health_assessments (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id                 INTEGER       NOT NULL REFERENCES users (id),
    assessment_type         TEXT          NOT NULL,
    risk_level              TEXT          NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high', 'critical')),
    overall_risk_score      DECIMAL(5, 2) NOT NULL,
    confidence              DECIMAL(3, 2) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    timeframe               TEXT          NOT NULL,
    primary_risk_factors    TEXT[],
    protective_factors      TEXT[],
    professional_escalation BOOLEAN       NOT NULL DEFAULT false,
    created_at              TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_assessments_user_risk ON mental_health_assessments (user_id, risk_level, created_at DESC);

CREATE TABLE voice_health_analysis (
    id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id                    INTEGER       NOT NULL REFERENCES users (id),
    assessment_id              BIGINT        REFERENCES mental_health_assessments (id),
    depression_score           DECIMAL(3, 2) CHECK (depression_score BETWEEN 0 AND 1),
    anxiety_score              DECIMAL(3, 2) CHECK (anxiety_score BETWEEN 0 AND 1),
    overall_mental_state_score DECIMAL(3, 2) CHECK (overall_mental_state_score BETWEEN 0 AND 1),
    confidence                 DECIMAL(3, 2) CHECK (confidence BETWEEN 0 AND 1),
    analysis_features          JSONB         NOT NULL,
    recorded_at                TIMESTAMPTZ,
    created_at                 TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_voice_health_analysis_user ON voice_health_analysis (user_id, created_at DESC);

CREATE TABLE therapeutic_content (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            INTEGER     REFERENCES users (id),  -- NULL: library content for everyone
    content_type       TEXT        NOT NULL CHECK (content_type IN ('meditation', 'worksheet', 'story')),
    title              TEXT        NOT NULL,
    content            TEXT        NOT NULL,
    personalizations   JSONB,
    target_conditions  TEXT[],
    therapeutic_goals  TEXT[],
    difficulty_level   INTEGER     NOT NULL DEFAULT 1,
    estimated_duration INTEGER,    -- seconds
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_therapeutic_content_user ON therapeutic_content (user_id, created_at DESC);

CREATE TABLE content_usage_tracking (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         INTEGER       NOT NULL REFERENCES users (id),
    content_id      BIGINT        NOT NULL REFERENCES therapeutic_content (id),
    started_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    completion_rate DECIMAL(3, 2) CHECK (completion_rate BETWEEN 0 AND 1),
    user_rating     INTEGER       CHECK (user_rating BETWEEN 1 AND 5),
    effectiveness   DECIMAL(3, 2) CHECK (effectiveness BETWEEN 0 AND 1),
    mood_before     TEXT,
    mood_after      TEXT
);
CREATE INDEX idx_content_usage_user ON content_usage_tracking (user_id, started_at DESC);
