-- One unfinished import per person, held by the database: two starts sent at the same moment cannot both pass the
-- API's check (the second is answered 409).
CREATE UNIQUE INDEX biometric_imports_one_open ON biometric_imports (user_id)
    WHERE status IN ('uploading', 'queued', 'running');
