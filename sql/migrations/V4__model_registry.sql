-- The model registry: every trained model's bytes with what it was trained on and how it scored, so the
-- API and the Flink jobs load exactly the same artifact, and a data scientist can promote, compare and roll back.
CREATE TABLE model_versions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            TEXT        NOT NULL,            -- e.g. stress_wesad_wrist
    version         INTEGER     NOT NULL,            -- 1, 2, … per name
    kind            TEXT        NOT NULL,            -- random_forest, gradient_boosting, logistic_regression
    features        TEXT[]      NOT NULL,            -- in the order the model expects them
    metrics         JSONB       NOT NULL,            -- leave-one-subject-out figures at training time
    data_sha256     TEXT        NOT NULL,            -- of the training table
    artifact        BYTEA       NOT NULL,
    artifact_sha256 TEXT        NOT NULL,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    stage           TEXT        NOT NULL DEFAULT 'candidate' CHECK (stage IN ('candidate', 'production', 'archived')),
    promoted_at     TIMESTAMPTZ,
    UNIQUE (name, version)
);
-- at most one production version per model name
CREATE UNIQUE INDEX model_versions_one_production ON model_versions (name) WHERE stage = 'production';
