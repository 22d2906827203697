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
 * triggers an intervention for strong ones at most once per {@code interventionGap}, and when a
 * prediction's target time passes (event time) emits its outcome: the share of the following
 * minutes that were stress minutes, and whether the prediction was right. Its minutes are kept two
 * hours; of a person who went quiet nothing is kept and no timer is left.
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

    private final EpisodeThresholds thresholds;
    private transient ValueState<Long> lastOnsetMinute;
    private transient ValueState<Long> lastIntervention;
    private transient ListState<Pending> pending;

    /**
     * Recent minutes (start → stress), kept two hours, to score outcomes whatever order the inputs
     * arrive in.
     */
    private transient MapState<Long, Boolean> recent;

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
    }

    @Override
    public void processElement1(MinuteEvaluation m, Context ctx, Collector<Prediction> out)
            throws Exception {
        recent.put(m.minuteStart(), m.stress());
        // one clean-up a quarter hour of a person's minutes (equal timers of a key are one timer)
        ctx.timerService()
                .registerEventTimeTimer(
                        (Math.floorDiv(m.minuteStart(), CLEANUP_GRAIN_MS) + 1) * CLEANUP_GRAIN_MS
                                + KEEP_MS);
    }

    @Override
    public void processElement2(Onset o, Context ctx, Collector<Prediction> out) throws Exception {
        // The pattern matches again after every run of N minutes of a long episode; a match that
        // starts
        // right after the previous one ends continues the same episode and is not a new prediction.
        Long previous = lastOnsetMinute.value();
        lastOnsetMinute.update(o.minuteStart());
        if (previous != null && o.firstMinute() == previous + 60_000L) {
            return;
        }
        long predictionTime = o.minuteStart() + 60_000L;
        long target = predictionTime + TIMEFRAME_MS;
        Recommendations.Intervention intervention = null;
        Long last = lastIntervention.value();
        if (o.level() >= thresholds.interventionLevel()
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
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
            throws Exception {
        List<Pending> keep = new ArrayList<>();
        for (Pending pend : pending.get()) {
            Prediction p = pend.prediction;
            if (p.targetTime() > timestamp) {
                keep.add(pend);
                continue;
            }
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
        if (keep.isEmpty()) {
            pending.clear();
        } else {
            pending.update(keep);
        }
        forgetOldMinutes(timestamp, keep.isEmpty(), ctx);
    }

    /**
     * Minutes more than {@link #KEEP_MS} older than the person's newest are dropped; once event
     * time is that far past their newest minute too (they went quiet) and no prediction waits,
     * nothing of them is kept — the last onset and intervention only while they still matter (the
     * continuation of an episode, the intervention gap).
     */
    private void forgetOldMinutes(long now, boolean nothingPending, OnTimerContext ctx)
            throws Exception {
        long newest = Long.MIN_VALUE;
        for (Long minute : recent.keys()) {
            newest = Math.max(newest, minute);
        }
        if (newest == Long.MIN_VALUE || now >= newest + KEEP_MS) {
            recent.clear();
        } else {
            List<Long> old = new ArrayList<>();
            for (Long minute : recent.keys()) {
                if (minute < newest - KEEP_MS) {
                    old.add(minute);
                }
            }
            for (Long minute : old) {
                recent.remove(minute);
            }
            return;
        }
        if (!nothingPending) {
            return;
        }
        Long onset = lastOnsetMinute.value();
        if (onset != null && now >= onset + KEEP_MS) {
            lastOnsetMinute.clear();
        }
        Long intervention = lastIntervention.value();
        if (intervention != null) {
            long until = intervention + thresholds.interventionGap().toMillis();
            if (now >= until) {
                lastIntervention.clear();
            } else {
                ctx.timerService().registerEventTimeTimer(until);
            }
        }
    }
}
