-- One intervention per prediction at most, so the stress job can write a prediction and its
-- intervention in one idempotent statement (a replay after a restart inserts nothing twice).
CREATE UNIQUE INDEX interventions_prediction_key ON interventions (prediction_id);
CREATE INDEX idx_health_predictions_open_outcomes ON health_predictions (target_time) WHERE actual_outcome IS NULL;
