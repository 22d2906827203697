package io.chakrai.models.stress;

/**
 * One person's minute, aggregated from their readings.
 *
 * @param userId the person
 * @param minuteStart start of the minute, epoch ms (UTC)
 * @param hr quality-weighted mean heart rate, bpm (NaN if none)
 * @param hrCount heart-rate readings used
 * @param rmssd HRV (RMSSD) reported in the minute, ms (NaN if none)
 * @param steps steps counted in the minute
 * @param met highest activity level reported, METs (NaN if none)
 * @param quality mean quality x confidence of the readings used, 0..1
 * @param sleeping a sleep stage other than awake was reported
 * @param edaTonic skin conductance tonic level of the minute, µS ({@link EdaFeatures}; NaN if none)
 */
public record MinuteFeatures(
        int userId,
        long minuteStart,
        double hr,
        int hrCount,
        double rmssd,
        double steps,
        double met,
        double quality,
        boolean sleeping,
        double edaTonic) {
    /** A minute without skin conductance. */
    public MinuteFeatures(
            int userId,
            long minuteStart,
            double hr,
            int hrCount,
            double rmssd,
            double steps,
            double met,
            double quality,
            boolean sleeping) {
        this(userId, minuteStart, hr, hrCount, rmssd, steps, met, quality, sleeping, Double.NaN);
    }
}
