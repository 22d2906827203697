package io.chakrai.models.stress;

/**
 * A minute judged against the person's own baseline.
 *
 * @param userId the person
 * @param minuteStart epoch ms
 * @param hr bpm (NaN if none)
 * @param rmssd ms (NaN if none)
 * @param restingHr the baseline it was judged against, bpm
 * @param restingRmssd ms
 * @param hrZ (hr - restingHr) / robust SD
 * @param hrvRatio rmssd / restingRmssd (NaN if no HRV this minute)
 * @param active moving or exercising (or recovering from it): never a stress minute
 * @param stress a stress minute: raised heart rate with suppressed HRV while still
 * @param level 0..100
 * @param confidence 0..1
 * @param triggers the signals that fired, comma-separated (e.g.
 *     "heart_rate_elevated,hrv_suppressed")
 * @param history every reading of the minute arrived as history ({@link
 *     io.chakrai.models.readings.Arrival}): an episode it ends offers no intervention
 */
public record MinuteEvaluation(
        int userId,
        long minuteStart,
        double hr,
        double rmssd,
        double restingHr,
        double restingRmssd,
        double hrZ,
        double hrvRatio,
        boolean active,
        boolean stress,
        int level,
        double confidence,
        String triggers,
        boolean history) {

    /** The same minute, its readings all arrived as history. */
    public MinuteEvaluation asHistory() {
        return new MinuteEvaluation(
                userId,
                minuteStart,
                hr,
                rmssd,
                restingHr,
                restingRmssd,
                hrZ,
                hrvRatio,
                active,
                stress,
                level,
                confidence,
                triggers,
                true);
    }
}
