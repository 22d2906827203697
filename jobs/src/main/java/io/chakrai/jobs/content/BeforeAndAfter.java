package io.chakrai.jobs.content;

import io.chakrai.jobs.io.Usage;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per person: heart rate and RMSSD by minute (kept three hours, forgotten by a timer each quarter
 * hour, so up to 3 h 15 min), and the sessions they completed. When event time passes a session's
 * completion plus {@link #WINDOW_MS}, the means after completion are compared with the same span
 * before the start, once each window has readings in at least {@value #COVERAGE} of its minutes. A
 * watch often syncs later than the app reports the session: a late reading that completes a due
 * session's windows measures it at once, and a due session is looked at again every 5 minutes of
 * event time, up to an hour, then left unmeasured. Each session is measured once (a second change
 * event of it is ignored). A session reported after its minutes left this state goes to {@link
 * #LATE}, to be measured from the stored readings.
 */
public final class BeforeAndAfter
        extends KeyedCoProcessFunction<Integer, BiometricReading, Usage, Measured> {
    private static final long serialVersionUID = 1L;

    /**
     * Sessions reported after their minutes left this state (more than {@link #KEEP_MS} of event
     * time late).
     */
    public static final OutputTag<Usage> LATE =
            new OutputTag<>("late-sessions") {
                private static final long serialVersionUID = 1L;
            };

    static final long WINDOW_MS = 15 * 60_000L;
    static final long KEEP_MS = 3 * 3_600_000L;
    static final long RETRY_MS = 5 * 60_000L;
    static final int RETRIES = 12;

    /** Minutes with heart-rate readings each window needs before a session is measured. */
    static final int COVERAGE = 10;

    /**
     * Old minutes are forgotten on timers at this grain (one timer a person per quarter hour of
     * event time, however many minutes arrived): a timer per minute, each scanning every minute
     * kept, was a third of the stack's CPU after a history upload, when event time passes weeks of
     * minutes at once.
     */
    static final long CLEANUP_GRAIN_MS = 15 * 60_000L;

    private transient MapState<Long, double[]>
            minutes; // minute → {hr sum, hr n, rmssd sum, rmssd n}
    private transient ValueState<Long> oldest; // no minute kept is older than this one
    private transient MapState<Long, long[]> pending; // usage id → {started, completed, content id}
    private transient MapState<Long, Boolean> done;

    @Override
    public void open(OpenContext ctx) {
        minutes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "minutes",
                                        TypeInformation.of(Long.class),
                                        TypeInformation.of(new TypeHint<double[]>() {})));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending",
                                        TypeInformation.of(Long.class),
                                        TypeInformation.of(new TypeHint<long[]>() {})));
        done =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("done", Long.class, Boolean.class));
        oldest =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("oldest minute", Long.class));
    }

    /**
     * The cleanup timer of a minute: the first quarter-hour boundary at which it may be forgotten.
     */
    static long cleanupAt(long minute) {
        long due = minute * 60_000 + KEEP_MS;
        return Math.floorDiv(due + CLEANUP_GRAIN_MS - 1, CLEANUP_GRAIN_MS) * CLEANUP_GRAIN_MS;
    }

    @Override
    public void processElement1(BiometricReading r, Context ctx, Collector<Measured> out)
            throws Exception {
        boolean hr = DataType.HEART_RATE.wireName().equals(r.dataType());
        if (!hr && !DataType.HRV.wireName().equals(r.dataType())) {
            return;
        }
        long minute = r.timestamp().toEpochMilli() / 60_000;
        double[] m = minutes.get(minute);
        if (m == null) {
            m = new double[4];
            // forget this minute once nothing can ask about it any more (the same quarter-hour
            // timer for many minutes)
            ctx.timerService().registerEventTimeTimer(cleanupAt(minute));
            Long first = oldest.value();
            if (first == null || minute < first) {
                oldest.update(minute);
            }
        }
        m[hr ? 0 : 2] += r.value();
        m[hr ? 1 : 3] += 1;
        minutes.put(minute, m);
        // a late sync may complete the windows of a session that is already due
        long watermark = ctx.timerService().currentWatermark();
        List<Long> measured = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : pending.entries()) {
            long[] s = e.getValue();
            if (s[1] + WINDOW_MS <= watermark
                    && minute * 60_000 >= s[0] - WINDOW_MS
                    && minute * 60_000 < s[1] + WINDOW_MS
                    && measure(e.getKey(), s, r.userId(), out)) {
                measured.add(e.getKey());
            }
        }
        for (Long id : measured) {
            pending.remove(id);
            done.put(id, true);
        }
    }

    /** Measures a session when both windows are covered; false when they are not (yet). */
    private boolean measure(long id, long[] s, int user, Collector<Measured> out) throws Exception {
        Measured m =
                Measured.compare(
                        id,
                        user,
                        mean(s[0] - WINDOW_MS, s[0]),
                        mean(s[1], s[1] + WINDOW_MS),
                        COVERAGE);
        if (m != null) {
            out.collect(m);
        }
        return m != null;
    }

    @Override
    public void processElement2(Usage u, Context ctx, Collector<Measured> out) throws Exception {
        if (u.erased()) { // the person was erased: their session is not measured, and not
            // remembered
            pending.remove(u.id());
            done.remove(u.id());
            return;
        }
        // a row measured already (its own update coming back, or a rating given afterwards) is not
        // measured again
        if (u.measured() || done.contains(u.id()) || pending.contains(u.id())) {
            return;
        }
        long[] session = {u.startedAt(), u.completedAt(), u.contentId(), 0};
        if (u.startedAt() - WINDOW_MS + KEEP_MS <= ctx.timerService().currentWatermark()) {
            // reported so late (an app that was offline for hours) that its minutes have left this
            // state: measured
            // from the stored readings instead
            ctx.output(LATE, u);
            done.put(u.id(), true);
            return;
        }
        // a session reported after its readings (and after event time passed it) is measured at
        // once: no later
        // watermark may come for a timer in the past
        if (u.completedAt() + WINDOW_MS <= ctx.timerService().currentWatermark()
                && measure(u.id(), session, u.userId(), out)) {
            done.put(u.id(), true);
            return;
        }
        pending.put(u.id(), session);
        ctx.timerService()
                .registerEventTimeTimer(
                        Math.max(
                                u.completedAt() + WINDOW_MS,
                                ctx.timerService().currentWatermark() + RETRY_MS));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Measured> out)
            throws Exception {
        List<Long> measured = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : pending.entries()) {
            long[] s = e.getValue();
            if (s[1] + WINDOW_MS > timestamp) {
                continue;
            }
            if (!measure(e.getKey(), s, ctx.getCurrentKey(), out)) {
                long now = Math.max(timestamp, ctx.timerService().currentWatermark());
                if (s[3] < RETRIES && now < Long.MAX_VALUE - RETRY_MS) {
                    // five more minutes of event time from now, not from when it was due: a
                    // watermark far ahead
                    // must not use up every retry at once
                    s[3]++;
                    pending.put(e.getKey(), s);
                    ctx.timerService().registerEventTimeTimer(now + RETRY_MS);
                } else {
                    measured.add(e.getKey());
                }
                continue;
            }
            measured.add(e.getKey());
        }
        for (Long id : measured) {
            pending.remove(id);
            done.put(id, true);
        }
        forgetBefore(Math.floorDiv(timestamp - KEEP_MS, 60_000) + 1);
    }

    /**
     * Forgets the minutes before {@code cutoff} (minute index): walks up from the oldest kept, a
     * minute at a time, or scans the kept minutes when that range is longer than them (a gap of
     * days between syncs).
     */
    private void forgetBefore(long cutoff) throws Exception {
        Long first = oldest.value();
        if (first == null || first >= cutoff) {
            return;
        }
        if (cutoff - first <= 4 * KEEP_MS / 60_000) {
            for (long minute = first; minute < cutoff; minute++) {
                minutes.remove(minute);
            }
        } else {
            List<Long> old = new ArrayList<>();
            for (Long minute : minutes.keys()) {
                if (minute < cutoff) {
                    old.add(minute);
                }
            }
            for (Long minute : old) {
                minutes.remove(minute);
            }
        }
        if (minutes.isEmpty()) {
            oldest.clear();
        } else {
            oldest.update(cutoff);
        }
    }

    private double[] mean(long from, long to) throws Exception {
        double hr = 0;
        double hrN = 0;
        double rm = 0;
        double rmN = 0;
        int covered = 0;
        for (long minute = from / 60_000; minute * 60_000 < to; minute++) {
            double[] m = minutes.get(minute);
            if (m != null) {
                covered += m[1] > 0 ? 1 : 0;
                hr += m[0];
                hrN += m[1];
                rm += m[2];
                rmN += m[3];
            }
        }
        return new double[] {
            hrN == 0 ? Double.NaN : hr / hrN, rmN == 0 ? Double.NaN : rm / rmN, covered
        };
    }
}
