package io.chakrai.jobs.stress;

import io.chakrai.jobs.io.Answer;
import io.chakrai.jobs.io.PersonalScore;
import io.chakrai.models.ml.RunningStandardiser;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteAccumulator;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.MinuteFeatures;
import io.chakrai.models.stress.MoodTrend;
import io.chakrai.models.stress.PersonalModel;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.RecentMinutes;
import io.chakrai.models.stress.Recommendations;
import io.chakrai.models.stress.StressState;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per person, in event time: collects each minute's readings and judges the minute against the
 * person's baseline ({@link StressState}, in keyed state so it survives restarts). A minute is
 * closed as soon as a reading of a later minute arrives (a device's readings come in order on the
 * user's partition), or when the watermark passes its end. Readings older than the open minute are
 * late: counted and left out (the ingestion job still stores them). Day by day it also emits the
 * {@code mood_decline} prediction.
 *
 * <p>An import behind a person's live minutes (readings that arrived as history and were read from
 * an export: {@link BiometricReading#imported()}) is not late: it is judged in a lane of its own,
 * with its own open minute, baseline and model statistics, built from the import itself in its
 * order, so a year imported by someone who already streams has its episodes found without touching
 * the live lane. Its minutes leave by {@link #HISTORY_LANE}, for a pattern and a tracker of their
 * own. A second device syncing late is not an import: its minutes were the live lane's to judge,
 * and stay late. The history lane keeps no mood trend and no minutes for answers: both speak of
 * now.
 *
 * <p>Its second input is what the person says ({@link Answer}): an answer on an episode or a
 * check-in finds the minute it speaks of among the last judged ones ({@link RecentMinutes}; a
 * check-in posted before the watch synced those minutes waits for them) and teaches the person's
 * own model ({@link PersonalModel}, inside {@link StressState}), which judges their minutes from
 * then on; an erasure clears both.
 */
public final class MinuteFunction
        extends KeyedCoProcessFunction<Integer, BiometricReading, Answer, MinuteEvaluation> {
    private static final long serialVersionUID = 1L;

    /** Minutes judged in the history lane: an import behind the person's live minutes. */
    public static final OutputTag<MinuteEvaluation> HISTORY_LANE =
            new OutputTag<>("history-lane-minutes") {
                private static final long serialVersionUID = 1L;
            };

    public static final OutputTag<Prediction> MOOD =
            new OutputTag<>("mood-decline") {
                private static final long serialVersionUID = 1L;
            };

    /** How long a minute of a late sync waits, in processing time, for the rest of its readings. */
    static final long LATE_SYNC_GRACE_MS = 5_000;

    /** A check-in speaks of the latest minute judged at most this long before it. */
    static final long CHECK_IN_TOLERANCE_MS = 5 * 60_000L;

    /**
     * How long, in event time, an answer waits for the person's minutes to reach its own: a phone
     * off over a weekend still syncs in time; a watch that never syncs again is given up on.
     */
    static final long ANSWER_WAIT_MS = 48 * 3_600_000L;

    private final EpisodeThresholds thresholds;
    private final MinuteModel learned;
    private transient TrainedModel model;
    private transient ValueState<RunningStandardiser> modelStats;
    private transient ValueState<MinuteAccumulator> open;
    private transient ValueState<StressState> person;

    /** The person's live minutes, and an import behind them: each its own open minute and state. */
    private transient Lane live;

    private transient Lane past;
    private transient ValueState<Long> historyImport;
    private transient Counter historyMinutes;
    private transient ValueState<MoodTrend> mood;
    private transient ValueState<RecentMinutes> recent;
    private transient Counter late;
    private transient Counter personalModels;
    private transient Counter answersLearned;
    private transient Counter answersUnmatched;
    private transient Counter erasures;

    public MinuteFunction(EpisodeThresholds thresholds) {
        this(thresholds, null);
    }

    /**
     * @param learned the registered model that judges minutes, or null for the rule
     */
    public MinuteFunction(EpisodeThresholds thresholds, MinuteModel learned) {
        this.thresholds = thresholds;
        this.learned = learned;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        open =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("open-minute", MinuteAccumulator.class));
        person =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("stress-state", StressState.class));
        past =
                new Lane(
                        true,
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "history-open-minute", MinuteAccumulator.class)),
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "history-stress-state", StressState.class)),
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "history-minute-model-stats",
                                                RunningStandardiser.class)));
        historyImport =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("history-import", Long.class));
        mood =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("mood-trend", MoodTrend.class));
        recent =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("recent-minutes", RecentMinutes.class));
        late = getRuntimeContext().getMetricGroup().counter("lateReadings");
        // minutes of history judged behind people's live minutes, in the lane of their own
        historyMinutes = getRuntimeContext().getMetricGroup().counter("historyLaneMinutes");
        // the Flink UI's view of personalisation: models created (less those erased) and answers
        // learned since the
        // job started (counters restart with it; the models themselves are in checkpointed state)
        personalModels = getRuntimeContext().getMetricGroup().counter("personalModels");
        answersLearned = getRuntimeContext().getMetricGroup().counter("answersLearned");
        // erasure events received (an erased_users row, or a deleted answer): state dropped
        erasures = getRuntimeContext().getMetricGroup().counter("erasures");
        answersUnmatched =
                getRuntimeContext().getMetricGroup().counter("answersWithoutTheirMinute");
        modelStats =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "minute-model-stats", RunningStandardiser.class));
        live = new Lane(false, open, person, modelStats);
        if (learned != null) {
            model = learned.load();
        }
    }

    @Override
    public void processElement1(BiometricReading r, Context ctx, Collector<MinuteEvaluation> out)
            throws Exception {
        long minute = MinuteAccumulator.minuteOf(r.timestamp().toEpochMilli());
        if (!take(r, minute, live, ctx, out)
                && !(r.history() && r.imported() && take(r, minute, past, ctx, out))) {
            late.inc();
        }
    }

    /** One lane's keyed state: its open minute, its baseline, its model statistics. */
    private record Lane(
            boolean history,
            ValueState<MinuteAccumulator> open,
            ValueState<StressState> person,
            ValueState<RunningStandardiser> stats) {
        void clear() {
            open.clear();
            person.clear();
            stats.clear();
        }
    }

    /**
     * Adds a reading to the lane's open minute; false when it is late for that lane (its minute
     * closed already).
     */
    private boolean take(
            BiometricReading r,
            long minute,
            Lane lane,
            Context ctx,
            Collector<MinuteEvaluation> out)
            throws Exception {
        if (lane.history()) {
            another(r.importId(), ctx, out);
        }
        MinuteAccumulator acc = lane.open().value();
        if (acc != null && !acc.isEmpty()) {
            if (minute < acc.minuteStart) {
                return false;
            }
            if (minute > acc.minuteStart) {
                close(acc, lane, ctx, out);
                acc = null;
            }
        }
        if (acc == null) {
            StressState s = lane.person().value();
            if (s != null && minute <= s.lastMinute) {
                return false;
            }
            acc = new MinuteAccumulator();
            acc.reset(minute);
            acc.openedAt = ctx.timerService().currentProcessingTime();
            long closeAt = minute + 60_000L + 59_999L;
            if (lane.history() || ctx.timerService().currentWatermark() >= closeAt) {
                // a late sync (a phone uploading hours at once while others keep event time
                // current) or an import: the watermark would close this minute at once, before
                // the rest of its readings, further down the same upload, arrived. A later
                // minute's reading closes it; if none comes, a few seconds of processing time do.
                ctx.timerService()
                        .registerProcessingTimeTimer(
                                ctx.timerService().currentProcessingTime() + LATE_SYNC_GRACE_MS);
            } else {
                ctx.timerService().registerEventTimeTimer(closeAt);
            }
        }
        acc.add(r, thresholds.minQuality());
        lane.open().update(acc);
        return true;
    }

    /**
     * A reading of another import than the history lane's last: each import comes in its own time
     * order (the API sorts it), but a second one may reach further back than the first, so the
     * lane's order starts again (its baseline kept: the same person) after its open minute closes.
     */
    private void another(long importId, Context ctx, Collector<MinuteEvaluation> out)
            throws Exception {
        Long last = historyImport.value();
        if (last != null && last == importId) {
            return;
        }
        if (last != null) {
            MinuteAccumulator was = past.open().value();
            if (was != null && !was.isEmpty()) {
                close(was, past, ctx, out);
            }
            StressState s = past.person().value();
            if (s != null) {
                s.lastMinute = Long.MIN_VALUE;
                past.person().update(s);
            }
        }
        historyImport.update(importId);
    }

    /**
     * What the person said: learned into their own model, or (an erasure) everything kept of them
     * dropped: baseline, open minute, recent minutes, mood, model.
     */
    @Override
    public void processElement2(Answer a, Context ctx, Collector<MinuteEvaluation> out)
            throws Exception {
        StressState s = person.value();
        if (a.forget()) {
            // an erasure: the baseline, the minute being read, the recent minutes and the model
            erasures.inc();
            recent.clear();
            open.clear();
            past.clear();
            historyImport.clear();
            mood.clear();
            modelStats.clear();
            if (s != null) {
                if (s.personal != null) {
                    personalModels.dec();
                }
                person.clear();
            }
            return;
        }
        if (a.label() < 0) {
            return;
        }
        RecentMinutes r = recent.value();
        if (a.episode() && r == null) {
            learn(null, a.label()); // no minute of theirs judged: nothing to learn from
            return;
        }
        if (r == null) {
            r = new RecentMinutes();
        }
        if (!a.episode() && r.seen(a.minuteStart())) {
            return; // a check-in delivered again
        }
        if (r.ahead(a.minuteStart())) {
            // before the minute it speaks of is judged (the watch syncs after the phone; a restore
            // judges an episode's onset again): it waits for it, a while
            if (r.await(a.minuteStart(), a.label(), a.episode()) >= 0) {
                answersUnmatched.inc(); // the oldest waiting gave way
            }
            recent.update(r);
            // each waiting answer's own time limit (answers kept before they had one get it here)
            for (long at : r.waitingAt) {
                ctx.timerService().registerEventTimeTimer(giveUpAt(at));
            }
            return;
        }
        RecentMinutes.Found found = r.take(a.minuteStart(), a.episode(), CHECK_IN_TOLERANCE_MS);
        recent.update(r);
        learn(found, a.label());
    }

    /**
     * Teaches the person's own model what they said of a minute (none found: counted, not learned).
     */
    private void learn(RecentMinutes.Found found, int label) throws Exception {
        if (found == null) {
            answersUnmatched.inc();
            return;
        }
        StressState s = person.value();
        if (s == null) {
            s = new StressState();
        }
        if (s.personal == null) {
            s.personal = new PersonalModel();
            personalModels.inc();
        }
        s.personal.learn(found.features(), label == 1, found.judgedStress(), PersonalModel.LIVE);
        person.update(s);
        answersLearned.inc();
    }

    /**
     * When a waiting answer is given up on: on a whole minute, so its timer is told apart from a
     * minute's closing ones (a second before one).
     */
    static long giveUpAt(long minuteStart) {
        return MinuteAccumulator.minuteOf(minuteStart) + ANSWER_WAIT_MS;
    }

    /** Gives up on the answers that waited {@link #ANSWER_WAIT_MS} by {@code now}, counted. */
    private void expireWaiting(RecentMinutes r, long now) {
        if (r.waiting() > 0 && now > Long.MIN_VALUE + ANSWER_WAIT_MS + 60_000L) {
            // those whose minute is at or before the one ANSWER_WAIT_MS back: giveUpAt(at) <= now
            int given = r.expire(MinuteAccumulator.minuteOf(now - ANSWER_WAIT_MS) + 60_000L);
            answersUnmatched.inc(given);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinuteEvaluation> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME && timestamp % 60_000L == 0) {
            RecentMinutes r = recent.value(); // an answer's time to wait is up
            if (r != null && r.waiting() > 0) {
                expireWaiting(r, timestamp);
                recent.update(r);
            }
            return;
        }
        // either lane's open minute: a timer does not say whose it is
        for (Lane lane : new Lane[] {live, past}) {
            MinuteAccumulator acc = lane.open().value();
            // a timer of a minute already closed by a later reading finds another (or no) open
            // minute; a processing-time timer (a late sync's) closes only a minute the watermark
            // has passed, and a minute opened since its own registration waits for its own timer
            // the history lane's minutes close by processing time alone: event time (the live
            // lane's timers, the watermark) is always past them
            boolean due =
                    lane.history()
                            ? ctx.timeDomain() == TimeDomain.PROCESSING_TIME
                                    && acc != null
                                    && acc.openedAt + LATE_SYNC_GRACE_MS <= timestamp
                            : ctx.timeDomain() == TimeDomain.EVENT_TIME
                                    ? acc != null
                                            && acc.minuteStart + 60_000L + 59_999L <= timestamp
                                    : acc != null
                                            && acc.minuteStart + 60_000L + 59_999L
                                                    <= ctx.timerService().currentWatermark()
                                            && acc.openedAt + LATE_SYNC_GRACE_MS <= timestamp;
            if (acc != null && !acc.isEmpty() && due) {
                close(acc, lane, ctx, out);
            }
        }
    }

    private void close(
            MinuteAccumulator acc, Lane lane, Context ctx, Collector<MinuteEvaluation> out)
            throws Exception {
        lane.open().clear();
        MinuteFeatures f = acc.toFeatures(ctx.getCurrentKey());
        StressState s = lane.person().value();
        if (s == null) {
            s = new StressState();
        }
        double[] v = model == null ? null : acc.modelVector();
        MinuteEvaluation e;
        if (v == null) {
            e = s.evaluate(f, thresholds);
        } else {
            e =
                    s.evaluate(
                            f,
                            thresholds,
                            PersonalScore.probability(model, lane.stats(), v),
                            learned.label());
        }
        if (acc.history) {
            e = e.asHistory();
        }
        lane.person().update(s);
        if (lane.history()) {
            // judged against history's own baseline; no mood trend, no minutes for answers
            if (Double.isFinite(f.hr()) || Double.isFinite(f.rmssd())) {
                historyMinutes.inc();
                ctx.output(HISTORY_LANE, e);
            }
            return;
        }
        trackMood(f, e, ctx);
        if (Double.isFinite(f.hr()) || Double.isFinite(f.rmssd())) {
            // the minutes the episode pattern sees, so the onsets found here are its onsets
            RecentMinutes r = recent.value();
            if (r == null) {
                r = new RecentMinutes();
            }
            r.add(e, !e.active() && Double.isFinite(e.hrZ()) ? s.lastFeatures : null, thresholds);
            List<RecentMinutes.Settled> settled = r.settle(CHECK_IN_TOLERANCE_MS);
            // answers kept before they had timers of their own are given up on here
            expireWaiting(r, ctx.timerService().currentWatermark());
            recent.update(r);
            for (RecentMinutes.Settled c : settled) {
                learn(c.minute(), c.label());
            }
            out.collect(e);
        }
    }

    private void trackMood(MinuteFeatures f, MinuteEvaluation e, Context ctx) throws Exception {
        MoodTrend m = mood.value();
        if (m == null) {
            m = new MoodTrend();
        }
        long day = MoodTrend.dayOf(f.minuteStart());
        if (m.day != Long.MIN_VALUE && day > m.day) {
            int level = m.closeDay();
            if (level >= 0) {
                long endOfDay = (m.day + 1) * 86_400_000L;
                var rec = Recommendations.forEpisode(level, "hrv_suppressed", true);
                ctx.output(
                        MOOD,
                        Prediction.made(
                                ctx.getCurrentKey(),
                                "mood_decline",
                                level,
                                0.6,
                                "24hours",
                                endOfDay,
                                endOfDay + 86_400_000L,
                                new String[] {"sleep_debt", "hrv_declining"},
                                rec.toArray(String[]::new),
                                null,
                                null,
                                null));
            }
        }
        m.day = day;
        m.add(f, !e.stress() && !e.active());
        mood.update(m);
    }
}
