package io.chakrai.models.stress;

/**
 * A health prediction as the jobs emit it: one {@code health_predictions} row, and one event on
 * Kafka topic {@code predictions}. (userId, type, predictionTime) is its natural key.
 *
 * @param userId the person
 * @param type {@code stress_episode} or {@code mood_decline}
 * @param level predicted level 0..100
 * @param confidence 0..1
 * @param timeframe {@code 15min}, {@code 1hour} or {@code 24hours}
 * @param predictionTime epoch ms (event time of the evidence)
 * @param targetTime epoch ms the prediction is about
 * @param triggers the signals that fired
 * @param actions concrete preventive actions
 * @param interventionType set when an intervention was triggered, else null
 * @param interventionContent what the user is offered
 * @param interventionUrgency low / medium / high
 * @param actualOutcome 0..100, what happened by the target time (NaN until known)
 * @param accuracy 1 if the prediction came true, 0 if not (NaN until known)
 */
public record Prediction(
        int userId,
        String type,
        int level,
        double confidence,
        String timeframe,
        long predictionTime,
        long targetTime,
        String[] triggers,
        String[] actions,
        String interventionType,
        String interventionContent,
        String interventionUrgency,
        double actualOutcome,
        double accuracy) {

    /** A prediction made now; its outcome is not known yet. */
    public static Prediction made(
            int userId,
            String type,
            int level,
            double confidence,
            String timeframe,
            long predictionTime,
            long targetTime,
            String[] triggers,
            String[] actions,
            String interventionType,
            String interventionContent,
            String interventionUrgency) {
        return new Prediction(
                userId,
                type,
                level,
                confidence,
                timeframe,
                predictionTime,
                targetTime,
                triggers,
                actions,
                interventionType,
                interventionContent,
                interventionUrgency,
                Double.NaN,
                Double.NaN);
    }

    /** The same prediction with what happened by its target time. */
    public Prediction withOutcome(double outcome, double wasRight) {
        return new Prediction(
                userId,
                type,
                level,
                confidence,
                timeframe,
                predictionTime,
                targetTime,
                triggers,
                actions,
                interventionType,
                interventionContent,
                interventionUrgency,
                outcome,
                wasRight);
    }

    public boolean interventionTriggered() {
        return interventionType != null;
    }
}
