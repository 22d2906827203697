package io.chakrai.jobs.content;

import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.models.groups.GroupChanges;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Change events of {@code content_usage_tracking} → completed sessions; unreadable ones to {@link #DEAD_LETTERS}. */
public final class ParseUsage extends ProcessFunction<RawRecord, Usage> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("usage-dead-letters") {
        private static final long serialVersionUID = 1L;
    };

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Usage> out) {
        try {
            Optional<GroupChanges.Change> c = GroupChanges.parse(record.value());
            if (c.isEmpty() || c.get().isDelete()) {
                return;
            }
            var row = c.get().row();
            if (!row.hasNonNull("completed_at") || !row.hasNonNull("user_id")) {
                return;
            }
            out.collect(new Usage(row.get("id").asLong(), row.get("user_id").asInt(), row.get("content_id").asLong(),
                    Instant.parse(row.get("started_at").asText()).toEpochMilli(), Instant.parse(row.get("completed_at").asText()).toEpochMilli()));
        } catch (Exception e) {
            ctx.output(DEAD_LETTERS, new DeadLetter("unreadable content usage change: " + e.getClass().getSimpleName(), record,
                    System.currentTimeMillis()));
        }
    }
}
