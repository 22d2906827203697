-- What people say of their own stress (issue 29): "was this stress?" on an episode the detector raised, and a
-- 0-10 check-in at any moment. The stress job reads the change stream and teaches each person's own model
-- (PersonalModel) from these; an erasure deletes them, and the delete events (REPLICA IDENTITY FULL, so they carry
-- the user) clear the person's model in the job.
CREATE TABLE stress_answers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       INTEGER     NOT NULL REFERENCES users (id),
    kind          TEXT        NOT NULL CHECK (kind IN ('episode', 'check_in')),
    -- the episode answered (one answer each), null for a check-in
    prediction_id BIGINT      UNIQUE REFERENCES health_predictions (id) ON DELETE CASCADE,
    answer        TEXT        CHECK (answer IN ('yes', 'no', 'not_sure')),
    stress_level  INTEGER     CHECK (stress_level BETWEEN 0 AND 10),
    -- the minute the answer speaks of: the episode's onset minute, or the minute of the check-in
    minute_start  TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'episode') = (prediction_id IS NOT NULL AND answer IS NOT NULL AND stress_level IS NULL)),
    CHECK ((kind = 'check_in') = (prediction_id IS NULL AND answer IS NULL AND stress_level IS NOT NULL))
);
CREATE INDEX idx_stress_answers_user_time ON stress_answers (user_id, minute_start DESC);
-- one check-in a minute: a second sent in the same minute (a double tap, a retry) is answered 409
CREATE UNIQUE INDEX stress_answers_one_check_in_a_minute ON stress_answers (user_id, minute_start) WHERE kind = 'check_in';
ALTER TABLE stress_answers REPLICA IDENTITY FULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'chakrai_cdc')
            AND NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'chakrai_cdc' AND tablename = 'stress_answers') THEN
        ALTER PUBLICATION chakrai_cdc ADD TABLE stress_answers;
    END IF;
END
$$;
