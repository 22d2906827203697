package io.chakrai.jobs.io;

import io.chakrai.models.Topics;
import io.chakrai.models.groups.GroupChanges;
import io.chakrai.models.stress.StressAnswers;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Change events of {@code stress_answers} → answers to learn from (new rows) and erasures (deleted
 * rows, which carry the person: the table's replica identity is full); updates change nothing
 * (answers are final). Unreadable events to {@link #DEAD_LETTERS}.
 */
public final class ParseAnswers extends ProcessFunction<RawRecord, Answer> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("answer-dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    private final String erasuresTopic;

    /** Answers, and erasures from the default topic of {@code erased_users}. */
    public ParseAnswers() {
        this(Topics.ERASED_USERS);
    }

    /** Answers, and erasures: a new row of {@code erased_users} on {@code erasuresTopic}. */
    public ParseAnswers(String erasuresTopic) {
        this.erasuresTopic = erasuresTopic;
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Answer> out) {
        try {
            Optional<GroupChanges.Change> c = GroupChanges.parse(record.value());
            if (erasuresTopic.equals(record.topic())) {
                // a person erased, whether or not they ever answered: forget all of them
                // a new row, or one rewritten (V25 announces those erased before it was published)
                if (c.isPresent() && !c.get().isDelete() && c.get().row().hasNonNull("user_id")) {
                    out.collect(Answer.erasure(c.get().row().get("user_id").asInt()));
                }
                return;
            }
            if (c.isEmpty() || !(c.get().isInsert() || c.get().isDelete())) {
                return;
            }
            var row = c.get().row();
            if (row == null || !row.hasNonNull("user_id") || !row.hasNonNull("id")) {
                return;
            }
            boolean episode = "episode".equals(row.path("kind").asText());
            long minute =
                    row.hasNonNull("minute_start")
                            ? Instant.parse(row.get("minute_start").asText()).toEpochMilli()
                            : 0;
            int label =
                    StressAnswers.label(
                            row.hasNonNull("answer") ? row.get("answer").asText() : null,
                            row.hasNonNull("stress_level")
                                    ? row.get("stress_level").asInt()
                                    : null);
            out.collect(
                    new Answer(
                            row.get("id").asLong(),
                            row.get("user_id").asInt(),
                            minute,
                            episode,
                            label,
                            c.get().isDelete()));
        } catch (Exception e) {
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            "unreadable stress answer change: " + e.getClass().getSimpleName(),
                            record,
                            System.currentTimeMillis()));
        }
    }

    /**
     * Answers need no event time, and must not hold the minute operator's: its watermark is the
     * smaller of its two inputs', and an answer (about a minute in the past) would make this input
     * active again with an old watermark, freezing every person's minute closes on the subtask
     * until it idled. So this input never emits a watermark and declares itself idle at every
     * periodic emit; its records still flow (idleness only leaves the input out of the watermark),
     * stamped with the minute they speak of.
     */
    public static WatermarkStrategy<Answer> alwaysIdle() {
        return WatermarkStrategy.<Answer>forGenerator(
                        ctx ->
                                new WatermarkGenerator<>() {
                                    @Override
                                    public void onEvent(
                                            Answer a, long timestamp, WatermarkOutput out) {}

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput out) {
                                        out.markIdle();
                                    }
                                })
                .withTimestampAssigner((a, ts) -> a.minuteStart());
    }
}
