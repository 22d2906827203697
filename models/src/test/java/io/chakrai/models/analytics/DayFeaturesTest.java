package io.chakrai.models.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.assessment.RiskInputs;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DayFeaturesTest {

    /** PostgreSQL's percentile_cont on a sorted array, written the obvious way. */
    static double percentileCont(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Test
    void percentilesFromCountsEqualPercentileContOfTheValues() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(trial < 20 ? 3 : 400);
            double[] v = new double[n];
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                v[i] =
                        Math.round((50 + rnd.nextGaussian() * 12) * (rnd.nextBoolean() ? 1 : 10))
                                / 10.0;
                counts.merge((int) Math.round(v[i] * 10), 1, Integer::sum);
            }
            Arrays.sort(v);
            for (double p : new double[] {0, 0.1, 0.5, 0.9, 1}) {
                assertEquals(
                        percentileCont(v, p),
                        DayFeatures.percentile(counts, p),
                        1e-9,
                        "n=" + n + " p=" + p);
            }
        }
        assertTrue(Double.isNaN(DayFeatures.percentile(new TreeMap<>(), 0.5)));
    }

    @Test
    void aDayOfReadingsSummarisesLikeTheApisSql() {
        Instant midnight = Instant.parse("2026-03-10T00:00:00Z");
        DayFeatures day = new DayFeatures(DayFeatures.dayOf("heart_rate", midnight));
        // night: 23:00 the evening before to 06:00, 420 minutes asleep, 30 awake minutes
        for (int m = -60; m < 390; m++) {
            Instant t = midnight.plusSeconds(m * 60L);
            assertEquals(day.epochDay, DayFeatures.dayOf("sleep_stage", t));
            day.add("sleep_stage", m < 360 || m >= 420 ? 2 : 0);
        }
        for (int i = 1; i <= 100; i++) {
            day.add("heart_rate", 50 + i);
            day.add("steps", 100);
        }
        day.add("hrv", 40);
        day.add("hrv", 50);
        DailySummary s = day.summary(2);
        assertEquals(LocalDate.of(2026, 3, 10), s.day());
        assertEquals(420 / 60.0, s.sleepHours(), 1e-9);
        assertEquals(10_000, s.steps(), 1e-9);
        assertEquals(45, s.hrvMedian(), 1e-9);
        assertEquals(60.9, s.restingHr(), 1e-9); // percentile_cont(0.1) of 51..150
        assertEquals(2, s.stressEpisodes());
        // an evening sleep reading counts for the next day's night; other readings for their own
        // day
        assertEquals(
                day.epochDay + 1,
                DayFeatures.dayOf("sleep_stage", midnight.plusSeconds(20 * 3600)));
        assertEquals(day.epochDay, DayFeatures.dayOf("hrv", midnight.plusSeconds(20 * 3600)));
        DailySummary empty = new DayFeatures(day.epochDay).summary(0);
        assertTrue(
                Double.isNaN(empty.sleepHours())
                        && Double.isNaN(empty.steps())
                        && Double.isNaN(empty.restingHr()));
    }

    @Test
    void riskInputsCompareTheLastSevenDaysWithTheSevenBefore() {
        LocalDate asOf = LocalDate.of(2026, 3, 20);
        List<DailySummary> days = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            boolean recent = i < 7;
            LocalDate d = asOf.minusDays(i);
            days.add(
                    new DailySummary(
                            d,
                            recent ? 5.5 : 7.5,
                            recent && i % 2 == 0 ? 1 : 0,
                            recent ? 3_000 : 8_000,
                            recent ? 40 : 50,
                            recent ? 62 : 58));
        }
        // a day after asOf and one more than 14 days back are ignored
        days.add(new DailySummary(asOf.plusDays(1), 0, 9, 0, 1, 200));
        days.add(new DailySummary(asOf.minusDays(14), 0, 9, 0, 1, 200));
        RiskInputs in = RiskInputs.fromDays(null, null, days, asOf, Double.NaN);
        assertEquals(7, in.daysWithData());
        assertEquals(4 / 7.0, in.stressEpisodesPerDay(), 1e-9);
        assertEquals(5.5, in.sleepHoursPerNight(), 1e-9);
        assertEquals(-0.2, in.hrvChange(), 1e-9);
        assertEquals(4, in.restingHrChange(), 1e-9);
        assertEquals(3_000, in.stepsPerDay(), 1e-9);
        RiskInputs none = RiskInputs.fromDays(null, null, List.of(), asOf, Double.NaN);
        assertEquals(0, none.daysWithData());
        assertTrue(Double.isNaN(none.hrvChange()) && Double.isNaN(none.sleepHoursPerNight()));
    }
}
