package io.chakrai.jobs.groups;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * An event-time window that also shows itself while it is open: it fires when event time passes its
 * end (the final result) and, before that, every {@code everyMs} of processing time after a message
 * arrived (a partial result, upserted over by the next), so a quiet group's current mood is visible
 * without waiting for the watermark.
 */
public final class EarlyFiring extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final long everyMs;
    private final ValueStateDescriptor<Long> pending =
            new ValueStateDescriptor<>("early-firing", Long.class);

    public EarlyFiring(long everyMs) {
        this.everyMs = everyMs;
    }

    @Override
    public TriggerResult onElement(
            Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        ValueState<Long> next = ctx.getPartitionedState(pending);
        if (next.value() == null) {
            long at = ctx.getCurrentProcessingTime() + everyMs;
            ctx.registerProcessingTimeTimer(at);
            next.update(at);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx)
            throws Exception {
        ctx.getPartitionedState(pending).clear();
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> next = ctx.getPartitionedState(pending);
        if (next.value() != null) {
            ctx.deleteProcessingTimeTimer(next.value());
            next.clear();
        }
    }

    @Override
    public boolean canMerge() {
        return false;
    }
}
