package io.chakrai.jobs.groups;

import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.models.groups.GroupChanges;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Change events of {@code group_messages} → new messages (inserts and first-snapshot rows; updates
 * such as an erasure blanking the text are not new activity). What cannot be read goes to {@link
 * #DEAD_LETTERS}.
 */
public final class ParseGroupMessages extends ProcessFunction<RawRecord, GroupChanges.Message> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("group-dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<GroupChanges.Message> out) {
        try {
            Optional<GroupChanges.Change> c = GroupChanges.parse(record.value());
            if (c.isPresent() && c.get().isInsert()) {
                out.collect(GroupChanges.message(c.get().row()));
            }
        } catch (Exception e) {
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            "unreadable group message change: " + e.getMessage(),
                            record,
                            System.currentTimeMillis()));
        }
    }
}
