-- The CDC service's heartbeat. A replication slot keeps every byte of WAL from its confirmed position on; the
-- position only moves when the connector receives a change of a published table. Readings (not published) write
-- WAL all day, so with the group and content tables quiet the slot held it all (1.2 GB after a benchmark, and
-- /health went down). Every few seconds the service updates this one row, which is published: the slot follows.
CREATE TABLE cdc_heartbeat (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO cdc_heartbeat (id) VALUES (1);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'chakrai_cdc')
            AND NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'chakrai_cdc' AND tablename = 'cdc_heartbeat') THEN
        ALTER PUBLICATION chakrai_cdc ADD TABLE cdc_heartbeat;
    END IF;
END
$$;
