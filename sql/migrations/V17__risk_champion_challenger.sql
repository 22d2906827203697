-- Risk scored by a learned model, shadowed against the rule before it takes over (issue 14).
--
-- risk_scores: every version the daily risk job scores a person's day with — the rule always (so any model can be
-- compared with it), the production model when there is one, and the challenger — with the feature vector the
-- day's score was made from. Only mental_health_assessments (the champion's rows) is ever shown to the person or a
-- clinician; challenger scores stay here, read only by `chakrai models compare` and the training dataset.
CREATE TABLE risk_scores (
    user_id       INTEGER       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assessed_day  DATE          NOT NULL,
    model_version TEXT          NOT NULL,   -- risk-rule-1, or <registry name>-v<version>, e.g. risk_phq9-v2
    role          TEXT          NOT NULL CHECK (role IN ('champion', 'challenger', 'reference')),
    score         DECIMAL(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    features      JSONB         NOT NULL,   -- RiskFeatures of the 14 days up to the day's end, by name
    created_at    TIMESTAMPTZ   NOT NULL,   -- the end of the assessed day
    PRIMARY KEY (user_id, model_version, assessed_day)
);
CREATE INDEX idx_risk_scores_day ON risk_scores (model_version, assessed_day);

-- a registered version can shadow the production one: at most one challenger per model name
ALTER TABLE model_versions DROP CONSTRAINT model_versions_stage_check;
ALTER TABLE model_versions ADD CONSTRAINT model_versions_stage_check
    CHECK (stage IN ('candidate', 'challenger', 'production', 'archived'));
ALTER TABLE model_versions ADD COLUMN challenger_since TIMESTAMPTZ;
CREATE UNIQUE INDEX model_versions_one_challenger ON model_versions (name) WHERE stage = 'challenger';
