package io.chakrai.jobs.groups;

import io.chakrai.models.groups.GroupChanges;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** The change stream is at least once: each message id passes once (remembered for a day). */
public final class FirstOfEachMessage
        extends KeyedProcessFunction<Long, GroupChanges.Message, GroupChanges.Message> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Boolean> seen;

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen", Boolean.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        seen = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(
            GroupChanges.Message m, Context ctx, Collector<GroupChanges.Message> out)
            throws Exception {
        if (seen.value() == null) {
            seen.update(true);
            out.collect(m);
        }
    }
}
