package io.chakrai.jobs.scoring;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.PersonalScore;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.models.Json;
import io.chakrai.models.ml.MinuteFeatureVector;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.RunningStandardiser;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A data scientist's model as a Flink job: per person and one-minute event-time window, the
 * features the model was trained on (heart-rate mean and SD, RMSSD), scored by the registered model
 * version loaded in {@code open()}, into {@code model_scores} marked with that version. Unbounded
 * it scores new readings as they come; {@code --bounded} reads the topic up to its current end and
 * finishes (a backfill that re-scores everyone with a new version). Submitted with {@code chakrai
 * deploy-job}.
 */
public final class ModelScoringJob {
    public static final String NAME_PREFIX = "chakrai-model-";

    /** The job's settings. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;

        @Mixin public SourceOptions source = new SourceOptions();

        @Option(names = "--model-name", required = true)
        public String modelName;

        @Option(names = "--model-version", required = true)
        public int modelVersion;

        @Option(
                names = "--bounded",
                description = "score what is on the topic now, then finish (backfill)")
        public boolean bounded;

        public String jobName() {
            return NAME_PREFIX + modelName + "-v" + modelVersion + (bounded ? "-backfill" : "");
        }
    }

    /** One person's minute as the model sees it. */
    public record Window(int userId, long start, double[] features) {}

    /** A probability for one person's minute. */
    public record Score(int userId, long windowStart, double probability) {}

    private ModelScoringJob() {}

    /**
     * The graph on any readings (Kafka in production, bounded input in tests): a probability per
     * person-minute.
     */
    public static DataStream<Score> build(DataStream<BiometricReading> readings, Options o) {
        return readings.filter(
                        r -> DataType.HEART_RATE.is(r.dataType()) || DataType.HRV.is(r.dataType()))
                .keyBy(BiometricReading::userId)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .process(new MinuteFeatures())
                .uid("scoring-features")
                .name("minute features")
                .keyBy(Window::userId)
                .process(new ScoreWithModel(o))
                .uid("scoring-model")
                .name("score with " + o.modelName + " v" + o.modelVersion);
    }

    /** The whole job from its options: the readings topic in, {@code model_scores} out. */
    public static void buildFrom(StreamExecutionEnvironment env, Options o) {
        env.enableCheckpointing(o.source.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        Map<String, String> params = new LinkedHashMap<>(o.source.describe());
        params.put("model.name", o.modelName);
        params.put("model.version", Integer.toString(o.modelVersion));
        params.put("bounded", Boolean.toString(o.bounded));
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(params));
        build(
                        ReadingsSource.parsed(
                                env,
                                o.source,
                                "chakrai-scoring-" + o.modelName + "-" + o.modelVersion,
                                o.bounded,
                                "scoring-source",
                                "scoring-parse",
                                "scoring"),
                        o)
                .sinkTo(sink(o))
                .uid("scoring-sink")
                .name("upsert → model_scores");
    }

    /** hr_mean, hr_std (bpm) and rmssd (ms) of one person's minute. */
    static final class MinuteFeatures
            extends ProcessWindowFunction<BiometricReading, Window, Integer, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                Integer user, Context ctx, Iterable<BiometricReading> in, Collector<Window> out) {
            MinuteFeatureVector.of(in)
                    .ifPresent(v -> out.collect(new Window(user, ctx.window().getStart(), v)));
        }
    }

    /**
     * Loads the registered version once per task and fails fast if it is missing or its features do
     * not fit. A model trained on per-person running z-scores gets each person's minutes
     * standardised the same way, against that person's statistics so far, kept in keyed state.
     */
    static final class ScoreWithModel extends KeyedProcessFunction<Integer, Window, Score> {
        private static final long serialVersionUID = 1L;
        static final List<String> FEATURES = MinuteFeatureVector.NAMES;
        private final Options o;
        private transient TrainedModel model;
        private transient ValueState<RunningStandardiser> baseline;

        ScoreWithModel(Options o) {
            this.o = o;
        }

        @Override
        public void open(OpenContext ctx) throws Exception {
            model = new ModelRegistry(o.source.dataSource()).load(o.modelName, o.modelVersion);
            if (!model.features().equals(FEATURES)) {
                throw new IllegalStateException(
                        o.modelName
                                + " v"
                                + o.modelVersion
                                + " expects "
                                + model.features()
                                + "; this job computes "
                                + FEATURES);
            }
            baseline =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "person-feature-stats", RunningStandardiser.class));
        }

        @Override
        public void processElement(Window w, Context ctx, Collector<Score> out) throws Exception {
            out.collect(
                    new Score(
                            w.userId(),
                            w.start(),
                            PersonalScore.probability(model, baseline, w.features())));
        }
    }

    static ResilientJdbcSink<Score> sink(Options o) {
        return new ResilientJdbcSink<>(
                "model_scores",
                o.source.dbUrl,
                o.source.dbUser,
                o.source.dbPassword,
                "INSERT INTO model_scores (user_id, model_name, model_version, window_start, probability) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, model_name, model_version, window_start) "
                        + "DO UPDATE SET probability = EXCLUDED.probability",
                (ps, s) -> {
                    ps.setInt(1, s.userId());
                    ps.setString(2, o.modelName);
                    ps.setInt(3, o.modelVersion);
                    ps.setTimestamp(4, Timestamp.from(Instant.ofEpochMilli(s.windowStart())));
                    ps.setDouble(5, Math.round(s.probability() * 10_000) / 10_000.0);
                },
                1_000,
                200,
                RowDeadLetters.of(o.source, "model_scores", Score::userId, Json::text));
    }

    /**
     * {@code flink run -c io.chakrai.jobs.scoring.ModelScoringJob chakrai-jobs-job.jar --model-name
     * … --model-version …}.
     */
    public static void main(String[] args) throws Exception {
        Options o = new Options();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(o.jobName());
    }
}
