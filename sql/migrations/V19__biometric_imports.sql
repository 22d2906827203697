-- Imports of a person's history from their phone's or wearable's export (Apple Health, Fitbit, Oura): each upload,
-- its progress and its outcome. The file itself lives on the API's disk only while it is uploaded and read, then is
-- deleted; the readings it held go through Kafka like live ones and carry {"import": id} in their metadata.
CREATE TABLE biometric_imports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        INTEGER     NOT NULL REFERENCES users (id),
    format         TEXT        CHECK (format IN ('apple_health', 'fitbit', 'oura')), -- NULL: detected when read
    file_name      TEXT        NOT NULL,
    time_zone      TEXT        NOT NULL DEFAULT 'UTC', -- for exports that write local times without an offset
    size_bytes     BIGINT      NOT NULL CHECK (size_bytes > 0),
    received_bytes BIGINT      NOT NULL DEFAULT 0,
    status         TEXT        NOT NULL DEFAULT 'uploading'
                               CHECK (status IN ('uploading', 'queued', 'running', 'done', 'failed')),
    read_bytes     BIGINT      NOT NULL DEFAULT 0,
    records_read   BIGINT      NOT NULL DEFAULT 0,
    accepted       BIGINT      NOT NULL DEFAULT 0, -- readings published (new to the store)
    duplicates     BIGINT      NOT NULL DEFAULT 0, -- readings already stored (an import run twice, overlapping live data)
    skipped        JSONB       NOT NULL DEFAULT '{}', -- reason -> count
    error          TEXT,                             -- why a failed import stopped, with the position in the file
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_biometric_imports_user ON biometric_imports (user_id, id DESC);
