-- An erasure deletes the person's content sessions; the stress job keeps each person's measured sessions (what helped
-- them, to choose an intervention) and must forget them too. Its state is keyed by person, so the delete events of
-- content_usage_tracking carry the person beside the row's id (by default they carried the id alone).
CREATE UNIQUE INDEX content_usage_id_user ON content_usage_tracking (id, user_id);
ALTER TABLE content_usage_tracking REPLICA IDENTITY USING INDEX content_usage_id_user;
