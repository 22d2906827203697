-- The ids of erased accounts, and nothing else: readings of an erased person that were already on their
-- way (on Kafka, in the ingestion job's batches) when they were erased are discarded in the very
-- transaction that would have stored them. Ids are never reused, so a tombstone names no one living.
CREATE TABLE erased_users (
    user_id   INTEGER     PRIMARY KEY,
    erased_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
