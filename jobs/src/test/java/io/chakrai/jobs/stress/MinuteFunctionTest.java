package io.chakrai.jobs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.io.Answer;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.RecentMinutes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The minute operator with explicit watermarks: ordering, lateness, timers, state. */
class MinuteFunctionTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();

    static KeyedTwoInputStreamOperatorTestHarness<
                    Integer, BiometricReading, Answer, MinuteEvaluation>
            harness() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new MinuteFunction(EpisodeThresholds.DEFAULT)),
                        BiometricReading::userId,
                        Answer::userId,
                        Types.INT);
        h.open();
        return h;
    }

    static BiometricReading hr(int user, long at, double bpm) {
        return new BiometricReading(
                user, 1, "heart_rate", bpm, "bpm", 1, 1, Instant.ofEpochMilli(at), null);
    }

    static void feed(
            KeyedTwoInputStreamOperatorTestHarness<
                            Integer, BiometricReading, Answer, MinuteEvaluation>
                    h,
            BiometricReading r)
            throws Exception {
        h.processElement1(r, r.timestamp().toEpochMilli());
    }

    @Test
    void outOfOrderReadingsInsideAMinuteCountAndALaterMinuteClosesIt() throws Exception {
        var h = harness();
        feed(h, hr(1, T0 + 40_000, 70));
        feed(h, hr(1, T0 + 10_000, 60)); // earlier, same minute: still counted
        feed(h, hr(1, T0 + 59_000, 80));
        assertTrue(h.extractOutputValues().isEmpty());
        feed(h, hr(1, T0 + 61_000, 65)); // next minute closes the first
        List<MinuteEvaluation> out = h.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(T0, out.get(0).minuteStart());
        assertEquals(70, out.get(0).hr(), 1e-9);
    }

    @Test
    void aMinuteOfReadingsThatArrivedAsHistoryIsHistoryUnlessOneCameLive() throws Exception {
        var h = harness();
        feed(h, hr(1, T0 + 5_000, 60).asHistory());
        feed(h, hr(1, T0 + 30_000, 62).asHistory());
        feed(h, hr(1, T0 + 65_000, 61).asHistory());
        feed(h, hr(1, T0 + 70_000, 63)); // the same minute, one reading live
        feed(h, hr(1, T0 + 125_000, 64));
        List<MinuteEvaluation> out = h.extractOutputValues();
        assertEquals(2, out.size());
        assertTrue(out.get(0).history(), "every reading of it arrived as history");
        assertEquals(61, out.get(0).hr(), 1e-9, "and it is judged all the same");
        assertFalse(out.get(1).history(), "one live reading makes the minute live");
    }

    @Test
    void lateReadingsForAClosedMinuteAreLeftOut() throws Exception {
        var h = harness();
        feed(h, hr(1, T0 + 5_000, 60));
        feed(h, hr(1, T0 + 65_000, 62));
        feed(h, hr(1, T0 + 30_000, 150)); // late: its minute is closed
        feed(h, hr(1, T0 + 125_000, 61));
        List<MinuteEvaluation> out = h.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals(60, out.get(0).hr(), 1e-9);
        assertEquals(62, out.get(1).hr(), 1e-9);
    }

    @Test
    void aLateSyncKeepsEveryReadingOfItsMinutesThoughTheWatermarkIsFarAhead() throws Exception {
        var h = harness();
        h.setProcessingTime(1_000);
        h.processBothWatermarks(
                new Watermark(T0 + 3_600_000)); // others keep event time an hour ahead of this
        // phone's upload
        feed(h, hr(3, T0 + 5_000, 60));
        h.processBothWatermarks(
                new Watermark(
                        T0 + 3_600_200)); // a watermark between two readings of the same minute
        feed(h, hr(3, T0 + 35_000, 70));
        feed(
                h,
                hr(
                        3,
                        T0 + 65_000,
                        90)); // the next minute's first reading closes the first minute, whole
        List<MinuteEvaluation> out = h.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(65, out.get(0).hr(), 1e-9, "both readings of the minute counted");
        h.setProcessingTime(1_000 + MinuteFunction.LATE_SYNC_GRACE_MS - 1);
        assertEquals(
                1,
                h.extractOutputValues().size(),
                "the last minute waits a moment for the rest of the upload");
        h.setProcessingTime(1_000 + MinuteFunction.LATE_SYNC_GRACE_MS);
        assertEquals(2, h.extractOutputValues().size(), "then the upload is over: it closes");
        assertEquals(90, h.extractOutputValues().get(1).hr(), 1e-9);
    }

    @Test
    void theWatermarkClosesTheMinuteOfAUserWhoWentQuietAndClearsItsState() throws Exception {
        var h = harness();
        feed(h, hr(7, T0 + 1_000, 64));
        h.processBothWatermarks(new Watermark(T0 + 90_000));
        assertTrue(
                h.extractOutputValues().isEmpty(), "a minute is kept open a while for stragglers");
        h.processBothWatermarks(new Watermark(T0 + 120_000));
        assertEquals(1, h.extractOutputValues().size());
        h.getOperator().setCurrentKey(7);
        assertNull(
                h.getOperator()
                        .getKeyedStateStore()
                        .getState(
                                new org.apache.flink.api.common.state.ValueStateDescriptor<>(
                                        "open-minute",
                                        io.chakrai.models.stress.MinuteAccumulator.class))
                        .value(),
                "no open minute left behind");
        assertEquals(0, h.numEventTimeTimers(), "no timers left behind");
    }

    static List<MinuteEvaluation> historyLane(
            KeyedTwoInputStreamOperatorTestHarness<
                            Integer, BiometricReading, Answer, MinuteEvaluation>
                    h) {
        var lane = h.getSideOutput(MinuteFunction.HISTORY_LANE);
        return lane == null
                ? List.of()
                : lane.stream()
                        .map(org.apache.flink.streaming.runtime.streamrecord.StreamRecord::getValue)
                        .toList();
    }

    @Test
    void anImportBehindALivePersonsMinutesIsJudgedInALaneOfItsOwn() throws Exception {
        long live = T0 + 86_400_000L; // the person streams today; a day before is imported now
        List<BiometricReading> today = new ArrayList<>();
        for (int i = 0; i < 40 * 6; i++) {
            today.add(hr(1, live + i * 10_000L, 60 + i % 3));
        }
        List<BiometricReading> yesterday = new ArrayList<>();
        for (int i = 0; i < 60 * 6; i++) {
            // calm, then an hour's climb
            yesterday.add(
                    hr(1, T0 + i * 10_000L, i < 35 * 6 ? 62 + i % 3 : 70 + i / 6).asImported(9));
        }
        BiometricReading next = hr(1, live + 40 * 60_000L + 5_000, 61);

        var h = harness();
        h.setProcessingTime(1_000);
        for (BiometricReading r : today) {
            feed(h, r);
        }
        h.processBothWatermarks(new Watermark(live + 30 * 60_000L)); // event time is today's
        int before = h.extractOutputValues().size();
        for (int i = 0; i < yesterday.size(); i++) {
            feed(h, yesterday.get(i));
            if (i == 3) {
                // half way through the import's first minute, today's event time moves on and
                // fires the live lane's timer: it closes the live minute, not the import's
                h.processBothWatermarks(new Watermark(live + 45 * 60_000L));
            }
        }
        // a second device's sync, a day late: history, but not an import: the live lane's past,
        // late as before
        feed(h, hr(1, T0 + 60 * 60_000L + 3_000, 150).asHistory());
        feed(h, hr(1, T0 + 3_000, 150)); // live, a day late: left out too
        feed(h, next);
        List<MinuteEvaluation> out = h.extractOutputValues();
        List<MinuteEvaluation> lane = historyLane(h);

        // the import, as a new person would have it judged, alone
        var alone = harness();
        for (BiometricReading r : yesterday) {
            feed(alone, r);
        }
        List<MinuteEvaluation> expected = alone.extractOutputValues();
        assertEquals(59, expected.size(), "every minute but the one still open");
        assertEquals(expected, lane, "judged against the import's own baseline, in its order");
        assertTrue(expected.stream().allMatch(MinuteEvaluation::history));
        h.setProcessingTime(1_000 + MinuteFunction.LATE_SYNC_GRACE_MS);
        assertEquals(60, historyLane(h).size(), "its last minute closes a moment after");
        assertEquals(
                T0 + 59 * 60_000L,
                historyLane(h).get(59).minuteStart(),
                "whole, though today's watermark passed it long ago");

        // and the live lane goes on as if nothing had come: the same next minute
        var liveOnly = harness();
        for (BiometricReading r : today) {
            feed(liveOnly, r);
        }
        feed(liveOnly, next);
        List<MinuteEvaluation> liveOut = liveOnly.extractOutputValues();
        assertEquals(before + 1, liveOut.size());
        assertEquals(liveOut.get(before), out.get(out.size() - 1));
        assertEquals(before + 1, out.size(), "nothing of the past on the live lane's output");
    }

    @Test
    void aSecondImportReachingFurtherBackIsJudgedToo() throws Exception {
        var h = harness();
        h.setProcessingTime(1_000);
        long live = T0 + 10 * 86_400_000L;
        for (int i = 0; i < 6 * 20; i++) {
            feed(h, hr(4, live + i * 10_000L, 60 + i % 3));
        }
        for (int i = 0; i < 6 * 30; i++) {
            feed(h, hr(4, T0 + i * 10_000L, 62 + i % 3).asImported(1));
        }
        int first = historyLane(h).size();
        assertEquals(29, first);
        for (int i = 0; i < 6 * 30; i++) {
            // the next import, two days further back
            feed(h, hr(4, T0 - 2 * 86_400_000L + i * 10_000L, 62 + i % 3).asImported(2));
        }
        List<MinuteEvaluation> lane = historyLane(h);
        assertEquals(first + 1 + 29, lane.size(), "the first's last minute, then the second's");
        assertEquals(T0 + 29 * 60_000L, lane.get(first).minuteStart());
        assertEquals(T0 - 2 * 86_400_000L, lane.get(first + 1).minuteStart());
    }

    @Test
    void peopleAreKeptApart() throws Exception {
        var h = harness();
        feed(h, hr(1, T0 + 1_000, 60));
        feed(h, hr(2, T0 + 2_000, 100));
        feed(h, hr(1, T0 + 61_000, 60));
        List<MinuteEvaluation> out = h.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).userId());
        assertEquals(60, out.get(0).hr(), 1e-9);
    }

    @Test
    void theBaselineSurvivesASnapshotAndRestore() throws Exception {
        var h = harness();
        for (int i = 0; i < 40; i++) {
            feed(h, hr(1, T0 + i * 60_000L + 1_000, 55));
        }
        OperatorSubtaskState snap = h.snapshot(1, T0 + 40 * 60_000L);
        h.close();

        var restored =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new MinuteFunction(EpisodeThresholds.DEFAULT)),
                        BiometricReading::userId,
                        Answer::userId,
                        Types.INT);
        restored.initializeState(snap);
        restored.open();
        feed(restored, hr(1, T0 + 40 * 60_000L + 1_000, 56));
        feed(restored, hr(1, T0 + 41 * 60_000L + 1_000, 56));
        List<MinuteEvaluation> out = restored.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals(
                T0 + 39 * 60_000L,
                out.get(0).minuteStart(),
                "the open minute came back with the snapshot");
        assertEquals(55, out.get(0).hr(), 1e-9);
        double learned =
                (40 * 55
                                + io.chakrai.models.stress.PersonalBaseline.PRIOR_WEIGHT
                                        * io.chakrai.models.stress.PersonalBaseline.PRIOR_HR)
                        / (40 + io.chakrai.models.stress.PersonalBaseline.PRIOR_WEIGHT);
        assertEquals(
                learned,
                out.get(1).restingHr(),
                1e-6,
                "the learned baseline came back, not the prior");
        assertFalse(out.get(1).stress());
    }

    /**
     * The person's detector state stays a POJO for Flink, the personal model inside it too: adding
     * a field (as the personal model was) is then a schema evolution a savepoint of the older state
     * restores through, not a Kryo blob.
     */
    @Test
    void theDetectorsStateIsAPojoSoItEvolves() {
        for (Class<?> c :
                List.of(
                        io.chakrai.models.stress.StressState.class,
                        io.chakrai.models.stress.MinuteAccumulator.class,
                        io.chakrai.models.stress.PersonalModel.class,
                        io.chakrai.models.stress.PersonalBaseline.class,
                        io.chakrai.models.stress.RecentMinutes.class,
                        io.chakrai.models.stress.EpisodeRun.class)) {
            assertTrue(
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(c)
                            instanceof org.apache.flink.api.java.typeutils.PojoTypeInfo,
                    c.getSimpleName());
        }
        var fields =
                ((org.apache.flink.api.java.typeutils.PojoTypeInfo<?>)
                                org.apache.flink.api.common.typeinfo.TypeInformation.of(
                                        io.chakrai.models.stress.StressState.class))
                        .getFieldNames();
        assertTrue(List.of(fields).contains("personal"));
        assertFalse(
                List.of(fields).contains("lastFeatures"),
                "a minute's features are not kept in state");
    }

    static io.chakrai.models.stress.StressState personState(
            KeyedTwoInputStreamOperatorTestHarness<
                            Integer, BiometricReading, Answer, MinuteEvaluation>
                    h,
            int user)
            throws Exception {
        return state(h, user, "stress-state", io.chakrai.models.stress.StressState.class);
    }

    /** A person's value in one of the operator's keyed states, by its descriptor's name. */
    static <T> T state(
            KeyedTwoInputStreamOperatorTestHarness<
                            Integer, BiometricReading, Answer, MinuteEvaluation>
                    h,
            int user,
            String name,
            Class<T> type)
            throws Exception {
        h.getOperator().setCurrentKey(user);
        return h.getOperator()
                .getKeyedStateStore()
                .getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>(name, type))
                .value();
    }

    /**
     * An answer finds the minute it speaks of and teaches the person's own model, which then judges
     * their minutes; it survives a snapshot; a copy of the same answer teaches nothing more; an
     * answer about a minute no longer kept, or "not sure", teaches nothing; an erasure drops the
     * model.
     */
    @Test
    void answersTeachThePersonsOwnModelWhichSurvivesARestoreAndGoesWithAnErasure()
            throws Exception {
        var h = harness();
        long m = 0;
        for (; m < 40; m++) {
            feed(h, hr(1, T0 + m * 60_000L + 1_000, 60 + m % 3));
        }
        // three racing minutes: an episode, recognised (and stamped) at its third
        for (int i = 0; i < 3; i++) {
            feed(h, hr(1, T0 + (m + i) * 60_000L + 1_000, 100));
        }
        long racing = T0 + (m + 2) * 60_000L;
        feed(h, hr(1, racing + 61_000, 61)); // closes the third racing minute
        MinuteEvaluation judged = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertEquals(racing, judged.minuteStart());
        assertTrue(judged.stress(), "the rule calls it stress");
        assertNull(personState(h, 1).personal, "no answer yet: no personal model");

        h.processElement2(new Answer(1, 1, racing, true, 0, false), racing);
        h.processElement2(new Answer(1, 1, racing, true, 0, false), racing); // delivered twice
        h.processElement2(
                new Answer(2, 1, racing - 60_000, true, 0, false),
                T0); // a stress minute, not the onset
        h.processElement2(new Answer(3, 1, racing, false, -1, false), racing); // "not sure"
        var personal = personState(h, 1).personal;
        assertEquals(1, personal.count, "one answer learned, once");
        assertEquals(0, personal.agreed, "the detector said stress, the person no");

        OperatorSubtaskState snap = h.snapshot(1, racing + 120_000);
        h.close();
        var restored = harness(snap);
        assertEquals(
                1,
                personState(restored, 1).personal.count,
                "the personal model came back with the snapshot");
        feed(restored, hr(1, racing + 121_000, 62));
        feed(restored, hr(1, racing + 181_000, 62));
        assertTrue(
                restored.extractOutputValues().get(0).triggers().isEmpty()
                        || !restored.extractOutputValues().get(0).stress(),
                "a calm minute stays calm");
        restored.processElement2(new Answer(1, 1, racing, true, 0, true), racing);
        assertNull(
                personState(restored, 1), "erased with the person's answers: model and baseline");
        assertEquals(0, restored.numKeyedStateEntries(), "nothing of the person is kept");
    }

    @Test
    void aCheckInPostedBeforeTheWatchSyncedWaitsForItsMinutes() throws Exception {
        var h = harness();
        long m = 0;
        for (; m < 40; m++) {
            feed(h, hr(1, T0 + m * 60_000L + 1_000, 60 + m % 3));
        }
        long checkIn = T0 + 55 * 60_000L; // the phone posts it; the watch is 15 minutes behind
        h.processElement2(new Answer(7, 1, checkIn, false, 1, false), checkIn);
        h.processElement2(new Answer(7, 1, checkIn, false, 1, false), checkIn); // twice
        assertNull(personState(h, 1).personal, "nothing to learn from yet");
        for (; m < 55; m++) { // the sync: minutes up to the check-in's own
            feed(h, hr(1, T0 + m * 60_000L + 1_000, 62));
        }
        feed(h, hr(1, T0 + 55 * 60_000L + 1_000, 100)); // its own minute: a racing heart
        assertNull(personState(h, 1).personal, "its own minute is not judged yet");
        feed(h, hr(1, T0 + 56 * 60_000L + 1_000, 62)); // closes minute 55
        var personal = personState(h, 1).personal;
        assertNotNull(personal, "the check-in found its minute after the sync");
        assertEquals(1, personal.count, "learned once, though delivered twice");
        assertTrue(
                personal.xs[2] > 2,
                "learned from its own minute, the racing one (heart-rate z "
                        + personal.xs[2]
                        + ")");
        feed(h, hr(1, T0 + 57 * 60_000L + 1_000, 62));
        h.processElement2(new Answer(7, 1, checkIn, false, 1, false), checkIn); // a third copy
        assertEquals(
                1, personState(h, 1).personal.count, "a copy after it settled teaches nothing");
    }

    /** A restore judges the minutes after its checkpoint again; an answer may come first. */
    @Test
    void anEpisodeAnswerThatOvertakesARestoreWaitsForItsOnsetToBeJudgedAgain() throws Exception {
        var h = harness();
        long m = 0;
        for (; m < 40; m++) {
            feed(h, hr(1, T0 + m * 60_000L + 1_000, 60 + m % 3));
        }
        OperatorSubtaskState snap = h.snapshot(1, T0 + m * 60_000L); // before the episode
        h.close();
        long onset = T0 + (m + 2) * 60_000L; // the third racing minute, once replayed
        var restored = harness(snap);
        restored.processElement2(new Answer(1, 1, onset, true, 1, false), onset);
        restored.processElement2(new Answer(1, 1, onset, true, 1, false), onset); // twice
        assertNull(personState(restored, 1).personal, "its onset is not judged again yet");
        for (int i = 0; i < 3; i++) { // the replay
            feed(restored, hr(1, T0 + (m + i) * 60_000L + 1_000, 100));
        }
        feed(restored, hr(1, onset + 61_000, 61)); // closes the onset
        var personal = personState(restored, 1).personal;
        assertNotNull(personal, "the answer found its onset once it was judged again");
        assertEquals(1, personal.count, "learned once, though delivered twice");
        assertEquals(1, personal.agreed, "the detector and the person both said stress");
    }

    @Test
    void anAnswerWhoseMinutesNeverComeIsGivenUpOnAfterTwoDaysOfEventTime() throws Exception {
        var h = harness();
        long m = 0;
        for (; m < 40; m++) {
            feed(h, hr(1, T0 + m * 60_000L + 1_000, 60 + m % 3));
        }
        long checkIn = T0 + 55 * 60_000L + 20_000; // not on a whole minute
        h.processElement2(new Answer(7, 1, checkIn, false, 1, false), checkIn);
        assertEquals(1, recentState(h, 1).waiting());
        long giveUp = MinuteFunction.giveUpAt(checkIn);
        h.processBothWatermarks(new Watermark(giveUp - 1));
        assertEquals(1, recentState(h, 1).waiting(), "two days less a moment: still waiting");
        h.processBothWatermarks(new Watermark(giveUp));
        assertEquals(0, recentState(h, 1).waiting(), "its watch never synced: given up on");
        h.processElement2(new Answer(7, 1, checkIn, false, 1, false), checkIn); // a copy
        assertEquals(0, recentState(h, 1).waiting(), "a copy of it does not wait again");
        for (; m < 57; m++) { // the watch syncs after all, too late
            feed(h, hr(1, T0 + m * 60_000L + 1_000, m == 55 ? 100 : 62));
        }
        assertNull(personState(h, 1).personal, "nothing learned from a given-up check-in");
    }

    static RecentMinutes recentState(
            KeyedTwoInputStreamOperatorTestHarness<
                            Integer, BiometricReading, Answer, MinuteEvaluation>
                    h,
            int user)
            throws Exception {
        return state(h, user, "recent-minutes", RecentMinutes.class);
    }

    @Test
    void anErasedPersonWhoNeverAnsweredLeavesNothingEither() throws Exception {
        var h = harness();
        for (int i = 0; i < 90; i++) {
            feed(h, hr(2, T0 + i * 30_000L, 60 + i % 5)); // 45 minutes: a baseline, a minute open
        }
        for (int i = 0; i < 90; i++) {
            // and a day before, imported: the history lane's baseline and open minute
            feed(h, hr(2, T0 - 86_400_000L + i * 30_000L, 60 + i % 5).asImported(9));
        }
        assertTrue(h.numKeyedStateEntries() > 0);
        h.processElement2(Answer.erasure(2), T0);
        assertEquals(0, h.numKeyedStateEntries(), "baseline, open minute, recent minutes, mood");
        h.processBothWatermarks(new Watermark(T0 + 3_600_000));
        assertEquals(0, h.numKeyedStateEntries(), "a timer of the open minute brings nothing back");
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    Integer, BiometricReading, Answer, MinuteEvaluation>
            harness(OperatorSubtaskState snap) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new MinuteFunction(EpisodeThresholds.DEFAULT)),
                        BiometricReading::userId,
                        Answer::userId,
                        Types.INT);
        h.initializeState(snap);
        h.open();
        return h;
    }
}
