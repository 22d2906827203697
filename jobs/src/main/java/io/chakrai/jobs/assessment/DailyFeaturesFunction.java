package io.chakrai.jobs.assessment;

import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.analytics.DayFeatures;
import io.chakrai.models.readings.BiometricReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per person: one {@link DayFeatures} per UTC day in keyed state. A day closes — and is emitted
 * with the 13 days before it — when its end plus the grace period has passed on either clock: the
 * person's own (the newest reading seen from them) or the job's event time (the watermark, for
 * someone who stopped sending). The person's clock lets a phone that syncs a week of readings late
 * still get each of those days assessed as its readings arrive, even when other people have moved
 * event time on; the watermark fallback waits a grace period beyond the moment the late day was
 * first seen, so a sync in progress is not cut short. A reading for a day already closed for that
 * person is counted ({@code lateReadingsDropped}) and left out. Days older than the history are
 * forgotten.
 */
final class DailyFeaturesFunction
        extends KeyedProcessFunction<Integer, BiometricReading, RiskGraph.DayClosed> {
    private static final long serialVersionUID = 1L;
    static final long DAY_MS = 86_400_000L;
    static final int HISTORY_DAYS = 14;

    private final long delayMs;
    private transient MapState<Long, DayFeatures> days;
    private transient ValueState<Long> newest;
    private transient ValueState<Long> lastClosed;
    private transient Counter late;

    DailyFeaturesFunction(int dayCloseDelayMinutes) {
        this.delayMs = dayCloseDelayMinutes * 60_000L;
    }

    @Override
    public void open(OpenContext ctx) {
        days =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("days", Long.class, DayFeatures.class));
        newest =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-reading", Long.class));
        lastClosed =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-closed-day", Long.class));
        late = getRuntimeContext().getMetricGroup().counter("lateReadingsDropped");
    }

    static long closeTime(long epochDay, long delayMs) {
        return (epochDay + 1) * DAY_MS + delayMs;
    }

    @Override
    public void processElement(BiometricReading r, Context ctx, Collector<RiskGraph.DayClosed> out)
            throws Exception {
        if (!DayFeatures.counts(r.dataType())) {
            return;
        }
        long day = DayFeatures.dayOf(r.dataType(), r.timestamp());
        Long closed = lastClosed.value();
        if (closed != null && day <= closed) {
            late.inc();
            return;
        }
        DayFeatures f = days.get(day);
        if (f == null) {
            f = new DayFeatures(day);
            long watermark = ctx.timerService().currentWatermark();
            ctx.timerService()
                    .registerEventTimeTimer(
                            Math.max(
                                    closeTime(day, delayMs),
                                    watermark == Long.MIN_VALUE
                                            ? Long.MIN_VALUE
                                            : watermark + delayMs));
        }
        f.add(r.dataType(), r.value());
        days.put(day, f);
        long t = r.timestamp().toEpochMilli();
        Long n = newest.value();
        if (n == null || t > n) {
            newest.update(t);
            // a day can only become closable on the person's clock when it crosses a day end plus
            // the delay
            if (n == null
                    || Math.floorDiv(t - delayMs, DAY_MS) > Math.floorDiv(n - delayMs, DAY_MS)) {
                closeThrough(t, ctx.getCurrentKey(), out);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RiskGraph.DayClosed> out)
            throws Exception {
        closeThrough(timestamp, ctx.getCurrentKey(), out);
    }

    /**
     * Closes, oldest first, every open day whose end plus the grace period is at or before {@code
     * time}.
     */
    private void closeThrough(long time, int user, Collector<RiskGraph.DayClosed> out)
            throws Exception {
        Long closed = lastClosed.value();
        TreeMap<Long, DayFeatures> all = new TreeMap<>();
        for (Map.Entry<Long, DayFeatures> e : days.entries()) {
            all.put(e.getKey(), e.getValue());
        }
        for (long day : all.keySet()) {
            if ((closed != null && day <= closed) || closeTime(day, delayMs) > time) {
                continue;
            }
            List<double[]> rows = new ArrayList<>();
            for (Map.Entry<Long, DayFeatures> e :
                    all.headMap(day, true).tailMap(day - HISTORY_DAYS, false).entrySet()) {
                DailySummary s = e.getValue().summary(Double.NaN);
                rows.add(
                        new double[] {
                            e.getKey(), s.sleepHours(), s.steps(), s.hrvMedian(), s.restingHr()
                        });
            }
            out.collect(new RiskGraph.DayClosed(user, day, rows.toArray(double[][]::new)));
            closed = day;
            lastClosed.update(day);
        }
        if (closed != null) {
            for (long day : all.headMap(closed - HISTORY_DAYS, true).keySet()) {
                days.remove(day);
            }
        }
    }
}
