package io.chakrai.models.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StressRulesTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
    static final EpisodeThresholds T = EpisodeThresholds.DEFAULT;

    static MinuteFeatures minute(int i, double hr, double rmssd, double steps) {
        return new MinuteFeatures(
                1, T0 + i * 60_000L, hr, 12, rmssd, steps, Double.NaN, 0.9, false);
    }

    /** A person resting at 62 bpm / 55 ms for an hour. */
    static StressState calmPerson() {
        StressState s = new StressState();
        for (int i = 0; i < 60; i++) {
            s.evaluate(minute(i, 62 + (i % 3), 55 + (i % 5), 0), T);
        }
        return s;
    }

    @Test
    void aNewPersonStartsFromThePopulationPriorAndMovesToTheirOwnBaseline() {
        PersonalBaseline b = new PersonalBaseline();
        assertEquals(PersonalBaseline.PRIOR_HR, b.restingHr());
        assertEquals(PersonalBaseline.PRIOR_RMSSD, b.restingRmssd());
        for (int i = 0; i < 200; i++) {
            b.addCalm(52, 80);
        }
        assertEquals(52, b.restingHr(), 0.5);
        assertEquals(80, b.restingRmssd(), 1.5);
        assertTrue(b.personalWeight() > 0.95);
    }

    @Test
    void theBaselineIsRobustToOddMinutesAndForgetsTheOldest() {
        PersonalBaseline b = new PersonalBaseline();
        for (int i = 0; i < 300; i++) {
            b.addCalm(i % 10 == 0 ? 140 : 60, Double.NaN);
        }
        assertEquals(60, b.restingHr(), 1.0);
        for (int i = 0; i < PersonalBaseline.CAPACITY; i++) {
            b.addCalm(70, Double.NaN);
        }
        assertEquals(70, b.restingHr(), 0.1);
        assertEquals(PersonalBaseline.CAPACITY, b.hr.length);
    }

    @Test
    void raisedHeartRateWithSuppressedHrvWhileStillIsAStressMinute() {
        StressState s = calmPerson();
        MinuteEvaluation e = s.evaluate(minute(61, 84, 30, 0), T);
        assertTrue(e.stress());
        assertTrue(e.level() >= 50, "level " + e.level());
        assertEquals("heart_rate_elevated,hrv_suppressed", e.triggers());
        assertEquals(63, e.restingHr(), 1.5);
    }

    @Test
    void exerciseIsNotStressAndNeitherIsTheRecoveryAfterIt() {
        StressState s = calmPerson();
        MinuteEvaluation moving = s.evaluate(minute(61, 130, 20, 120), T);
        assertTrue(moving.active());
        assertFalse(moving.stress());
        for (int i = 62; i <= 61 + T.recoveryMinutes(); i++) {
            assertFalse(s.evaluate(minute(i, 95, 28, 0), T).stress(), "recovery minute " + i);
        }
        assertTrue(
                s.evaluate(minute(62 + T.recoveryMinutes(), 90, 28, 0), T).stress(),
                "raised HR long after exercise, while still, counts again");
    }

    @Test
    void stressMinutesDoNotShiftTheBaseline() {
        StressState s = calmPerson();
        double before = s.baseline.restingHr();
        for (int i = 61; i < 120; i++) {
            s.evaluate(minute(i, 95, 25, 0), T);
        }
        assertEquals(before, s.baseline.restingHr(), 0.01);
    }

    @Test
    void lowQualityReadingsAreSkippedAndTheRestWeightedByQuality() {
        MinuteAccumulator acc = new MinuteAccumulator();
        acc.reset(T0);
        Instant t = Instant.ofEpochMilli(T0);
        assertTrue(
                acc.add(
                        new BiometricReading(1, 1, "heart_rate", 60, "bpm", 1.0, 1.0, t, null),
                        0.3));
        assertTrue(
                acc.add(
                        new BiometricReading(1, 1, "heart_rate", 90, "bpm", 0.5, 1.0, t, null),
                        0.3));
        assertFalse(
                acc.add(
                        new BiometricReading(1, 1, "heart_rate", 180, "bpm", 0.2, 0.9, t, null),
                        0.3));
        MinuteFeatures f = acc.toFeatures(1);
        assertEquals((60 * 1.0 + 90 * 0.5) / 1.5, f.hr(), 1e-9);
        assertEquals(2, f.hrCount());
        assertEquals(1, acc.skipped);
        StressState s = calmPerson();
        MinuteEvaluation poor =
                s.evaluate(
                        new MinuteFeatures(
                                1, T0 + 61 * 60_000L, 90, 3, 25, 0, Double.NaN, 0.1, false),
                        T);
        assertFalse(poor.stress(), "a minute of poor signal is never a stress minute");
    }

    @Test
    void anEpisodeNeedsTheConfiguredNumberOfConsecutiveMinutes() {
        StressState s = calmPerson();
        EpisodeRun run = new EpisodeRun();
        List<EpisodeRun.Step> steps = new ArrayList<>();
        int[] hrs = {84, 86, 62, 85, 86, 88, 90, 63};
        for (int i = 0; i < hrs.length; i++) {
            steps.add(run.next(s.evaluate(minute(70 + i, hrs[i], hrs[i] > 80 ? 28 : 55, 0), T), T));
        }
        assertEquals(
                List.of(
                        EpisodeRun.Step.BUILDING,
                        EpisodeRun.Step.BUILDING,
                        EpisodeRun.Step.CALM,
                        EpisodeRun.Step.BUILDING,
                        EpisodeRun.Step.BUILDING,
                        EpisodeRun.Step.ONSET,
                        EpisodeRun.Step.ONGOING,
                        EpisodeRun.Step.ENDED),
                steps);
        EpisodeRun gap = new EpisodeRun();
        StressState g = calmPerson();
        gap.next(g.evaluate(minute(100, 85, 28, 0), T), T);
        gap.next(g.evaluate(minute(101, 85, 28, 0), T), T);
        assertEquals(
                EpisodeRun.Step.BUILDING,
                gap.next(g.evaluate(minute(103, 85, 28, 0), T), T),
                "a missing minute restarts the count");
        EpisodeThresholds five = T.withConsecutive(5, T.hrZWithoutHrv());
        EpisodeRun longer = new EpisodeRun();
        StressState l = calmPerson();
        for (int i = 0; i < 4; i++) {
            assertEquals(
                    EpisodeRun.Step.BUILDING,
                    longer.next(l.evaluate(minute(110 + i, 85, 28, 0), five), five));
        }
        assertEquals(
                EpisodeRun.Step.ONSET, longer.next(l.evaluate(minute(114, 85, 28, 0), five), five));
    }

    @Test
    void moodDeclineNeedsBothSleepDebtAndFallingHrv() {
        MoodTrend m = new MoodTrend();
        for (int d = 0; d < 4; d++) {
            for (int i = 0; i < 460; i++) {
                m.add(new MinuteFeatures(1, 0, 60, 1, 50, 0, Double.NaN, 1, true), false);
            }
            for (int i = 0; i < 30; i++) {
                m.add(new MinuteFeatures(1, 0, 60, 1, 50, 0, Double.NaN, 1, false), true);
            }
            assertEquals(-1, m.closeDay());
        }
        for (int i = 0; i < 240; i++) {
            m.add(new MinuteFeatures(1, 0, 60, 1, 50, 0, Double.NaN, 1, true), false);
        }
        for (int i = 0; i < 30; i++) {
            m.add(new MinuteFeatures(1, 0, 70, 1, 35, 0, Double.NaN, 1, false), true);
        }
        assertTrue(m.closeDay() >= 60);
    }

    @Test
    void aLearnedProbabilityDecidesTheMinuteWithinTheRulesGatesAndNamesTheModel() {
        StressState s = calmPerson();
        // the rule would call this calm (heart rate at rest); the model, having seen more, says
        // stress
        MinuteEvaluation still = s.evaluate(minute(61, 64, 54, 0), T, 0.83, "stress_minute v4");
        assertTrue(still.stress());
        assertEquals(83, still.level());
        assertTrue(still.triggers().startsWith("model:stress_minute v4"), still.triggers());
        // moving: never a stress minute, whatever the model says
        MinuteEvaluation moving = s.evaluate(minute(62, 110, 20, 120), T, 0.99, "stress_minute v4");
        assertFalse(moving.stress());
        assertTrue(moving.level() < 50);
        // a low probability: calm, even where the rule would have fired
        StressState t = calmPerson();
        MinuteEvaluation doubted = t.evaluate(minute(61, 95, 25, 0), T, 0.2, "stress_minute v4");
        assertFalse(doubted.stress());
        assertEquals(20, doubted.level());
        assertTrue(
                calmPerson().evaluate(minute(61, 95, 25, 0), T).stress(),
                "the rule alone fires there");
    }

    static MinuteFeatures withEda(int i, double hr, double rmssd, double eda) {
        return new MinuteFeatures(
                1, T0 + i * 60_000L, hr, 12, rmssd, 0, Double.NaN, 0.9, false, eda);
    }

    @Test
    void skinConductanceWellAboveThePersonsCalmLevelIsASecondRoadToAStressMinute() {
        StressState s = new StressState();
        for (int i = 0; i < 60; i++) {
            s.evaluate(withEda(i, 62 + (i % 3), 55 + (i % 5), 2.0 + 0.05 * (i % 4)), T);
        }
        // heart rate a little up (not enough for the heart-rate road), HRV normal, skin conductance
        // clearly up
        MinuteEvaluation e = s.evaluate(withEda(61, 67, 54, 2.6), T);
        assertTrue(e.stress(), e.toString());
        assertTrue(e.triggers().contains("skin_conductance_elevated"), e.triggers());
        // skin conductance up while heart rate sits at rest: not enough
        assertFalse(s.evaluate(withEda(62, 62, 55, 2.7), T).stress());
        // off: the heart-rate road only
        StressState t = new StressState();
        EpisodeThresholds off = T.withEda(Double.POSITIVE_INFINITY, 1.0);
        for (int i = 0; i < 60; i++) {
            t.evaluate(withEda(i, 62 + (i % 3), 55 + (i % 5), 2.0 + 0.05 * (i % 4)), off);
        }
        assertFalse(t.evaluate(withEda(61, 67, 54, 2.6), off).stress());
        // too few calm minutes of skin conductance yet: not used
        StressState fresh = calmPerson();
        assertFalse(fresh.evaluate(withEda(61, 67, 54, 2.6), T).stress());
    }
}
