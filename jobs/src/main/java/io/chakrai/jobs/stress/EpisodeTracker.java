package io.chakrai.jobs.stress;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.Outcome;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.Recommendations;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per person: turns episode onsets into predictions (one per episode, however long it lasts), triggers
 * an intervention for strong ones at most once per {@code interventionGap}, and when a prediction's
 * target time passes (event time) emits its outcome: the share of the following minutes that were
 * stress minutes, and whether the prediction was right.
 */
public final class EpisodeTracker extends KeyedCoProcessFunction<Integer, MinuteEvaluation, Onset, Prediction> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Outcome> OUTCOMES = new OutputTag<>("outcomes") {
        private static final long serialVersionUID = 1L;
    };
    /** A stress_episode prediction is right when at least this share of its timeframe was stress. */
    static final double CONFIRMED_SHARE = 0.2;
    static final long TIMEFRAME_MS = 15 * 60_000L;

    private final EpisodeThresholds thresholds;
    private transient ValueState<Long> episodeStart;
    private transient ValueState<Long> lastCalmMinute;
    private transient ValueState<Long> lastIntervention;
    private transient ListState<Pending> pending;

    /** A prediction waiting for its target time, with the minutes seen since. */
    public static class Pending {
        public long predictionTime;
        public long targetTime;
        public int minutes;
        public int stressMinutes;

        public Pending() {
        }

        Pending(long predictionTime, long targetTime) {
            this.predictionTime = predictionTime;
            this.targetTime = targetTime;
        }
    }

    public EpisodeTracker(EpisodeThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public void open(OpenContext ctx) {
        episodeStart = getRuntimeContext().getState(new ValueStateDescriptor<>("episode-start", Long.class));
        lastCalmMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("last-calm-minute", Long.class));
        lastIntervention = getRuntimeContext().getState(new ValueStateDescriptor<>("last-intervention", Long.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-outcomes", Pending.class));
    }

    @Override
    public void processElement1(MinuteEvaluation m, Context ctx, Collector<Prediction> out) throws Exception {
        if (!m.stress()) {
            Long calm = lastCalmMinute.value();
            if (calm == null || m.minuteStart() > calm) {
                lastCalmMinute.update(m.minuteStart());
            }
            Long start = episodeStart.value();
            if (start != null && m.minuteStart() > start) {
                episodeStart.clear();
            }
        }
        List<Pending> updated = new ArrayList<>();
        boolean changed = false;
        for (Pending p : pending.get()) {
            if (m.minuteStart() >= p.predictionTime && m.minuteStart() < p.targetTime) {
                p.minutes++;
                p.stressMinutes += m.stress() ? 1 : 0;
                changed = true;
            }
            updated.add(p);
        }
        if (changed) {
            pending.update(updated);
        }
    }

    @Override
    public void processElement2(Onset o, Context ctx, Collector<Prediction> out) throws Exception {
        Long start = episodeStart.value();
        Long calm = lastCalmMinute.value();
        boolean sameEpisode = start != null && (calm == null || calm < start);
        if (sameEpisode) {
            return;
        }
        if (calm != null && calm > o.minuteStart()) {
            // the episode already ended before its onset reached us: report it, but do not hold it open
            episodeStart.clear();
        } else {
            episodeStart.update(o.firstMinute());
        }
        long predictionTime = o.minuteStart() + 60_000L;
        long target = predictionTime + TIMEFRAME_MS;
        Recommendations.Intervention intervention = null;
        Long last = lastIntervention.value();
        if (o.level() >= thresholds.interventionLevel()
                && (last == null || predictionTime - last >= thresholds.interventionGap().toMillis())) {
            intervention = Recommendations.intervention(o.level());
            lastIntervention.update(predictionTime);
        }
        List<String> actions = Recommendations.forEpisode(o.level(), o.triggers(), false);
        out.collect(new Prediction(o.userId(), "stress_episode", o.level(), o.confidence(), "15min", predictionTime,
                target, o.triggers().split(","), actions.toArray(String[]::new),
                intervention == null ? null : intervention.type(), intervention == null ? null : intervention.content(),
                intervention == null ? null : intervention.urgency()));
        pending.add(new Pending(predictionTime, target));
        ctx.timerService().registerEventTimeTimer(target);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) throws Exception {
        List<Pending> keep = new ArrayList<>();
        for (Pending p : pending.get()) {
            if (p.targetTime <= timestamp) {
                if (p.minutes > 0) {
                    double share = (double) p.stressMinutes / p.minutes;
                    ctx.output(OUTCOMES, new Outcome(ctx.getCurrentKey(), "stress_episode", p.predictionTime,
                            Math.round(share * 10_000) / 100.0, share >= CONFIRMED_SHARE ? 1 : 0));
                }
            } else {
                keep.add(p);
            }
        }
        pending.update(keep);
    }
}
