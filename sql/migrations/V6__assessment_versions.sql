-- Assessments are written by two paths with the same scoring code: the API when a person asks
-- (trigger 'request', with their questionnaire answers) and the daily re-assessment job when a day of
-- readings closes (trigger 'daily', one row per person, model version and day, so a replay or a
-- backfill overwrites instead of doubling and a new version's rows sit beside the old one's).
-- created_at is the moment an assessment speaks for: the request time, or the end of the assessed day.
ALTER TABLE mental_health_assessments
    ADD COLUMN model_version TEXT     NOT NULL DEFAULT 'risk-rule-1',
    ADD COLUMN trigger       TEXT     NOT NULL DEFAULT 'request' CHECK (trigger IN ('request', 'daily')),
    ADD COLUMN assessed_day  DATE,
    ADD COLUMN phq9_answers  SMALLINT[],
    ADD COLUMN gad7_answers  SMALLINT[],
    ADD COLUMN contributions JSONB,
    ADD CONSTRAINT daily_has_day CHECK ((trigger = 'daily') = (assessed_day IS NOT NULL));
ALTER TABLE mental_health_assessments ALTER COLUMN model_version DROP DEFAULT;
CREATE UNIQUE INDEX uq_assessments_daily ON mental_health_assessments (user_id, model_version, assessed_day)
    WHERE trigger = 'daily';
-- the latest questionnaire answers a daily re-assessment carries forward (PHQ-9 and GAD-7 ask about two weeks)
CREATE INDEX idx_assessments_self_reports ON mental_health_assessments (user_id, created_at DESC)
    WHERE phq9_answers IS NOT NULL OR gad7_answers IS NOT NULL;
