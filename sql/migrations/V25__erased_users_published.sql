-- The stress job keeps each person's baseline, current minute and personal model in its keyed state. An erasure
-- ends with a row here (V12), so it is published: its insert event tells the job to drop everything it keeps of
-- the person, whether or not they ever answered (the deletes of stress_answers only reach those who did).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'chakrai_cdc')
            AND NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'chakrai_cdc' AND tablename = 'erased_users') THEN
        ALTER PUBLICATION chakrai_cdc ADD TABLE erased_users;
    END IF;
END
$$;

-- People erased before this migration: their rows are written again (an update event each), so the job forgets
-- them too (Debezium does not snapshot a table added to a running connector).
UPDATE erased_users SET erased_at = erased_at;
