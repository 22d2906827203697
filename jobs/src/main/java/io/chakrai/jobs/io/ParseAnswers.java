package io.chakrai.jobs.io;

import io.chakrai.models.groups.GroupChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Change events of {@code stress_answers} → answers to learn from (new rows) and erasures (deleted rows, which carry
 * the person: the table's replica identity is full); updates change nothing (answers are final). Unreadable events to
 * {@link #DEAD_LETTERS}.
 */
public final class ParseAnswers extends ProcessFunction<RawRecord, Answer> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("answer-dead-letters") {
        private static final long serialVersionUID = 1L;
    };

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Answer> out) {
        try {
            Optional<GroupChanges.Change> c = GroupChanges.parse(record.value());
            if (c.isEmpty() || !(c.get().isInsert() || c.get().isDelete())) {
                return;
            }
            var row = c.get().row();
            if (row == null || !row.hasNonNull("user_id") || !row.hasNonNull("id")) {
                return;
            }
            boolean episode = "episode".equals(row.path("kind").asText());
            long minute = row.hasNonNull("minute_start") ? Instant.parse(row.get("minute_start").asText()).toEpochMilli() : 0;
            int label = Answer.label(row.hasNonNull("answer") ? row.get("answer").asText() : null,
                    row.hasNonNull("stress_level") ? row.get("stress_level").asInt() : null);
            out.collect(new Answer(row.get("id").asLong(), row.get("user_id").asInt(), minute, episode, label,
                    c.get().isDelete()));
        } catch (Exception e) {
            ctx.output(DEAD_LETTERS, new DeadLetter("unreadable stress answer change: " + e.getClass().getSimpleName(), record,
                    System.currentTimeMillis()));
        }
    }

    /**
     * Event time of answers in a job whose time the readings define: the minute spoken of, and the stream goes idle
     * a second after each answer, so answers (rare, and about the past) never hold the readings' watermark back.
     */
    public static WatermarkStrategy<Answer> minuteTime(long maxOutOfOrdernessSeconds) {
        return WatermarkStrategy.<Answer>forBoundedOutOfOrderness(Duration.ofSeconds(maxOutOfOrdernessSeconds))
                .withTimestampAssigner((a, ts) -> a.minuteStart()).withIdleness(Duration.ofSeconds(1));
    }
}
