package io.chakrai.models.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.analytics.DayFeatures;
import io.chakrai.models.assessment.Questionnaire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The simulated people's latent mood moves their day figures — computed by the risk job's own
 * {@link DayFeatures} from the readings — in the directions the issue asks (lower mood: less sleep,
 * fewer steps, higher resting heart rate, lower RMSSD), and their PHQ-9 / GAD-7 answers with it; a
 * coarse history step gives the same day figures.
 */
class SimulatedMoodTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    record Day(double mood, DailySummary figures) {}

    /** A person's days from readings every {@code stepSeconds}, with the mood of each. */
    static List<Day> days(SimulatedPerson p, int days, int stepSeconds) {
        Map<Long, DayFeatures> byDay = new HashMap<>();
        Map<Long, Double> mood = new HashMap<>();
        for (long s = 0; s < days * 86_400L; s += stepSeconds) {
            Instant t = T0.plusSeconds(s);
            for (SimulatedPerson.Sample x : p.step(t)) {
                long d = DayFeatures.dayOf(x.type().wireName(), x.timestamp());
                byDay.computeIfAbsent(d, DayFeatures::new).add(x.type().wireName(), x.value());
            }
            mood.putIfAbsent(Math.floorDiv(t.getEpochSecond(), 86_400), p.mood(t));
        }
        List<Day> out = new ArrayList<>();
        long first = Math.floorDiv(T0.getEpochSecond(), 86_400);
        for (long d = first + 1;
                d < first + days;
                d++) { // the first day's night started before the simulation
            out.add(new Day(mood.get(d), byDay.get(d).summary(0)));
        }
        return out;
    }

    /**
     * Pearson correlation of mood with a figure, each person's own mean taken out first
     * (within-person).
     */
    static double withinPerson(List<List<Day>> people, ToDoubleFunction<DailySummary> f) {
        List<double[]> pairs = new ArrayList<>();
        for (List<Day> all : people) {
            // a day without any sleep reading has no sleep figure (as in the job): left out
            List<Day> days =
                    all.stream()
                            .filter(d -> Double.isFinite(f.applyAsDouble(d.figures())))
                            .toList();
            double mm = days.stream().mapToDouble(Day::mood).average().orElseThrow();
            double fm =
                    days.stream()
                            .mapToDouble(d -> f.applyAsDouble(d.figures()))
                            .average()
                            .orElseThrow();
            days.forEach(
                    d ->
                            pairs.add(
                                    new double[] {
                                        d.mood() - mm, f.applyAsDouble(d.figures()) - fm
                                    }));
        }
        return correlation(pairs);
    }

    static double correlation(List<double[]> pairs) {
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        double mx = pairs.stream().mapToDouble(a -> a[0]).average().orElseThrow();
        double my = pairs.stream().mapToDouble(a -> a[1]).average().orElseThrow();
        for (double[] a : pairs) {
            sxy += (a[0] - mx) * (a[1] - my);
            sxx += (a[0] - mx) * (a[0] - mx);
            syy += (a[1] - my) * (a[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void lowerMoodMeansLessSleepFewerStepsHigherRestingHeartRateAndLowerHrv() {
        List<List<Day>> people = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            people.add(days(new SimulatedPerson(i, 0.2, T0).withMood(), 90, 300));
        }
        double sleep = withinPerson(people, DailySummary::sleepHours);
        double steps = withinPerson(people, DailySummary::steps);
        double restingHr = withinPerson(people, DailySummary::restingHr);
        double rmssd = withinPerson(people, DailySummary::hrvMedian);
        String all =
                "sleep "
                        + sleep
                        + ", steps "
                        + steps
                        + ", resting HR "
                        + restingHr
                        + ", RMSSD "
                        + rmssd;
        assertTrue(sleep < -0.15, all);
        assertTrue(steps < -0.15, all);
        assertTrue(restingHr > 0.3, all);
        assertTrue(rmssd < -0.3, all);
        // the mood moves slowly: a low spell lasts days, so a fortnight of figures says something
        // about the next answer
        List<double[]> lag = new ArrayList<>();
        for (List<Day> days : people) {
            for (int d = 7; d < days.size(); d++) {
                lag.add(new double[] {days.get(d - 7).mood(), days.get(d).mood()});
            }
        }
        assertTrue(correlation(lag) > 0.4, "a week apart: " + correlation(lag));
    }

    @Test
    void answersFollowTheMoodWithAboutAQuarterAtModerateDepressionAndSelfHarmRare() {
        List<double[]> pairs = new ArrayList<>();
        int moderate = 0;
        int item9 = 0;
        int n = 0;
        for (int i = 1; i <= 40; i++) {
            SimulatedPerson p = new SimulatedPerson(i, 0.2, T0).withMood();
            for (int d = 0; d < 120; d += 4) {
                Instant t = T0.plusSeconds(d * 86_400L + 36_000);
                int[][] a = p.questionnaires(t);
                assertEquals(9, a[0].length);
                assertEquals(7, a[1].length);
                int phq = Questionnaire.PHQ9.score(a[0]).total();
                Questionnaire.GAD7.score(a[1]);
                pairs.add(new double[] {p.mood(t), phq});
                moderate += phq >= 10 ? 1 : 0;
                item9 += a[0][8] > 0 ? 1 : 0;
                n++;
            }
        }
        double r = correlation(pairs);
        assertTrue(r > 0.6, "PHQ-9 vs mood: r = " + r);
        double share = moderate / (double) n;
        assertTrue(share > 0.15 && share < 0.45, "PHQ-9 ≥ 10 in " + share);
        assertTrue(item9 / (double) n < 0.2, "item 9 above zero in " + item9 / (double) n);
    }

    @Test
    void aCoarseHistoryStepGivesTheSameDayFiguresAsAReadingAMinute() {
        List<Day> fine = days(new SimulatedPerson(5, 0.2, T0), 15, 60);
        List<Day> coarse = days(new SimulatedPerson(5, 0.2, T0), 15, 300);
        double fineSleep =
                fine.stream().mapToDouble(d -> d.figures().sleepHours()).average().orElseThrow();
        double coarseSleep =
                coarse.stream().mapToDouble(d -> d.figures().sleepHours()).average().orElseThrow();
        double fineSteps =
                fine.stream().mapToDouble(d -> d.figures().steps()).average().orElseThrow();
        double coarseSteps =
                coarse.stream().mapToDouble(d -> d.figures().steps()).average().orElseThrow();
        assertEquals(fineSleep, coarseSleep, fineSleep * 0.25, "sleep hours a day");
        assertEquals(fineSteps, coarseSteps, fineSteps * 0.25, "steps a day");
        double fineHr =
                fine.stream().mapToDouble(d -> d.figures().restingHr()).average().orElseThrow();
        double coarseHr =
                coarse.stream().mapToDouble(d -> d.figures().restingHr()).average().orElseThrow();
        assertEquals(fineHr, coarseHr, 3, "resting heart rate");
    }

    @Test
    void withoutMoodNothingChanges() {
        SimulatedPerson a = new SimulatedPerson(9, 0.2, T0);
        assertEquals(0, a.mood(T0.plusSeconds(86_400 * 10)));
    }
}
