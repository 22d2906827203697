-- Therapeutic content, generated and measured: which structure and generator wrote a piece, what a person
-- said about a session, and what their body did around it (written by the content-effectiveness job).
ALTER TABLE therapeutic_content
    ADD COLUMN variant   TEXT,
    ADD COLUMN generator TEXT;
CREATE INDEX idx_therapeutic_content_shared ON therapeutic_content (content_type, created_at DESC) WHERE user_id IS NULL;

ALTER TABLE content_usage_tracking
    ADD COLUMN comment        TEXT,
    ADD COLUMN hr_change      DOUBLE PRECISION,  -- bpm: mean after completion minus mean before the start
    ADD COLUMN rmssd_change   DOUBLE PRECISION,  -- ms, same windows
    ADD COLUMN measured_at    TIMESTAMPTZ;
CREATE INDEX idx_content_usage_content ON content_usage_tracking (content_id);
