package io.chakrai.models.assessment;

import io.chakrai.models.analytics.DailySummary;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What the platform knows about a person for a risk assessment; any part may be missing (null /
 * NaN).
 *
 * @param phq9 PHQ-9 answers (9 items 0–3) or null
 * @param gad7 GAD-7 answers (7 items 0–3) or null
 * @param daysWithData days of the last 7 with any biometric readings
 * @param stressEpisodesPerDay stress episodes per day over the last 7 days
 * @param sleepHoursPerNight mean sleep per night over the last 7 days (NaN without sleep data)
 * @param hrvChange relative change of median RMSSD, last 7 days vs the 7 before (NaN if unknown)
 * @param restingHrChange change of resting heart rate, bpm, last 7 days vs the 7 before (NaN if
 *     unknown)
 * @param stepsPerDay mean steps per day over the last 7 days (NaN without step data)
 * @param voiceRisk latest voice-analysis overall score 0..1 (NaN without one)
 */
public record RiskInputs(
        int[] phq9,
        int[] gad7,
        int daysWithData,
        double stressEpisodesPerDay,
        double sleepHoursPerNight,
        double hrvChange,
        double restingHrChange,
        double stepsPerDay,
        double voiceRisk) {

    /**
     * The inputs from a person's daily figures, the same way for the API's on-demand assessment and
     * the daily re-assessment job: the seven days ending {@code asOf} against the seven before
     * them. Sleep, steps and resting heart rate are means over the days that have them; RMSSD is
     * the median of the daily medians; stress episodes are per calendar day of the week (days
     * without any data count as none).
     */
    public static RiskInputs fromDays(
            int[] phq9, int[] gad7, List<DailySummary> days, LocalDate asOf, double voiceRisk) {
        List<DailySummary> cur =
                days.stream()
                        .filter(d -> !d.day().isAfter(asOf) && d.day().isAfter(asOf.minusDays(7)))
                        .toList();
        List<DailySummary> prev =
                days.stream()
                        .filter(
                                d ->
                                        !d.day().isAfter(asOf.minusDays(7))
                                                && d.day().isAfter(asOf.minusDays(14)))
                        .toList();
        int withData =
                (int)
                        cur.stream()
                                .filter(
                                        d ->
                                                Double.isFinite(d.sleepHours())
                                                        || Double.isFinite(d.steps())
                                                        || Double.isFinite(d.hrvMedian())
                                                        || Double.isFinite(d.restingHr()))
                                .count();
        double episodes =
                cur.stream()
                                .mapToDouble(DailySummary::stressEpisodes)
                                .filter(Double::isFinite)
                                .sum()
                        / 7.0;
        double hrvNow = median(cur, DailySummary::hrvMedian);
        double hrvBefore = median(prev, DailySummary::hrvMedian);
        double hrvChange =
                Double.isFinite(hrvNow) && Double.isFinite(hrvBefore) && hrvBefore > 0
                        ? (hrvNow - hrvBefore) / hrvBefore
                        : Double.NaN;
        return new RiskInputs(
                phq9,
                gad7,
                withData,
                episodes,
                mean(cur, DailySummary::sleepHours),
                hrvChange,
                mean(cur, DailySummary::restingHr) - mean(prev, DailySummary::restingHr),
                mean(cur, DailySummary::steps),
                voiceRisk);
    }

    private static double mean(List<DailySummary> days, ToDoubleFunction<DailySummary> f) {
        return days.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double median(List<DailySummary> days, ToDoubleFunction<DailySummary> f) {
        double[] v = days.stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RiskInputs r
                && Arrays.equals(phq9, r.phq9)
                && Arrays.equals(gad7, r.gad7)
                && daysWithData == r.daysWithData
                && Double.compare(stressEpisodesPerDay, r.stressEpisodesPerDay) == 0
                && Double.compare(sleepHoursPerNight, r.sleepHoursPerNight) == 0
                && Double.compare(hrvChange, r.hrvChange) == 0
                && Double.compare(restingHrChange, r.restingHrChange) == 0
                && Double.compare(stepsPerDay, r.stepsPerDay) == 0
                && Double.compare(voiceRisk, r.voiceRisk) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(phq9),
                Arrays.hashCode(gad7),
                daysWithData,
                stressEpisodesPerDay,
                sleepHoursPerNight,
                hrvChange,
                restingHrChange,
                stepsPerDay,
                voiceRisk);
    }

    @Override
    public String toString() {
        return "RiskInputs[phq9="
                + Arrays.toString(phq9)
                + ", gad7="
                + Arrays.toString(gad7)
                + ", daysWithData="
                + daysWithData
                + ", stressEpisodesPerDay="
                + stressEpisodesPerDay
                + ", sleepHoursPerNight="
                + sleepHoursPerNight
                + ", hrvChange="
                + hrvChange
                + ", restingHrChange="
                + restingHrChange
                + ", stepsPerDay="
                + stepsPerDay
                + ", voiceRisk="
                + voiceRisk
                + "]";
    }
}
