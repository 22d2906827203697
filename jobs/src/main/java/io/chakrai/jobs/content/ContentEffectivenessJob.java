package io.chakrai.jobs.content;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.ChangeSource;
import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.ParseUsage;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.jobs.io.Usage;
import io.chakrai.models.Topics;
import io.chakrai.models.readings.BiometricReading;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What content does to the body: completed sessions from the change stream of {@code
 * content_usage_tracking} joined, per person and in event time, with their heart rate and RMSSD
 * readings ({@link BeforeAndAfter}) → {@code hr_change}, {@code rmssd_change} and {@code
 * effectiveness} on the usage row: half from the body (calmer after than before), the rest from
 * completion, the mood change the person reported and their rating (each neutral when not given).
 * The library ranks by it. A session reported hours after it happened is measured from the stored
 * readings ({@link MeasureFromStore}).
 */
public final class ContentEffectivenessJob {
    public static final String NAME = "chakrai-content-effectiveness";

    private ContentEffectivenessJob() {}

    /** The job's settings. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;

        @Mixin public SourceOptions source = new SourceOptions();

        @Option(names = "--group-id", defaultValue = "chakrai-content-effectiveness")
        public String groupId;

        @Option(names = "--usage-topic", defaultValue = Topics.CONTENT_USAGE)
        public String usageTopic;

        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>(source.describe());
            m.put("group.id", groupId);
            m.put("usage.topic", usageTopic);
            return m;
        }
    }

    /** The graph on readings (parsed, with event time) and raw usage change records. */
    public static DataStream<Measured> build(
            DataStream<BiometricReading> readings,
            DataStream<RawRecord> usageChanges,
            Options o,
            Sink<Measured> sink,
            Sink<DeadLetter> deadLetters) {
        SingleOutputStreamOperator<Usage> usage =
                usageChanges
                        .process(new ParseUsage())
                        .uid("usage-parse")
                        .name("parse usage changes");
        usage.getSideOutput(ParseUsage.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid("usage-dead-letters")
                .name("dead letters → Kafka");
        DataStream<Usage> timed =
                usage.assignTimestampsAndWatermarks(
                                ParseUsage.completionTime(o.source.maxOutOfOrdernessSeconds))
                        .uid("usage-event-time")
                        .name("completion time");
        SingleOutputStreamOperator<Measured> measured =
                readings.keyBy(BiometricReading::userId)
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
        all.sinkTo(sink).uid("content-effectiveness-sink").name("update → content_usage_tracking");
        return all;
    }

    static final String UPDATE =
            "UPDATE content_usage_tracking SET hr_change = ?, rmssd_change = ?, measured_at = now(), "
                    + "effectiveness = round(least(1, greatest(0, 0.5 * ? + 0.2 * coalesce(completion_rate, 0.5) "
                    + "+ 0.2 * coalesce((CASE WHEN mood_before ~ '^[0-9]+$' AND mood_after ~ '^[0-9]+$' THEN (mood_after::int - mood_before::int + 9) / 18.0 END), 0.5) "
                    + "+ 0.1 * coalesce((user_rating - 1) / 4.0, 0.5)))::numeric, 2) WHERE id = ? AND user_id = ?";

    public static ResilientJdbcSink<Measured> sink(SourceOptions s) {
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

    public static void buildFrom(StreamExecutionEnvironment env, Options o) {
        o.source.checkpointing(env);
        DataStream<BiometricReading> readings =
                ReadingsSource.parsed(
                        env,
                        o.source,
                        o.groupId,
                        false,
                        "content-readings-source",
                        "content-readings-parse",
                        "content effectiveness");
        env.getConfig()
                .setGlobalJobParameters(
                        Configuration.fromMap(attach(env, readings, o, o.groupId + "-usage")));
    }

    /**
     * The graph with its sinks on readings parsed elsewhere (this job's own source, or the
     * analytics job's one source shared with the stress and risk graphs), content usage read as
     * consumer group {@code usageGroup}. Returns what it runs with, for the Flink Web UI.
     */
    public static Map<String, String> attach(
            StreamExecutionEnvironment env,
            DataStream<BiometricReading> readings,
            Options o,
            String usageGroup) {
        KafkaSource<RawRecord> usage = ChangeSource.kafka(o.source, o.usageTopic, usageGroup);
        build(
                readings,
                env.fromSource(usage, WatermarkStrategy.noWatermarks(), o.usageTopic)
                        .uid("usage-source"),
                o,
                sink(o.source),
                DeadLetter.topicSink(o.source));
        return o.describe();
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(NAME);
    }
}
