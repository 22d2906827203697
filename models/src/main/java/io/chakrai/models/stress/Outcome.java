package io.chakrai.models.stress;

/**
 * What happened by a prediction's target time: {@code actualOutcome} 0..100 and whether the prediction
 * was right ({@code accuracy} 1 or 0).
 */
public record Outcome(int userId, String type, long predictionTime, double actualOutcome, double accuracy) {
}
