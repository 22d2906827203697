package io.chakrai.jobs.stress;

import io.chakrai.jobs.config.StressJobConfig;
import io.chakrai.jobs.io.Answer;
import io.chakrai.jobs.io.ChangeSource;
import io.chakrai.jobs.io.ParseAnswers;
import io.chakrai.jobs.io.ParseUsage;
import io.chakrai.jobs.io.PredictionSinks;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.io.Usage;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.cep.CEP;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Stress episodes as they form: readings → per-person minutes judged against the personal baseline
 * (keyed state) → CEP pattern of consecutive stress minutes → predictions (with interventions, rate
 * limited, offering what measurably helped the person: content sessions' effect from the change
 * stream) into {@code health_predictions} and onto topic {@code predictions}; outcomes filled in
 * when each prediction's target time passes; a daily {@code mood_decline}.
 */
public final class StressEpisodeJob {
    private static final Logger LOG = LoggerFactory.getLogger(StressEpisodeJob.class);
    public static final String NAME = "chakrai-stress-episodes";

    private StressEpisodeJob() {}

    /** The sinks the graph writes to (injected, so a test can collect them). */
    public record Sinks(Sink<Prediction> predictionsTable, Sink<Prediction> predictionsTopic) {}

    /**
     * Wires the graph on a stream of readings already parsed and timestamped, without content
     * history.
     */
    public static DataStream<Prediction> build(
            DataStream<BiometricReading> readings, EpisodeThresholds t, Sinks sinks) {
        return build(readings, null, null, t, 0, null, sinks);
    }

    /**
     * Wires the graph; with {@code usage} (content sessions and their measured effect,
     * timestamped), an intervention offers what measurably helped the person, trying the
     * least-tried kind in a share {@code explore} of offers; with {@code answers} (what people said
     * of their stress, timestamped) each person's own model learns from them.
     */
    public static DataStream<Prediction> build(
            DataStream<BiometricReading> readings,
            DataStream<Usage> usage,
            DataStream<Answer> answers,
            EpisodeThresholds t,
            double explore,
            MinuteModel model,
            Sinks sinks) {
        // without an answers stream the minute operator still has its second input, one that never
        // carries anything
        DataStream<Answer> said =
                answers != null
                        ? answers
                        : readings.flatMap(
                                        (BiometricReading r,
                                                org.apache.flink.util.Collector<Answer> out) -> {})
                                .returns(Answer.class)
                                .name("no answers");
        SingleOutputStreamOperator<MinuteEvaluation> minutes =
                readings.keyBy(BiometricReading::userId)
                        .connect(said.keyBy(Answer::userId))
                        .process(new MinuteFunction(t, model))
                        .uid("stress-minutes")
                        .name(
                                model == null
                                        ? "minutes vs personal baseline (rule)"
                                        : "minutes vs personal baseline (" + model.label() + ")");
        // MinuteFunction already puts each person's minutes in event-time order (late readings are
        // left out there), so the pattern can match minutes as they come instead of waiting for
        // the watermark: an episode is reported as soon as its last minute closes, and a phone
        // that syncs hours of readings at once still has its episodes found.
        DataStream<Onset> onsets = onsets(minutes, t, "stress-pattern", "");
        if (usage != null) {
            onsets =
                    onsets.keyBy(Onset::userId)
                            .connect(usage.keyBy(Usage::userId))
                            .process(new ChooseIntervention(explore))
                            .uid("intervention-choice")
                            .name("what helped this person (content effectiveness)");
        }
        SingleOutputStreamOperator<Prediction> predictions =
                tracked(
                        minutes,
                        onsets,
                        t,
                        "episode-tracker",
                        "episodes → predictions, interventions, outcomes");
        // an import behind a person's live minutes, judged in the minute operator's history lane:
        // a pattern and a tracker of its own, so a past episode never joins or ends a live one
        // (and offers nothing: its minutes are history)
        DataStream<MinuteEvaluation> past = minutes.getSideOutput(MinuteFunction.HISTORY_LANE);
        SingleOutputStreamOperator<Prediction> pastPredictions =
                tracked(
                        past,
                        onsets(past, t, "stress-pattern-history", " (imported history)"),
                        t,
                        "episode-tracker-history",
                        "episodes → predictions, outcomes (imported history)");
        DataStream<Prediction> all =
                predictions.union(minutes.getSideOutput(MinuteFunction.MOOD), pastPredictions);
        // predictions and, later, the same predictions with their outcome go through one upsert, so
        // the order they reach PostgreSQL in does not matter
        all.union(
                        predictions.getSideOutput(EpisodeTracker.OUTCOMES),
                        pastPredictions.getSideOutput(EpisodeTracker.OUTCOMES))
                .sinkTo(sinks.predictionsTable())
                .uid("predictions-jdbc-sink")
                .name("upsert → health_predictions");
        all.sinkTo(sinks.predictionsTopic())
                .uid("predictions-kafka-sink")
                .name("predictions → Kafka");
        return all;
    }

    /** The pattern of consecutive stress minutes over one lane's minutes, as onsets. */
    private static DataStream<Onset> onsets(
            DataStream<MinuteEvaluation> minutes, EpisodeThresholds t, String uid, String lane) {
        return CEP.pattern(
                        minutes.keyBy(MinuteEvaluation::userId), EpisodePatterns.stressEpisode(t))
                .inProcessingTime()
                .process(new ToOnset())
                .uid(uid)
                .name("CEP: consecutive stress minutes" + lane);
    }

    /** One lane's minutes and onsets into predictions, with their outcomes on a side output. */
    private static SingleOutputStreamOperator<Prediction> tracked(
            DataStream<MinuteEvaluation> minutes,
            DataStream<Onset> onsets,
            EpisodeThresholds t,
            String uid,
            String name) {
        return minutes.connect(onsets)
                .keyBy(MinuteEvaluation::userId, Onset::userId)
                .process(new EpisodeTracker(t))
                .uid(uid)
                .name(name);
    }

    /** The whole job from a config on its own: Kafka readings in; PostgreSQL and Kafka out. */
    public static void buildFrom(StreamExecutionEnvironment env, StressJobConfig cfg) {
        cfg.source.checkpointing(env);
        env.getConfig()
                .setGlobalJobParameters(
                        Configuration.fromMap(
                                attach(
                                        env,
                                        readings(env, cfg, cfg.groupId, false),
                                        cfg,
                                        cfg.groupId + "-usage")));
    }

    /**
     * The graph with its sinks on readings parsed elsewhere (this job's own source, or the
     * analytics job's one source shared with the risk and content graphs), content usage read as
     * consumer group {@code usageGroup}. Returns what it runs with, for the Flink Web UI.
     */
    public static Map<String, String> attach(
            StreamExecutionEnvironment env,
            DataStream<BiometricReading> readings,
            StressJobConfig cfg,
            String usageGroup) {
        if (!(cfg.explore >= 0 && cfg.explore <= 1)) {
            throw new IllegalArgumentException(
                    "--explore must be between 0 and 1, not " + cfg.explore);
        }
        MinuteModel model = MinuteModel.resolve(cfg).orElse(null);
        Map<String, String> params = new LinkedHashMap<>(cfg.describe());
        params.put(
                "stress.detector",
                model == null
                        ? "rule (heart rate / HRV vs personal baseline)"
                        : "model " + model.label());
        build(
                readings,
                usage(env, cfg, usageGroup, false),
                answers(env, cfg, cfg.groupId + "-answers", false),
                cfg.thresholds(),
                cfg.explore,
                model,
                new Sinks(
                        PredictionSinks.predictionsTable(cfg.source),
                        PredictionSinks.topic(cfg.source.kafkaBootstrap, cfg.predictionsTopic)));
        return params;
    }

    /**
     * The job's graph over what its topics hold now, bounded and without sinks: an undisturbed run
     * to hold the running job's predictions against (the failover test). Returns the predictions as
     * the job would emit them.
     */
    public static DataStream<Prediction> replay(
            StreamExecutionEnvironment env, StressJobConfig cfg, String groupId) {
        return build(
                readings(env, cfg, groupId, true),
                usage(env, cfg, groupId + "-usage", true),
                answers(env, cfg, groupId + "-answers", true),
                cfg.thresholds(),
                cfg.explore,
                MinuteModel.resolve(cfg).orElse(null),
                new Sinks(new DiscardingSink<>(), new DiscardingSink<>()));
    }

    private static DataStream<BiometricReading> readings(
            StreamExecutionEnvironment env, StressJobConfig cfg, String groupId, boolean bounded) {
        // invalid records are dropped here: the ingestion job dead-letters them
        return ReadingsSource.parsed(
                env, cfg.source, groupId, bounded, "stress-source", "stress-parse", "stress");
    }

    /** Content sessions and their measured effect, from the change stream. */
    private static DataStream<Usage> usage(
            StreamExecutionEnvironment env, StressJobConfig cfg, String groupId, boolean bounded) {
        return env.fromSource(
                        ChangeSource.kafka(cfg.source, cfg.usageTopic, groupId, bounded),
                        WatermarkStrategy.noWatermarks(),
                        cfg.usageTopic)
                .uid("stress-usage-source")
                .process(new ParseUsage())
                .uid("stress-usage-parse")
                .name("parse usage changes")
                .assignTimestampsAndWatermarks(
                        ParseUsage.completionTime(cfg.source.maxOutOfOrdernessSeconds))
                .uid("stress-usage-event-time")
                .name("completion time");
    }

    /** What people said of their stress, from the change stream. */
    private static DataStream<Answer> answers(
            StreamExecutionEnvironment env, StressJobConfig cfg, String groupId, boolean bounded) {
        return env.fromSource(
                        ChangeSource.kafka(
                                cfg.source,
                                List.of(cfg.answersTopic, cfg.erasuresTopic),
                                groupId,
                                bounded),
                        WatermarkStrategy.noWatermarks(),
                        cfg.answersTopic + " + " + cfg.erasuresTopic)
                .uid("stress-answers-source")
                .process(new ParseAnswers(cfg.erasuresTopic))
                .uid("stress-answers-parse")
                .name("parse answers")
                .assignTimestampsAndWatermarks(ParseAnswers.alwaysIdle())
                .uid("stress-answers-event-time")
                .name("answers: no event time of their own");
    }

    public static void main(String[] args) throws Exception {
        StressJobConfig cfg = new StressJobConfig();
        new CommandLine(cfg).parseArgs(args);
        LOG.info("starting {} with {}", NAME, cfg.describe());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, cfg);
        env.execute(NAME);
    }
}
