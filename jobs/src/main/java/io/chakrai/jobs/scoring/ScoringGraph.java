package io.chakrai.jobs.scoring;

import io.chakrai.jobs.config.ScoringOptions;
import io.chakrai.jobs.io.PersonalScore;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.models.Json;
import io.chakrai.models.ml.MinuteFeatureVector;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.RunningStandardiser;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * A data scientist's model on the readings: per person and one-minute event-time window, the
 * features the model was trained on (heart-rate mean and SD, RMSSD), scored by the registered model
 * version loaded in {@code open()}, into {@code model_scores} marked with that version. Run as
 * {@link ModelScoringJob}.
 */
public final class ScoringGraph {

    /** One person's minute as the model sees it. */
    public record Window(int userId, long start, double[] features) {}

    /** A probability for one person's minute. */
    public record Score(int userId, long windowStart, double probability) {}

    private ScoringGraph() {}

    /** Where scores go (injected, so a test can collect them). */
    public record Sinks(Sink<Score> scores) {
        /** {@code model_scores}. */
        public static Sinks of(ScoringOptions o) {
            return new Sinks(sink(o));
        }
    }

    /**
     * Wires the graph on any readings (Kafka in production, bounded input in tests); returns a
     * probability per person-minute, as the sink gets it.
     */
    public static DataStream<Score> attach(
            DataStream<BiometricReading> readings, ScoringOptions o, Sinks sinks) {
        DataStream<Score> scores =
                readings.filter(
                                r ->
                                        DataType.HEART_RATE.is(r.dataType())
                                                || DataType.HRV.is(r.dataType()))
                        .keyBy(BiometricReading::userId)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .process(new MinuteFeatures())
                        .uid("scoring-features")
                        .name("minute features")
                        .keyBy(Window::userId)
                        .process(new ScoreWithModel(o))
                        .uid("scoring-model")
                        .name("score with " + o.modelName + " v" + o.modelVersion);
        scores.sinkTo(sinks.scores()).uid("scoring-sink").name("upsert → model_scores");
        return scores;
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
        private final ScoringOptions o;
        private transient TrainedModel model;
        private transient ValueState<RunningStandardiser> baseline;

        ScoreWithModel(ScoringOptions o) {
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

    static ResilientJdbcSink<Score> sink(ScoringOptions o) {
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
}
