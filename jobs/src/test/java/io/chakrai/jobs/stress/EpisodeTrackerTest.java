package io.chakrai.jobs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The episode tracker with explicit watermarks: one prediction an episode, the intervention gap,
 * outcomes, clean-up.
 */
class EpisodeTrackerTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    static KeyedTwoInputStreamOperatorTestHarness<Integer, MinuteEvaluation, Onset, Prediction>
            harness() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new EpisodeTracker(EpisodeThresholds.DEFAULT)),
                        MinuteEvaluation::userId,
                        Onset::userId,
                        Types.INT);
        h.open();
        return h;
    }

    static void minute(
            KeyedTwoInputStreamOperatorTestHarness<Integer, MinuteEvaluation, Onset, Prediction> h,
            int user,
            long m,
            boolean stress)
            throws Exception {
        h.processElement1(
                new MinuteEvaluation(
                        user,
                        T0 + m * MIN,
                        stress ? 88 : 62,
                        stress ? 28 : 55,
                        62,
                        55,
                        stress ? 3 : 0,
                        stress ? 0.5 : 1,
                        false,
                        stress,
                        stress ? 70 : 10,
                        0.8,
                        stress ? "heart_rate_elevated" : "",
                        false),
                T0 + m * MIN);
    }

    /**
     * The pattern's match: minutes {@code first}..{@code last} of a run of stress at {@code level}.
     */
    static void onset(
            KeyedTwoInputStreamOperatorTestHarness<Integer, MinuteEvaluation, Onset, Prediction> h,
            int user,
            long first,
            long last,
            int level)
            throws Exception {
        onset(h, user, first, last, level, false);
    }

    /** The same; {@code history}: its minutes arrived as history. */
    static void onset(
            KeyedTwoInputStreamOperatorTestHarness<Integer, MinuteEvaluation, Onset, Prediction> h,
            int user,
            long first,
            long last,
            int level,
            boolean history)
            throws Exception {
        h.processElement2(
                new Onset(
                        user,
                        T0 + last * MIN,
                        T0 + first * MIN,
                        level,
                        0.8,
                        "heart_rate_elevated,hrv_suppressed",
                        null,
                        history),
                T0 + last * MIN);
    }

    static List<Prediction> outcomes(
            KeyedTwoInputStreamOperatorTestHarness<Integer, MinuteEvaluation, Onset, Prediction>
                    h) {
        var side = h.getSideOutput(EpisodeTracker.OUTCOMES);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aLongEpisodeIsOnePredictionWhoseOutcomeIsTheShareOfStressMinutesThatFollowed()
            throws Exception {
        var h = harness();
        for (long m = 0; m < 15; m++) {
            minute(h, 1, m, m >= 5); // stress from minute 5 to 14
        }
        onset(h, 1, 5, 9, 70);
        onset(h, 1, 10, 14, 75); // the pattern matching again right after: the same episode
        assertEquals(1, h.extractOutputValues().size(), h.extractOutputValues().toString());
        Prediction p = h.extractOutputValues().get(0);
        assertEquals(T0 + 10 * MIN, p.predictionTime());
        for (long m = 15; m < 24; m++) {
            minute(h, 1, m, false);
        }
        assertTrue(outcomes(h).isEmpty(), "no outcome before the minutes cover the timeframe");
        minute(h, 1, 24, false); // its last minute
        List<Prediction> outcomes = outcomes(h);
        assertEquals(1, outcomes.size());
        // minutes 10..24 followed it, 10..14 of them stress: a third, confirmed (≥ 20 %)
        assertEquals(33.33, outcomes.get(0).actualOutcome(), 0.01);
        assertEquals(1, outcomes.get(0).accuracy(), 1e-9);
        h.processBothWatermarks(new Watermark(p.targetTime() + EpisodeTracker.OUTCOME_PATIENCE_MS));
        assertEquals(1, outcomes(h).size(), "scored once");
        h.close();
    }

    @Test
    void strongEpisodesGetAnInterventionAtMostOncePerGap() throws Exception {
        var h = harness();
        long gap = EpisodeThresholds.DEFAULT.interventionGap().toMinutes();
        onset(h, 2, 0, 4, 90);
        onset(h, 2, 10, 14, 90); // a new episode inside the gap: predicted, no intervention
        onset(h, 2, gap + 10, gap + 14, 90); // after the gap: another intervention
        onset(h, 2, gap + 30, gap + 34, 20); // a weak one never gets one
        List<Prediction> out = h.extractOutputValues();
        assertEquals(4, out.size());
        assertNotNull(out.get(0).interventionType());
        assertNull(out.get(1).interventionType());
        assertNotNull(out.get(2).interventionType());
        assertNull(out.get(3).interventionType());
        h.close();
    }

    @Test
    void anEpisodeInHistoryIsPredictedWithoutAnInterventionAndHoldsNoneBack() throws Exception {
        var h = harness();
        onset(h, 5, 0, 4, 90, true); // an imported (or days-late) episode
        onset(h, 5, 10, 14, 90); // a live one inside what would have been the gap
        onset(h, 5, 20, 24, 90, true);
        List<Prediction> out = h.extractOutputValues();
        assertEquals(3, out.size(), "history's episodes are predicted and stored");
        assertNull(out.get(0).interventionType(), "nothing offered for history");
        assertTrue(!out.get(0).interventionTriggered());
        assertNotNull(out.get(1).interventionType(), "the live episode still gets its offer");
        assertNull(out.get(2).interventionType());
        h.close();
    }

    @Test
    void aPersonWhoGoesQuietLeavesNoStateAndNoTimers() throws Exception {
        var h = harness();
        for (long m = 0; m < 6 * 60; m++) {
            minute(h, 3, m, m % 90 >= 20 && m % 90 < 30);
            if (m % 90 == 25) {
                onset(h, 3, m - 5, m, 90);
            }
            if (m % 15 == 0) {
                h.processBothWatermarks(new Watermark(T0 + m * MIN - 5 * MIN));
            }
        }
        // while they stream: a clean-up timer a quarter hour of the last two hours, not one a
        // minute
        assertTrue(h.numEventTimeTimers() <= 10, "timers " + h.numEventTimeTimers());
        assertEquals(4, h.extractOutputValues().size());
        long quiet = T0 + 6 * 60 * MIN;
        h.processBothWatermarks(
                new Watermark(quiet + EpisodeTracker.KEEP_MS + EpisodeTracker.CLEANUP_GRAIN_MS));
        assertEquals(4, outcomes(h).size(), "every prediction got its outcome first");
        assertEquals(1, h.numEventTimeTimers(), "only the day's wait for the last onset");
        h.processBothWatermarks(
                new Watermark(quiet + EpisodeTracker.FORGET_MS + EpisodeTracker.CLEANUP_GRAIN_MS));
        assertEquals(0, h.numKeyedStateEntries(), "state left");
        assertEquals(0, h.numEventTimeTimers(), "timers left");
        h.close();
    }

    @Test
    void aSecondPassOverAnEarlierPastIsScoredOnItsOwnMinutes() throws Exception {
        var h = harness();
        // an import: a day of minutes, calm
        for (long m = 1440; m < 1500; m++) {
            minute(h, 8, m, false);
        }
        // then another, reaching further back: stress 10..19, its episode, what followed
        for (long m = 0; m < 30; m++) {
            minute(h, 8, m, m >= 10 && m < 20);
            if (m == 14) {
                onset(h, 8, 10, 14, 80, true);
            }
        }
        assertEquals(1, h.extractOutputValues().size());
        List<Prediction> outcomes = outcomes(h);
        assertEquals(
                1,
                outcomes.size(),
                "scored when its own minutes cover it, not at once against the later pass");
        // minutes 15..29 followed it: 5 of 15 stress
        assertEquals(33.33, outcomes.get(0).actualOutcome(), 0.01);
        h.close();
    }

    @Test
    void aPhoneThatSyncsHoursLateGetsOnePredictionAnEpisodeAndItsOutcome() throws Exception {
        var h = harness();
        long now =
                T0 + 6 * 3_600_000L; // other people keep event time six hours ahead of this phone
        h.processBothWatermarks(new Watermark(now));
        // the phone uploads minutes 0..40 in batches while the watermark creeps on: stress 10..29,
        // the pattern matching every five minutes of it
        for (long m = 0; m <= 40; m++) {
            minute(h, 5, m, m >= 10 && m < 30);
            if (m >= 14 && m < 30 && (m - 14) % 5 == 0) {
                onset(h, 5, m - 4, m, 90);
            }
            h.processBothWatermarks(new Watermark(++now));
        }
        List<Prediction> out = h.extractOutputValues();
        assertEquals(1, out.size(), "one episode, one prediction: " + out);
        assertNotNull(out.get(0).interventionType());
        List<Prediction> outcomes = outcomes(h);
        assertEquals(
                1, outcomes.size(), "scored from its own minutes, though event time passed it");
        // minutes 15..29 followed it: 15 of 15 stress
        assertEquals(100.0, outcomes.get(0).actualOutcome(), 1e-9);
        h.close();
    }

    @Test
    void aPhoneThatSyncsEveryHalfHourIsScoredOnItsWholeTimeframe() throws Exception {
        var h = harness();
        long now = T0 + 3_600_000L;
        h.processBothWatermarks(new Watermark(now));
        for (long m = 0; m <= 14; m++) { // the first batch: stress from minute 5
            minute(h, 7, m, m >= 5);
        }
        onset(h, 7, 5, 9, 70); // predicted at minute 10 for minutes 10..24
        now += 30 * MIN; // half an hour of other people's event time before the next batch
        h.processBothWatermarks(new Watermark(now));
        assertTrue(outcomes(h).isEmpty(), "the rest of its minutes may still come");
        for (long m = 15; m <= 40; m++) {
            minute(h, 7, m, false);
        }
        assertEquals(1, outcomes(h).size());
        assertEquals(33.33, outcomes(h).get(0).actualOutcome(), 0.01, "minutes 10..24: 5 of 15");
        h.close();
    }

    @Test
    void minutesThatStopBeforeTheTimeframeEndsAreScoredOnceThePersonWentQuiet() throws Exception {
        var h = harness();
        for (long m = 0; m <= 12; m++) {
            minute(h, 6, m, m >= 4);
        }
        onset(h, 6, 4, 8, 70); // predicted at minute 9 for minutes 9..23; the watch stops after 12
        h.processBothWatermarks(new Watermark(T0 + 25 * MIN)); // past the target (minute 24)
        assertTrue(outcomes(h).isEmpty(), "its minutes may still come");
        h.processBothWatermarks(new Watermark(T0 + 12 * MIN + EpisodeTracker.OUTCOME_PATIENCE_MS));
        assertEquals(1, outcomes(h).size());
        assertEquals(100.0, outcomes(h).get(0).actualOutcome(), 1e-9, "minutes 9..12, all stress");
        h.close();
    }

    @Test
    void aLongInterventionGapOutlivesTheMinutesAndStillHolds() throws Exception {
        EpisodeThresholds d = EpisodeThresholds.DEFAULT;
        EpisodeThresholds t =
                new EpisodeThresholds(
                        d.hrZ(),
                        d.hrMinDeltaBpm(),
                        d.hrvRatio(),
                        d.hrZWithoutHrv(),
                        d.maxStepsPerMinute(),
                        d.maxMet(),
                        d.recoveryMinutes(),
                        d.minQuality(),
                        d.consecutiveMinutes(),
                        d.within(),
                        d.interventionLevel(),
                        Duration.ofHours(6),
                        d.edaZ(),
                        d.hrZWithEda());
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new EpisodeTracker(t)),
                        MinuteEvaluation::userId,
                        Onset::userId,
                        Types.INT);
        h.open();
        minute(h, 4, 0, true);
        onset(h, 4, 0, 4, 90);
        h.processBothWatermarks(
                new Watermark(
                        T0 + 3 * 3_600_000L)); // quiet for three hours: minutes gone, gap kept
        assertTrue(h.numKeyedStateEntries() <= 2, "the last onset and intervention only");
        onset(h, 4, 200, 204, 90);
        assertNull(
                h.extractOutputValues().get(1).interventionType(), "still inside the six-hour gap");
        h.close();
    }
}
