-- What a model job scored: one probability per person, model version and one-minute window, so a backfill
-- with a new version sits beside the old one's results and a replay writes nothing twice.
CREATE TABLE model_scores (
    user_id       INTEGER      NOT NULL REFERENCES users (id),
    model_name    TEXT         NOT NULL,
    model_version INTEGER      NOT NULL,
    window_start  TIMESTAMPTZ  NOT NULL,  -- one-minute event-time window
    probability   DECIMAL(5, 4) NOT NULL CHECK (probability BETWEEN 0 AND 1),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, model_name, model_version, window_start)
);
