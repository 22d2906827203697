-- An erased person's answers must not be written to Kafka once more by their own deletion: the delete events of
-- stress_answers carry only the row's id and the person (what the stress job needs to forget their model), not the
-- answer or the level (V22 had the full row).
CREATE UNIQUE INDEX stress_answers_id_user ON stress_answers (id, user_id);
ALTER TABLE stress_answers REPLICA IDENTITY USING INDEX stress_answers_id_user;
