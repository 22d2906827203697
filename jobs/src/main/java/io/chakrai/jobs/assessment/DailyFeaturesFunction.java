package io.chakrai.jobs.assessment;

import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.analytics.DayFeatures;
import io.chakrai.models.readings.BiometricReading;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per person: one {@link DayFeatures} per UTC day in keyed state; an event-time timer at each day's end plus
 * the grace period emits the closed day with the 13 days before it, then forgets days older than that.
 * A reading for a day that has already closed is counted ({@code lateReadingsDropped}) and left out.
 */
final class DailyFeaturesFunction extends KeyedProcessFunction<Integer, BiometricReading, RiskAssessmentJob.DayClosed> {
    private static final long serialVersionUID = 1L;
    static final long DAY_MS = 86_400_000L;
    static final int HISTORY_DAYS = 14;

    private final long delayMs;
    private transient MapState<Long, DayFeatures> days;
    private transient Counter late;

    DailyFeaturesFunction(int dayCloseDelayMinutes) {
        this.delayMs = dayCloseDelayMinutes * 60_000L;
    }

    @Override
    public void open(OpenContext ctx) {
        days = getRuntimeContext().getMapState(new MapStateDescriptor<>("days", Long.class, DayFeatures.class));
        late = getRuntimeContext().getMetricGroup().counter("lateReadingsDropped");
    }

    static long closeTime(long epochDay, long delayMs) {
        return (epochDay + 1) * DAY_MS + delayMs;
    }

    @Override
    public void processElement(BiometricReading r, Context ctx, Collector<RiskAssessmentJob.DayClosed> out) throws Exception {
        if (!DayFeatures.counts(r.dataType())) {
            return;
        }
        long day = DayFeatures.dayOf(r.dataType(), r.timestamp());
        long closeAt = closeTime(day, delayMs);
        if (closeAt <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        DayFeatures f = days.get(day);
        if (f == null) {
            f = new DayFeatures(day);
            ctx.timerService().registerEventTimeTimer(closeAt);
        }
        f.add(r.dataType(), r.value());
        days.put(day, f);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RiskAssessmentJob.DayClosed> out) throws Exception {
        long day = (timestamp - delayMs) / DAY_MS - 1;
        List<double[]> rows = new ArrayList<>();
        for (Iterator<Map.Entry<Long, DayFeatures>> it = days.iterator(); it.hasNext(); ) {
            Map.Entry<Long, DayFeatures> e = it.next();
            if (e.getKey() <= day - HISTORY_DAYS) {
                it.remove();
            } else if (e.getKey() <= day) {
                DailySummary s = e.getValue().summary(Double.NaN);
                rows.add(new double[] {e.getKey(), s.sleepHours(), s.steps(), s.hrvMedian(), s.restingHr()});
            }
        }
        rows.sort((a, b) -> Double.compare(a[0], b[0]));
        out.collect(new RiskAssessmentJob.DayClosed(ctx.getCurrentKey(), day, rows.toArray(double[][]::new)));
    }
}
