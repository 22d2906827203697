-- Who looked at a person's health data, and what they agreed to.
--
--   * audit_log: one row for every read or change of a person's health data by anyone other than the
--     person (a model job reading for training, and — as those roles come — facilitators and clinicians),
--     and for the person's own export and consent changes. Append-only: a trigger refuses UPDATE and
--     DELETE, except inside the erasure of that very person (which sets chakrai.erasing_user).
--   * consents: each kind of use opted into, and withdrawn, with when. The latest row per kind counts.

CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id  INTEGER     NOT NULL,   -- whose data (no foreign key: the trail outlives nothing but erasure)
    actor    TEXT        NOT NULL,   -- 'person:<id>', 'job:train:<model name>', 'clinician:<id>', …
    action   TEXT        NOT NULL CHECK (action IN ('read', 'change', 'export', 'consent')),
    what     TEXT        NOT NULL,   -- which data, e.g. 'readings (1,440 rows)'
    why      TEXT        NOT NULL,   -- the purpose, e.g. 'model training: stress_minute'
    at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_log_user ON audit_log (user_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.user_id::text = current_setting('chakrai.erasing_user', true) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE consents (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    INTEGER     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT        NOT NULL CHECK (kind IN ('groups', 'clinician_access', 'model_training')),
    granted    BOOLEAN     NOT NULL,
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_consents_user_kind ON consents (user_id, kind, at DESC);

-- the people who currently consent to a kind of use (the training reader filters by it)
CREATE VIEW current_consents AS
SELECT DISTINCT ON (user_id, kind) user_id, kind, granted, at FROM consents ORDER BY user_id, kind, at DESC, id DESC;
