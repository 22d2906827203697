package io.chakrai.models.assessment;

/**
 * What the platform knows about a person for a risk assessment; any part may be missing (null / NaN).
 *
 * @param phq9                 PHQ-9 answers (9 items 0–3) or null
 * @param gad7                 GAD-7 answers (7 items 0–3) or null
 * @param daysWithData         days of the last 7 with any biometric readings
 * @param stressEpisodesPerDay stress episodes per day over the last 7 days
 * @param sleepHoursPerNight   mean sleep per night over the last 7 days (NaN without sleep data)
 * @param hrvChange            relative change of median RMSSD, last 7 days vs the 7 before (NaN if unknown)
 * @param restingHrChange      change of resting heart rate, bpm, last 7 days vs the 7 before (NaN if unknown)
 * @param stepsPerDay          mean steps per day over the last 7 days (NaN without step data)
 * @param voiceRisk            latest voice-analysis overall score 0..1 (NaN without one)
 */
public record RiskInputs(int[] phq9, int[] gad7, int daysWithData, double stressEpisodesPerDay,
                         double sleepHoursPerNight, double hrvChange, double restingHrChange, double stepsPerDay,
                         double voiceRisk) {
}
