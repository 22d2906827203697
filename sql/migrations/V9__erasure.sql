-- Erasure (DELETE /api/v2/me): a person's rows go from every table, but the group threads they wrote in
-- stay readable: their participant row keeps its pseudonym with user_id cleared, and each message they
-- wrote keeps its place with the text gone and removed_at set.
ALTER TABLE group_participants ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE group_messages ADD COLUMN removed_at TIMESTAMPTZ;
