package io.chakrai.models.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorrelationsTest {
    static List<DailySummary> days(int n, long seed) {
        Random r = new Random(seed);
        List<DailySummary> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double sleep = 5 + r.nextDouble() * 3;
            double stress = Math.max(0, Math.round(6 - sleep + r.nextGaussian() * 0.3));
            double steps = 3000 + r.nextDouble() * 9000;
            double hrv = 30 + steps / 500 + r.nextGaussian() * 2;
            out.add(
                    new DailySummary(
                            LocalDate.of(2026, 1, 1).plusDays(i),
                            sleep,
                            stress,
                            steps,
                            hrv,
                            60 + r.nextGaussian()));
        }
        return out;
    }

    @Test
    void findsTheRelationsThatAreThereAndNotTheOneThatIsNot() {
        List<Correlations.Result> r = Correlations.compute(days(40, 1));
        assertTrue(r.get(0).reported());
        assertTrue(r.get(0).coefficient() < -0.5 && r.get(0).pValue() < 0.001, r.get(0).toString());
        assertTrue(r.get(1).coefficient() > 0.7 && r.get(1).pValue() < 0.001, r.get(1).toString());
        assertTrue(r.get(2).pValue() > 0.01, "sleep vs resting HR is noise here: " + r.get(2));
        assertEquals(40, r.get(0).n());
    }

    @Test
    void tooFewDaysOrMissingDataReportNoCoefficient() {
        List<Correlations.Result> r = Correlations.compute(days(Correlations.MIN_DAYS - 1, 2));
        assertFalse(r.get(0).reported());
        assertTrue(Double.isNaN(r.get(0).coefficient()));
        List<DailySummary> gaps = new ArrayList<>(days(20, 3));
        gaps.replaceAll(
                d ->
                        new DailySummary(
                                d.day(),
                                Double.NaN,
                                d.stressEpisodes(),
                                d.steps(),
                                d.hrvMedian(),
                                d.restingHr()));
        assertEquals(0, Correlations.compute(gaps).get(0).n());
    }

    @Test
    void aPerfectLineIsReportedWithAFiniteTinyPValueNeverNaN() {
        List<DailySummary> line = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            line.add(
                    new DailySummary(
                            LocalDate.of(2026, 1, 1).plusDays(i),
                            6,
                            1,
                            1000 + 100 * i,
                            30 + i,
                            60));
        }
        Correlations.Result r = Correlations.compute(line).get(1);
        assertTrue(r.reported());
        assertEquals(1.0, r.coefficient());
        assertTrue(Double.isFinite(r.pValue()) && r.pValue() < 1e-10, "p = " + r.pValue());
        // and every relation of any data set is a number or not reported, never NaN when reported
        for (long seed = 0; seed < 200; seed++) {
            for (Correlations.Result x : Correlations.compute(days(12 + (int) (seed % 30), seed))) {
                assertTrue(
                        !x.reported()
                                || Double.isFinite(x.pValue()) && Double.isFinite(x.coefficient()),
                        x.toString());
            }
        }
    }
}
