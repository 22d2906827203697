package io.chakrai.jobs.stress;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.Recommendations;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per person: turns episode onsets into predictions (one per episode, however long it lasts),
 * triggers an intervention for strong ones at most once per {@code interventionGap}, and emits each
 * prediction's outcome — the share of the following minutes that were stress minutes, and whether
 * the prediction was right — once the person's own minutes have covered its timeframe (a phone that
 * syncs hours late too), or, if their minutes stop before that, a timeframe of event time after
 * they went quiet. Minutes are kept two hours; the last onset and intervention a day after the
 * person went quiet (judged by the watermark when their data last arrived, not by their own clock);
 * then nothing of them is kept and no timer is left.
 */
public final class EpisodeTracker
        extends KeyedCoProcessFunction<Integer, MinuteEvaluation, Onset, Prediction> {
    private static final long serialVersionUID = 1L;

    /** Predictions again, with their outcome, once their target time has passed. */
    public static final OutputTag<Prediction> OUTCOMES =
            new OutputTag<>("outcomes") {
                private static final long serialVersionUID = 1L;
            };

    /**
     * A stress_episode prediction is right when at least this share of its timeframe was stress.
     */
    static final double CONFIRMED_SHARE = 0.2;

    static final long TIMEFRAME_MS = 15 * 60_000L;
    static final long KEEP_MS = 2 * 3_600_000L;
    static final long CLEANUP_GRAIN_MS = 15 * 60_000L;
    static final long FORGET_MS = 24 * 3_600_000L;

    /**
     * How long, in event time after a person's data last arrived, an outcome waits for the rest of
     * its timeframe's minutes: phones that sync every half hour or hour must not be cut at a batch.
     */
    static final long OUTCOME_PATIENCE_MS = 3_600_000L;

    private final EpisodeThresholds thresholds;
    private transient ValueState<Long> lastOnsetMinute;
    private transient ValueState<Long> lastIntervention;
    private transient ListState<Pending> pending;

    /** The watermark when this person's latest minute or onset arrived: when they went quiet. */
    private transient ValueState<Long> seen;

    /**
     * Recent minutes (start → stress), kept two hours, to score outcomes whatever order the inputs
     * arrive in.
     */
    private transient MapState<Long, Boolean> recent;

    /**
     * The newest key of {@link #recent}, kept beside it: finding it by walking the map on every
     * minute cost a hundred steps a minute (an imported year: the job's busiest loop).
     */
    private transient ValueState<Long> newestKept;

    /** A prediction waiting for its target time. */
    public static class Pending {
        public Prediction prediction;

        public Pending() {}

        Pending(Prediction prediction) {
            this.prediction = prediction;
        }
    }

    public EpisodeTracker(EpisodeThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public void open(OpenContext ctx) {
        lastOnsetMinute =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-onset-minute", Long.class));
        lastIntervention =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-intervention", Long.class));
        pending =
                getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("pending-outcomes", Pending.class));
        recent =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "recent-minutes", Long.class, Boolean.class));
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen-at", Long.class));
        newestKept =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-minute", Long.class));
    }

    @Override
    public void processElement1(MinuteEvaluation m, Context ctx, Collector<Prediction> out)
            throws Exception {
        long newest = newest();
        if (newest != Long.MIN_VALUE && m.minuteStart() < newest - KEEP_MS) {
            // another pass over an earlier past (a second import, further back than the first;
            // a live person's minutes never go back): what waits is scored with what there is,
            // and the later minutes make way, so they neither settle nor prune this pass's
            settle(newest, Long.MAX_VALUE, ctx);
            clearRecent();
            newest = Long.MIN_VALUE;
        }
        recent.put(m.minuteStart(), m.stress());
        if (m.minuteStart() > newest) {
            newestKept.update(m.minuteStart());
        }
        if (m.minuteStart() % CLEANUP_GRAIN_MS == 0) {
            // by the person's own clock, a quarter hour at a time: a history uploaded behind the
            // watermark (weeks of minutes before any clean-up timer is due) stays two hours long
            pruneBefore(m.minuteStart() - KEEP_MS);
        }
        long wm = ctx.timerService().currentWatermark();
        noteSeen(wm);
        // a person's minutes come in their own time order: this one may complete a timeframe
        settle(m.minuteStart(), Long.MIN_VALUE, ctx);
        // one clean-up a quarter hour (equal timers of a key are one timer), on the watermark's
        // clock for a phone whose minutes are hours behind it
        ctx.timerService()
                .registerEventTimeTimer(quarterEnd(Math.max(m.minuteStart(), wm)) + KEEP_MS);
    }

    @Override
    public void processElement2(Onset o, Context ctx, Collector<Prediction> out) throws Exception {
        // The pattern matches again after every run of N minutes of a long episode; a match that
        // starts
        // right after the previous one ends continues the same episode and is not a new prediction.
        long wm = ctx.timerService().currentWatermark();
        noteSeen(wm);
        Long previous = lastOnsetMinute.value();
        lastOnsetMinute.update(o.minuteStart());
        if (previous != null && o.firstMinute() == previous + 60_000L) {
            return;
        }
        long predictionTime = o.minuteStart() + 60_000L;
        long target = predictionTime + TIMEFRAME_MS;
        Recommendations.Intervention intervention = null;
        Long last = lastIntervention.value();
        // an episode found in history is stored and listed, but offers nothing (and does not
        // hold back the next live one's offer)
        if (!o.history()
                && o.level() >= thresholds.interventionLevel()
                && (last == null
                        || predictionTime - last >= thresholds.interventionGap().toMillis())) {
            intervention =
                    o.offer() == null
                            ? Recommendations.intervention(o.level())
                            : Recommendations.personal(o.level(), o.offer());
            lastIntervention.update(predictionTime);
        }
        List<String> actions = Recommendations.forEpisode(o.level(), o.triggers(), false);
        Prediction p =
                Prediction.made(
                        o.userId(),
                        "stress_episode",
                        o.level(),
                        o.confidence(),
                        "15min",
                        predictionTime,
                        target,
                        o.triggers().split(","),
                        actions.toArray(String[]::new),
                        intervention == null ? null : intervention.type(),
                        intervention == null ? null : intervention.content(),
                        intervention == null ? null : intervention.urgency());
        out.collect(p);
        pending.add(new Pending(p));
        ctx.timerService().registerEventTimeTimer(target);
        ctx.timerService()
                .registerEventTimeTimer(quarterEnd(Math.max(o.minuteStart(), wm)) + KEEP_MS);
        settle(newest(), Long.MIN_VALUE, ctx); // its minutes may all be here already (a late sync)
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
            throws Exception {
        long newest = newest();
        Long seenAt = seen.value();
        long quietSince = Math.max(newest, seenAt == null ? Long.MIN_VALUE : seenAt);
        // an hour of event time without their data: their minutes stopped, score what there is
        boolean stopped =
                quietSince == Long.MIN_VALUE || timestamp >= quietSince + OUTCOME_PATIENCE_MS;
        boolean waiting = settle(newest, stopped ? timestamp : Long.MIN_VALUE, ctx);
        if (waiting && !stopped) {
            ctx.timerService().registerEventTimeTimer(quietSince + OUTCOME_PATIENCE_MS);
        }
        forget(timestamp, newest, quietSince, !waiting, ctx);
    }

    /**
     * Emits the outcome of each waiting prediction whose timeframe the person's minutes have
     * covered ({@code newest} reached its last minute), or whose target time is at or before {@code
     * giveUpAt} (their minutes stopped: what there is is scored, nothing if there is none); true if
     * one still waits.
     */
    private boolean settle(long newest, long giveUpAt, Context ctx) throws Exception {
        List<Pending> keep = new ArrayList<>();
        boolean settled = false;
        for (Pending pend : pending.get()) {
            Prediction p = pend.prediction;
            if (newest < p.targetTime() - 60_000L && p.targetTime() > giveUpAt) {
                keep.add(pend);
                continue;
            }
            settled = true;
            int minutes = 0;
            int stress = 0;
            for (var e : recent.entries()) {
                if (e.getKey() >= p.predictionTime() && e.getKey() < p.targetTime()) {
                    minutes++;
                    stress += e.getValue() ? 1 : 0;
                }
            }
            if (minutes > 0) {
                double share = (double) stress / minutes;
                ctx.output(
                        OUTCOMES,
                        p.withOutcome(
                                Math.round(share * 10_000) / 100.0,
                                share >= CONFIRMED_SHARE ? 1 : 0));
            }
        }
        if (settled) {
            if (keep.isEmpty()) {
                pending.clear();
            } else {
                pending.update(keep);
            }
        }
        return !keep.isEmpty();
    }

    /**
     * Minutes more than {@link #KEEP_MS} older than the person's newest are dropped, all of them
     * once event time is {@link #KEEP_MS} past {@code quietSince} and no prediction waits; the last
     * onset and intervention (the continuation of an episode, the intervention gap) {@link
     * #FORGET_MS} after it, the intervention not before its gap has passed.
     */
    private void forget(
            long now, long newest, long quietSince, boolean nothingPending, OnTimerContext ctx)
            throws Exception {
        if (nothingPending && now >= quietSince + KEEP_MS) {
            clearRecent();
        } else {
            pruneBefore(newest - KEEP_MS);
            return;
        }
        Long intervention = lastIntervention.value();
        long until =
                Math.max(
                        quietSince + FORGET_MS,
                        intervention == null
                                ? Long.MIN_VALUE
                                : intervention + thresholds.interventionGap().toMillis());
        if (now >= until) {
            lastOnsetMinute.clear();
            lastIntervention.clear();
            seen.clear();
        } else if (lastOnsetMinute.value() != null || intervention != null) {
            ctx.timerService().registerEventTimeTimer(until);
        } else {
            seen.clear();
        }
    }

    private void pruneBefore(long oldest) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long minute : recent.keys()) {
            if (minute < oldest) {
                old.add(minute);
            }
        }
        for (Long minute : old) {
            recent.remove(minute);
        }
    }

    private void noteSeen(long watermark) throws Exception {
        Long was = seen.value();
        if (watermark != Long.MIN_VALUE && (was == null || watermark > was)) {
            seen.update(watermark);
        }
    }

    /**
     * The person's newest minute kept, or {@code Long.MIN_VALUE}. Pruning never removes it (it
     * drops minutes older than a minute kept); state restored from before it was kept is walked
     * once.
     */
    private long newest() throws Exception {
        Long kept = newestKept.value();
        if (kept != null) {
            return kept;
        }
        long newest = Long.MIN_VALUE;
        for (Long minute : recent.keys()) {
            newest = Math.max(newest, minute);
        }
        if (newest != Long.MIN_VALUE) {
            newestKept.update(newest);
        }
        return newest;
    }

    private void clearRecent() {
        recent.clear();
        newestKept.clear();
    }

    private static long quarterEnd(long t) {
        return (Math.floorDiv(t, CLEANUP_GRAIN_MS) + 1) * CLEANUP_GRAIN_MS;
    }
}
