package io.chakrai.jobs.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.groups.GroupChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Change events of {@code content_usage_tracking} → completed sessions (with their measured effect,
 * once there is one), and deleted rows (an erasure) → {@link Usage#erasure}; unreadable ones to
 * {@link #DEAD_LETTERS}. Read by the content and stress graphs.
 */
public final class ParseUsage extends ProcessFunction<RawRecord, Usage> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("usage-dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Usage> out) {
        try {
            Optional<GroupChanges.Change> c = GroupChanges.parse(record.value());
            if (c.isEmpty()) {
                return;
            }
            var row = c.get().row();
            if (c.get().isDelete()) {
                if (row != null && row.hasNonNull("id") && row.hasNonNull("user_id")) {
                    out.collect(Usage.erasure(row.get("id").asLong(), row.get("user_id").asInt()));
                }
                return;
            }
            if (!row.hasNonNull("completed_at") || !row.hasNonNull("user_id")) {
                return;
            }
            out.collect(
                    new Usage(
                            row.get("id").asLong(),
                            row.get("user_id").asInt(),
                            row.get("content_id").asLong(),
                            Instant.parse(row.get("started_at").asText()).toEpochMilli(),
                            Instant.parse(row.get("completed_at").asText()).toEpochMilli(),
                            row.hasNonNull("content_type")
                                    ? row.get("content_type").asText()
                                    : null,
                            number(row, "effectiveness"),
                            number(row, "hr_change")));
        } catch (Exception e) {
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            "unreadable content usage change: " + e.getClass().getSimpleName(),
                            record,
                            System.currentTimeMillis()));
        }
    }

    /**
     * A numeric column as Debezium writes it (a number: the CDC service sets
     * decimal.handling.mode=double; a string is read too), else NaN.
     */
    private static double number(JsonNode row, String column) {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
    }

    /**
     * Event time of sessions for a job whose time the readings define: a session's completion, and
     * the stream goes idle a second after each event, so a session (which may be reported long
     * after it ended) never holds the join's time or its timers back.
     */
    public static WatermarkStrategy<Usage> completionTime(long maxOutOfOrdernessSeconds) {
        return WatermarkStrategy.<Usage>forBoundedOutOfOrderness(
                        Duration.ofSeconds(maxOutOfOrdernessSeconds))
                .withTimestampAssigner((u, ts) -> u.completedAt())
                .withIdleness(Duration.ofSeconds(1));
    }
}
