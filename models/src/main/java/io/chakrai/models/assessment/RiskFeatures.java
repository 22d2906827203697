package io.chakrai.models.assessment;

import io.chakrai.models.analytics.DailySummary;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a learned risk model sees of a person on a day: the fortnight of daily figures up to the
 * day's end and the questionnaire answers carried forward, as named numbers. One function for the
 * daily risk job (which stores the vector beside every score it makes) and, through those stored
 * vectors, for the training dataset: a model is trained on exactly what it will be given.
 *
 * <p>No value is missing: an unknown signal takes a neutral value (sleep 7 h, 5,000 steps, no
 * change) and {@code days_with_data} / the {@code has_*} flags say how much was known.
 */
public final class RiskFeatures {
    /** The features in the order a model is trained on them. */
    public static final List<String> NAMES =
            List.of(
                    "phq9_prev",
                    "has_phq9",
                    "phq9_item9",
                    "gad7_prev",
                    "has_gad7",
                    "stress_episodes_per_day",
                    "sleep_hours",
                    "steps_per_day",
                    "hrv_change",
                    "resting_hr_change",
                    "rmssd_median",
                    "resting_hr",
                    "days_with_data",
                    "voice_score",
                    "has_voice");

    private RiskFeatures() {}

    /**
     * @param phq9 the latest PHQ-9 answers of the two weeks before (or null)
     * @param gad7 the latest GAD-7 answers of the two weeks before (or null)
     * @param days the person's daily figures (the 14 days up to {@code asOf} are used)
     * @param asOf the assessed day
     * @param voice the latest voice score 0..1, NaN without one
     */
    public static Map<String, Double> of(
            int[] phq9, int[] gad7, List<DailySummary> days, LocalDate asOf, double voice) {
        RiskInputs in = RiskInputs.fromDays(phq9, gad7, days, asOf, voice);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("phq9_prev", phq9 == null ? 0.0 : Questionnaire.PHQ9.score(phq9).total());
        f.put("has_phq9", phq9 == null ? 0.0 : 1.0);
        f.put("phq9_item9", phq9 == null ? 0.0 : phq9[8]);
        f.put("gad7_prev", gad7 == null ? 0.0 : Questionnaire.GAD7.score(gad7).total());
        f.put("has_gad7", gad7 == null ? 0.0 : 1.0);
        f.put("stress_episodes_per_day", round(in.stressEpisodesPerDay()));
        f.put("sleep_hours", known(in.sleepHoursPerNight(), 7));
        f.put("steps_per_day", known(in.stepsPerDay(), 5_000));
        f.put("hrv_change", known(in.hrvChange(), 0));
        f.put("resting_hr_change", known(in.restingHrChange(), 0));
        List<DailySummary> week =
                days.stream()
                        .filter(d -> !d.day().isAfter(asOf) && d.day().isAfter(asOf.minusDays(7)))
                        .toList();
        double[] rmssd =
                week.stream()
                        .mapToDouble(DailySummary::hrvMedian)
                        .filter(Double::isFinite)
                        .sorted()
                        .toArray();
        f.put(
                "rmssd_median",
                known(
                        rmssd.length == 0
                                ? Double.NaN
                                : (rmssd[(rmssd.length - 1) / 2] + rmssd[rmssd.length / 2]) / 2,
                        40));
        f.put(
                "resting_hr",
                known(
                        week.stream()
                                .mapToDouble(DailySummary::restingHr)
                                .filter(Double::isFinite)
                                .average()
                                .orElse(Double.NaN),
                        65));
        f.put("days_with_data", (double) in.daysWithData());
        f.put("voice_score", known(voice, 0));
        f.put("has_voice", Double.isFinite(voice) ? 1.0 : 0.0);
        return f;
    }

    /** Refuses a model that asks for a feature this class does not make. */
    public static void requireKnown(List<String> order) {
        for (String f : order) {
            if (!NAMES.contains(f)) {
                throw new IllegalArgumentException(
                        "a risk model asks for feature "
                                + f
                                + ", which RiskFeatures does not make (it makes "
                                + NAMES
                                + ")");
            }
        }
    }

    /** The vector in a model's feature order; a name this class does not make is refused. */
    public static double[] vector(Map<String, Double> features, List<String> order) {
        requireKnown(order);
        double[] x = new double[order.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = features.get(order.get(i));
        }
        return x;
    }

    private static double known(double v, double neutral) {
        return Double.isFinite(v) ? round(v) : neutral;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
