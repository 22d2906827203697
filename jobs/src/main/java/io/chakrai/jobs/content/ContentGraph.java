package io.chakrai.jobs.content;

import io.chakrai.jobs.config.ContentOptions;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.ChangeSource;
import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.ParseUsage;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.jobs.io.Usage;
import io.chakrai.models.readings.BiometricReading;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What content does to the body: completed sessions from the change stream of {@code
 * content_usage_tracking} joined, per person and in event time, with their heart rate and RMSSD
 * readings ({@link BeforeAndAfter}) → {@code hr_change}, {@code rmssd_change} and {@code
 * effectiveness} on the usage row: half from the body (calmer after than before), the rest from
 * completion, the mood change the person reported and their rating (each neutral when not given).
 * The library ranks by it. A session reported hours after it happened is measured from the stored
 * readings ({@link MeasureFromStore}). A graph, run inside the analytics job ({@link
 * io.chakrai.jobs.analytics.AnalyticsJob}).
 */
public final class ContentGraph {
    private ContentGraph() {}

    /** What the graph reads: readings (parsed, with event time) and raw usage change records. */
    public record Inputs(
            DataStream<BiometricReading> readings, DataStream<RawRecord> usageChanges) {
        /**
         * {@code readings} with the change stream of {@code content_usage_tracking}, read as
         * consumer group {@code usageGroup}.
         */
        public static Inputs fromKafka(
                StreamExecutionEnvironment env,
                DataStream<BiometricReading> readings,
                ContentOptions o,
                String usageGroup) {
            KafkaSource<RawRecord> usage = ChangeSource.kafka(o.source, o.usageTopic, usageGroup);
            return new Inputs(
                    readings,
                    env.fromSource(usage, WatermarkStrategy.noWatermarks(), o.usageTopic)
                            .uid("usage-source"));
        }
    }

    /** Where measured sessions and unreadable changes go (injected, so a test can collect them). */
    public record Sinks(Sink<Measured> measured, Sink<DeadLetter> deadLetters) {
        /** {@code content_usage_tracking} and the dead-letter topic. */
        public static Sinks of(ContentOptions o) {
            return new Sinks(sink(o.source), DeadLetter.topicSink(o.source));
        }
    }

    /** Wires the graph on {@code in}; returns each session measured, as the sink gets it. */
    public static DataStream<Measured> attach(Inputs in, ContentOptions o, Sinks sinks) {
        SingleOutputStreamOperator<Usage> usage =
                in.usageChanges()
                        .process(new ParseUsage())
                        .uid("usage-parse")
                        .name("parse usage changes");
        usage.getSideOutput(ParseUsage.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid("usage-dead-letters")
                .name("dead letters → Kafka");
        DataStream<Usage> timed =
                usage.assignTimestampsAndWatermarks(
                                ParseUsage.completionTime(o.source.maxOutOfOrdernessSeconds))
                        .uid("usage-event-time")
                        .name("completion time");
        SingleOutputStreamOperator<Measured> measured =
                in.readings()
                        .keyBy(BiometricReading::userId)
                        .connect(timed.keyBy(Usage::userId))
                        .process(new BeforeAndAfter())
                        .uid("content-before-after")
                        .name("heart rate and RMSSD before / after");
        DataStream<Measured> late =
                measured.getSideOutput(BeforeAndAfter.LATE)
                        .keyBy(Usage::userId)
                        .process(new MeasureFromStore(o.source))
                        .uid("content-late-sessions")
                        .name("late sessions: stored readings before / after");
        DataStream<Measured> all = measured.union(late);
        all.sinkTo(sinks.measured())
                .uid("content-effectiveness-sink")
                .name("update → content_usage_tracking");
        return all;
    }

    static final String UPDATE =
            "UPDATE content_usage_tracking SET hr_change = ?, rmssd_change = ?, measured_at = now(), "
                    + "effectiveness = round(least(1, greatest(0, 0.5 * ? + 0.2 * coalesce(completion_rate, 0.5) "
                    + "+ 0.2 * coalesce((CASE WHEN mood_before ~ '^[0-9]+$' AND mood_after ~ '^[0-9]+$' THEN (mood_after::int - mood_before::int + 9) / 18.0 END), 0.5) "
                    + "+ 0.1 * coalesce((user_rating - 1) / 4.0, 0.5)))::numeric, 2) WHERE id = ? AND user_id = ?";

    static ResilientJdbcSink<Measured> sink(SourceOptions s) {
        return new ResilientJdbcSink<>(
                "content_usage_tracking",
                s.dbUrl,
                s.dbUser,
                s.dbPassword,
                UPDATE,
                (ps, m) -> {
                    ps.setDouble(1, m.hrChange());
                    ps.setDouble(2, m.rmssdChange());
                    ps.setDouble(3, m.body());
                    ps.setLong(4, m.usageId());
                    ps.setInt(5, m.userId());
                },
                100,
                200,
                RowDeadLetters.of(
                        s, "content_usage_tracking", Measured::userId, Measured::toString));
    }
}
