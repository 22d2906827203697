-- Which registered model versions gave a voice analysis its scores (NULL: features only, no scores).
ALTER TABLE voice_health_analysis ADD COLUMN scored_by JSONB;
