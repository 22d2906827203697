package io.chakrai.jobs.groups;

import io.chakrai.models.groups.GroupChanges;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A participant's engagement in [0, 1] from how much they wrote lately: messages counted with a
 * half-life of two hours (event time), engagement = 1 − e^(−count / 3) (one message ≈ 0.28, three ≈
 * 0.63, six ≈ 0.86). It is updated with each message and an hour after the last one (so it falls
 * when someone goes quiet), and emitted when it moved by at least 0.05 (each update is a row change
 * the CDC stream carries too).
 */
public final class Engagement
        extends KeyedProcessFunction<Integer, GroupChanges.Message, Engagement.Level> {
    private static final long serialVersionUID = 1L;
    static final long HALF_LIFE_MS = 2 * 3_600_000L;
    static final long RECHECK_MS = 3_600_000L;

    /** A participant's engagement now. */
    public record Level(int participantId, double level, long at) {}

    private transient ValueState<double[]> state; // {decayed count, at (ms), last emitted level}

    @Override
    public void open(OpenContext ctx) {
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("engagement", double[].class));
    }

    static double decayed(double count, long from, long to) {
        return to <= from ? count : count * Math.pow(0.5, (to - from) / (double) HALF_LIFE_MS);
    }

    static double level(double count) {
        return Math.round((1 - Math.exp(-count / 3)) * 100) / 100.0;
    }

    @Override
    public void processElement(GroupChanges.Message m, Context ctx, Collector<Level> out)
            throws Exception {
        long t = m.timestamp().toEpochMilli();
        double[] s = state.value();
        if (s == null) {
            s = new double[] {0, t, -1};
        } else {
            ctx.timerService()
                    .deleteEventTimeTimer(
                            (long) s[1] + RECHECK_MS); // one pending check a participant
        }
        long at = Math.max(t, (long) s[1]);
        s[0] = decayed(s[0], (long) s[1], at) + 1;
        s[1] = at;
        emit(m.participantId(), s, at, out);
        ctx.timerService().registerEventTimeTimer(at + RECHECK_MS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Level> out) throws Exception {
        double[] s = state.value();
        if (s == null || timestamp < (long) s[1] + RECHECK_MS) {
            return; // a newer message re-armed a later check
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return; // the end of a bounded input: no time has passed, nobody went quiet
        }
        s[0] = decayed(s[0], (long) s[1], timestamp);
        s[1] = timestamp;
        emit(ctx.getCurrentKey(), s, timestamp, out);
        if (s[0] > 0.05) {
            ctx.timerService().registerEventTimeTimer(timestamp + RECHECK_MS);
        } else {
            state.clear();
        }
    }

    private void emit(int participant, double[] s, long at, Collector<Level> out) throws Exception {
        double level = level(s[0]);
        if (Math.abs(Math.round(level * 100) - Math.round(s[2] * 100))
                >= 5) { // in hundredths: 0.86 − 0.81 is a move of 0.05
            s[2] = level;
            out.collect(new Level(participant, level, at));
        }
        state.update(s);
    }
}
