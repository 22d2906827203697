-- What kind of content a session was of, on the session row itself, so the change stream of
-- content_usage_tracking carries it: the stress job learns per person which kind of content measurably
-- calms them (meditation, worksheet, story) without a lookup. Set by a trigger, so every insert path fills it.
ALTER TABLE content_usage_tracking ADD COLUMN content_type TEXT;

UPDATE content_usage_tracking u SET content_type = c.content_type FROM therapeutic_content c WHERE c.id = u.content_id;

CREATE FUNCTION content_usage_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT content_type INTO NEW.content_type FROM therapeutic_content WHERE id = NEW.content_id;
    RETURN NEW;
END $$;

CREATE TRIGGER content_usage_type BEFORE INSERT OR UPDATE OF content_id ON content_usage_tracking
    FOR EACH ROW EXECUTE FUNCTION content_usage_type();
