package io.chakrai.jobs.content;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per person: heart rate and RMSSD by minute (kept three hours), and the sessions they completed. When event
 * time passes a session's completion plus {@link #WINDOW_MS}, the means after completion are compared with the
 * same span before the start; a session without readings on both sides is left unmeasured. Each session is
 * measured once (a second change event of it is ignored).
 */
public final class BeforeAndAfter extends KeyedCoProcessFunction<Integer, BiometricReading, Usage, Measured> {
    private static final long serialVersionUID = 1L;
    static final long WINDOW_MS = 15 * 60_000L;
    static final long KEEP_MS = 3 * 3_600_000L;
    private transient MapState<Long, double[]> minutes; // minute → {hr sum, hr n, rmssd sum, rmssd n}
    private transient MapState<Long, long[]> pending;   // usage id → {started, completed, content id}
    private transient MapState<Long, Boolean> done;

    @Override
    public void open(OpenContext ctx) {
        minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", TypeInformation.of(Long.class),
                TypeInformation.of(new TypeHint<double[]>() { })));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", TypeInformation.of(Long.class),
                TypeInformation.of(new TypeHint<long[]>() { })));
        done = getRuntimeContext().getMapState(new MapStateDescriptor<>("done", Long.class, Boolean.class));
    }

    @Override
    public void processElement1(BiometricReading r, Context ctx, Collector<Measured> out) throws Exception {
        boolean hr = DataType.HEART_RATE.wireName().equals(r.dataType());
        if (!hr && !DataType.HRV.wireName().equals(r.dataType())) {
            return;
        }
        long minute = r.timestamp().toEpochMilli() / 60_000;
        double[] m = minutes.get(minute);
        if (m == null) {
            m = new double[4];
            // forget this minute once nothing can ask about it any more
            ctx.timerService().registerEventTimeTimer(minute * 60_000 + KEEP_MS);
        }
        m[hr ? 0 : 2] += r.value();
        m[hr ? 1 : 3] += 1;
        minutes.put(minute, m);
    }

    @Override
    public void processElement2(Usage u, Context ctx, Collector<Measured> out) throws Exception {
        if (done.contains(u.id()) || pending.contains(u.id())) {
            return;
        }
        pending.put(u.id(), new long[] {u.startedAt(), u.completedAt(), u.contentId()});
        ctx.timerService().registerEventTimeTimer(u.completedAt() + WINDOW_MS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Measured> out) throws Exception {
        List<Long> measured = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : pending.entries()) {
            long[] s = e.getValue();
            if (s[1] + WINDOW_MS > timestamp) {
                continue;
            }
            double[] before = mean(s[0] - WINDOW_MS, s[0]);
            double[] after = mean(s[1], s[1] + WINDOW_MS);
            measured.add(e.getKey());
            if (Double.isNaN(before[0]) || Double.isNaN(after[0])) {
                continue;
            }
            double hrChange = after[0] - before[0];
            double rmssdChange = Double.isNaN(before[1]) || Double.isNaN(after[1]) ? 0 : after[1] - before[1];
            out.collect(new Measured(e.getKey(), ctx.getCurrentKey(), round(hrChange), round(rmssdChange), Measured.body(hrChange, rmssdChange)));
        }
        for (Long id : measured) {
            pending.remove(id);
            done.put(id, true);
        }
        // minutes older than anything still to measure
        List<Long> old = new ArrayList<>();
        for (Long minute : minutes.keys()) {
            if (minute * 60_000 + KEEP_MS <= timestamp) {
                old.add(minute);
            }
        }
        for (Long minute : old) {
            minutes.remove(minute);
        }
    }

    private double[] mean(long from, long to) throws Exception {
        double hr = 0;
        double hrN = 0;
        double rm = 0;
        double rmN = 0;
        for (long minute = from / 60_000; minute * 60_000 < to; minute++) {
            double[] m = minutes.get(minute);
            if (m != null) {
                hr += m[0];
                hrN += m[1];
                rm += m[2];
                rmN += m[3];
            }
        }
        return new double[] {hrN == 0 ? Double.NaN : hr / hrN, rmN == 0 ? Double.NaN : rm / rmN};
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
