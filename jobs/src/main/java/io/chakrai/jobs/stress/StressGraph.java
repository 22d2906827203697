package io.chakrai.jobs.stress;

import io.chakrai.jobs.config.StressOptions;
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
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Stress episodes as they form: readings → per-person minutes judged against the personal baseline
 * (keyed state) → CEP pattern of consecutive stress minutes → predictions (with interventions, rate
 * limited, offering what measurably helped the person: content sessions' effect from the change
 * stream) into {@code health_predictions} and onto topic {@code predictions}; outcomes filled in
 * when each prediction's target time passes; a daily {@code mood_decline}. A graph, run inside the
 * analytics job ({@link io.chakrai.jobs.analytics.AnalyticsJob}).
 */
public final class StressGraph {
    private StressGraph() {}

    /**
     * What the graph reads: readings already parsed and timestamped; content sessions and their
     * measured effect (timestamped), so an intervention offers what measurably helped the person
     * (null: no content history); what people said of their stress (timestamped), which each
     * person's own model learns from (null: no answers).
     */
    public record Inputs(
            DataStream<BiometricReading> readings,
            DataStream<Usage> usage,
            DataStream<Answer> answers) {
        /** Readings alone: no content history, no answers. */
        public static Inputs readings(DataStream<BiometricReading> readings) {
            return new Inputs(readings, null, null);
        }

        /**
         * The graph on a readings source of its own: readings, content usage and answers from
         * Kafka, read as consumer groups {@code groupId}, {@code <groupId>-usage} and {@code
         * <groupId>-answers}; {@code bounded}: what the topics hold now, then finish.
         */
        public static Inputs ownSource(
                StreamExecutionEnvironment env, StressOptions o, String groupId, boolean bounded) {
            return fromKafka(
                    env,
                    ReadingsSource.parsed(
                            env,
                            o.source,
                            groupId,
                            bounded,
                            "stress-source",
                            "stress-parse",
                            "stress"),
                    o,
                    groupId + "-usage",
                    groupId + "-answers",
                    bounded);
        }

        /**
         * {@code readings} with content usage and answers from their change streams, read as
         * consumer groups {@code usageGroup} and {@code answersGroup}; {@code bounded}: what the
         * topics hold now, then finish.
         */
        public static Inputs fromKafka(
                StreamExecutionEnvironment env,
                DataStream<BiometricReading> readings,
                StressOptions o,
                String usageGroup,
                String answersGroup,
                boolean bounded) {
            return new Inputs(
                    readings,
                    usageChanges(env, o, usageGroup, bounded),
                    answerChanges(env, o, answersGroup, bounded));
        }
    }

    /** Where predictions go (injected, so a test can collect them). */
    public record Sinks(Sink<Prediction> predictionsTable, Sink<Prediction> predictionsTopic) {
        /** {@code health_predictions} and the predictions topic. */
        public static Sinks of(StressOptions o) {
            return new Sinks(
                    PredictionSinks.predictionsTable(o.source),
                    PredictionSinks.topic(o.source.kafkaBootstrap, o.predictionsTopic));
        }

        /** Nowhere: a replay, a test that collects the returned stream. */
        public static Sinks discarding() {
            return new Sinks(new DiscardingSink<>(), new DiscardingSink<>());
        }
    }

    /**
     * Wires the graph on {@code in} with {@code o}'s thresholds, exploration share and detector
     * (the registered per-minute model, resolved now, or the rule; named in {@code o.describe()}
     * for the Flink UI); returns every prediction as the sinks get it (outcomes aside).
     */
    public static DataStream<Prediction> attach(Inputs in, StressOptions o, Sinks sinks) {
        if (!(o.explore >= 0 && o.explore <= 1)) {
            throw new IllegalArgumentException(
                    "--explore must be between 0 and 1, not " + o.explore);
        }
        MinuteModel model = MinuteModel.resolve(o).orElse(null);
        o.detector =
                model == null
                        ? "rule (heart rate / HRV vs personal baseline)"
                        : "model " + model.label();
        EpisodeThresholds t = o.thresholds();
        DataStream<BiometricReading> readings = in.readings();
        // without an answers stream the minute operator still has its second input, one that never
        // carries anything
        DataStream<Answer> said =
                in.answers() != null
                        ? in.answers()
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
        if (in.usage() != null) {
            onsets =
                    onsets.keyBy(Onset::userId)
                            .connect(in.usage().keyBy(Usage::userId))
                            .process(new ChooseIntervention(o.explore))
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

    /**
     * The graph over what its topics hold now, bounded and without sinks: an undisturbed run to
     * hold the running job's predictions against (the failover test). Returns the predictions as
     * the job would emit them.
     */
    public static DataStream<Prediction> replay(
            StreamExecutionEnvironment env, StressOptions o, String groupId) {
        return attach(Inputs.ownSource(env, o, groupId, true), o, Sinks.discarding());
    }

    /** Content sessions and their measured effect, from the change stream. */
    private static DataStream<Usage> usageChanges(
            StreamExecutionEnvironment env, StressOptions o, String groupId, boolean bounded) {
        return env.fromSource(
                        ChangeSource.kafka(o.source, o.usageTopic, groupId, bounded),
                        WatermarkStrategy.noWatermarks(),
                        o.usageTopic)
                .uid("stress-usage-source")
                .process(new ParseUsage())
                .uid("stress-usage-parse")
                .name("parse usage changes")
                .assignTimestampsAndWatermarks(
                        ParseUsage.completionTime(o.source.maxOutOfOrdernessSeconds))
                .uid("stress-usage-event-time")
                .name("completion time");
    }

    /** What people said of their stress, from the change stream. */
    private static DataStream<Answer> answerChanges(
            StreamExecutionEnvironment env, StressOptions o, String groupId, boolean bounded) {
        return env.fromSource(
                        ChangeSource.kafka(
                                o.source,
                                List.of(o.answersTopic, o.erasuresTopic),
                                groupId,
                                bounded),
                        WatermarkStrategy.noWatermarks(),
                        o.answersTopic + " + " + o.erasuresTopic)
                .uid("stress-answers-source")
                .process(new ParseAnswers(o.erasuresTopic))
                .uid("stress-answers-parse")
                .name("parse answers")
                .assignTimestampsAndWatermarks(ParseAnswers.alwaysIdle())
                .uid("stress-answers-event-time")
                .name("answers: no event time of their own");
    }
}
