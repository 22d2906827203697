package io.chakrai.jobs.assessment;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.models.Json;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.readings.BiometricReading;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Re-assesses each person's mental-health risk whenever a day of their readings closes, with the
 * same scoring code as {@code POST /api/v2/prediction/assess}: readings → per person and UTC day,
 * the daily figures ({@link io.chakrai.models.analytics.DayFeatures}, keyed state) → when event
 * time passes the day's end plus a grace period, the last 14 days with the stress episodes,
 * carried-forward questionnaire answers and voice score from PostgreSQL → {@link RiskAssessment} →
 * one {@code mental_health_assessments} row per person, model version and day (trigger {@code
 * daily}, upserted).
 *
 * <p>Unbounded it runs beside the other jobs. {@code --bounded} reads the readings topic from its
 * start to its current end and finishes: a backfill, or a re-score of everyone when {@link
 * RiskAssessment#MODEL_VERSION} changes (the new version's rows sit beside the old one's). Its last
 * day may be partial; the running job overwrites it when that day closes.
 */
public final class RiskAssessmentJob {
    public static final String NAME = "chakrai-risk-assessment";

    /** The job's settings. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;

        @Mixin public SourceOptions source = new SourceOptions();

        @Option(names = "--group-id", defaultValue = "chakrai-risk")
        public String groupId;

        @Option(
                names = "--day-close-delay-min",
                defaultValue = "30",
                description =
                        "how long after midnight UTC (event time) a day is closed and assessed; readings for a "
                                + "closed day are dropped from its figures (they are still stored)")
        public int dayCloseDelayMinutes;

        @Option(
                names = "--bounded",
                description =
                        "assess every day on the topic now, then finish (backfill / re-score)")
        public boolean bounded;

        @Option(
                names = "--risk-model-name",
                defaultValue = RiskAssessment.LEARNED_MODEL,
                description =
                        "the registry name of the learned risk model: its production version is the champion "
                                + "(none: the rule), its challenger is shadowed; empty: the rule only (default: ${DEFAULT-VALUE})")
        public String riskModelName;

        @Option(
                names = "--model-refresh-s",
                defaultValue = "60",
                description =
                        "how often the job re-reads which versions are champion and challenger (default: ${DEFAULT-VALUE})")
        public long modelRefreshSeconds;

        /**
         * Which versions ran when the job was built, for the Flink UI's configuration tab (the
         * gauges say what runs now).
         */
        String champion = RiskAssessment.MODEL_VERSION;

        String challenger = "none";

        /**
         * Reads the registry once (best effort) so the submitted job's configuration names the
         * versions.
         */
        void atSubmit() {
            if (riskModelName == null || riskModelName.isBlank()) {
                return;
            }
            io.chakrai.models.ml.ModelRegistry r =
                    new io.chakrai.models.ml.ModelRegistry(source.dataSource());
            try {
                champion =
                        r.production(riskModelName)
                                .map(v -> RiskAssessment.versionOf(riskModelName, v))
                                .orElse(RiskAssessment.MODEL_VERSION);
                challenger =
                        r.challenger(riskModelName)
                                .map(v -> RiskAssessment.versionOf(riskModelName, v))
                                .orElse("none");
            } catch (java.sql.SQLException e) {
                champion = "unknown (registry unreadable at submit)";
            }
        }

        public String jobName() {
            return NAME + (bounded ? "-backfill" : "");
        }

        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>(source.describe());
            m.put("group.id", groupId);
            m.put("day.close.delay.min", Integer.toString(dayCloseDelayMinutes));
            m.put("bounded", Boolean.toString(bounded));
            m.put("rule.version", RiskAssessment.MODEL_VERSION);
            m.put("risk.model.name", riskModelName);
            m.put("risk.model.refresh.s", Long.toString(modelRefreshSeconds));
            m.put("risk.champion.at.submit", champion);
            m.put("risk.challenger.at.submit", challenger);
            return m;
        }
    }

    /**
     * A person's day just closed, with the figures of it and of the 13 days before it that had
     * readings: rows of {epochDay, sleepHours, steps, hrvMedian, restingHr} (NaN where unknown),
     * oldest first.
     */
    public record DayClosed(int userId, long epochDay, double[][] days) {}

    /**
     * One version's score of a person's day, with the features it was made from, as {@code
     * risk_scores} holds it.
     */
    public record Score(
            int userId,
            long epochDay,
            String modelVersion,
            String role,
            double score,
            String featuresJson) {}

    /** One assessment as the sink writes it. */
    public record Row(
            int userId,
            long epochDay,
            String modelVersion,
            String assessmentType,
            String riskLevel,
            double score,
            double confidence,
            String[] primaryRiskFactors,
            String[] protectiveFactors,
            boolean professionalEscalation,
            String contributionsJson) {
        public LocalDate day() {
            return LocalDate.ofEpochDay(epochDay);
        }
    }

    private RiskAssessmentJob() {}

    /**
     * The graph on any readings (Kafka in production, bounded input in tests): one assessed row per
     * person and day (the champion's), and every version's score of it on the side output {@link
     * #scores}.
     */
    public static SingleOutputStreamOperator<Row> build(
            DataStream<BiometricReading> readings, Options o) {
        return readings.keyBy(BiometricReading::userId)
                .process(new DailyFeaturesFunction(o.dayCloseDelayMinutes))
                .uid("risk-days")
                .name("daily figures per person")
                .process(
                        new AssessDay(
                                o.source.dbUrl,
                                o.source.dbUser,
                                o.source.dbPassword,
                                o.riskModelName,
                                o.modelRefreshSeconds))
                .uid("risk-assess")
                .name(
                        "assess: champion ("
                                + RiskAssessment.MODEL_VERSION
                                + " or production "
                                + o.riskModelName
                                + "), challenger shadowed");
    }

    /** Every version's score of each assessed day: the rule, the champion model, the challenger. */
    public static DataStream<Score> scores(SingleOutputStreamOperator<Row> assessed) {
        return assessed.getSideOutput(AssessDay.SCORES);
    }

    /**
     * The whole job from its options: the readings topic in, {@code mental_health_assessments} and
     * {@code risk_scores} out.
     */
    public static void buildFrom(StreamExecutionEnvironment env, Options o) {
        env.enableCheckpointing(o.source.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        env.getConfig()
                .setGlobalJobParameters(
                        Configuration.fromMap(
                                attach(
                                        ReadingsSource.parsed(
                                                env,
                                                o.source,
                                                o.groupId,
                                                o.bounded,
                                                "risk-source",
                                                "risk-parse",
                                                "risk"),
                                        o)));
    }

    /**
     * The graph with its sinks on readings parsed elsewhere (this job's own source, or the
     * analytics job's one source shared with the stress and content graphs). Returns what it runs
     * with (the registry's versions read now), for the Flink Web UI.
     */
    public static Map<String, String> attach(DataStream<BiometricReading> readings, Options o) {
        o.atSubmit();
        SingleOutputStreamOperator<Row> assessed = build(readings, o);
        assessed.sinkTo(sink(o)).uid("risk-sink").name("upsert → mental_health_assessments");
        scores(assessed)
                .sinkTo(scoreSink(o))
                .uid("risk-scores-sink")
                .name("upsert → risk_scores (rule, champion, challenger)");
        return o.describe();
    }

    static ResilientJdbcSink<Score> scoreSink(Options o) {
        return new ResilientJdbcSink<>(
                "risk_scores",
                o.source.dbUrl,
                o.source.dbUser,
                o.source.dbPassword,
                "INSERT INTO risk_scores (user_id, assessed_day, model_version, role, score, features, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (user_id, model_version, assessed_day) DO UPDATE SET "
                        + "role = EXCLUDED.role, score = EXCLUDED.score, features = EXCLUDED.features",
                (ps, s) -> {
                    ps.setInt(1, s.userId());
                    ps.setObject(2, LocalDate.ofEpochDay(s.epochDay()));
                    ps.setString(3, s.modelVersion());
                    ps.setString(4, s.role());
                    ps.setDouble(5, s.score());
                    ps.setString(6, s.featuresJson());
                    ps.setTimestamp(
                            7, Timestamp.from(Instant.ofEpochSecond((s.epochDay() + 1) * 86_400)));
                },
                500,
                500,
                RowDeadLetters.of(o.source, "risk_scores", Score::userId, Json::text));
    }

    static ResilientJdbcSink<Row> sink(Options o) {
        return new ResilientJdbcSink<>(
                "mental_health_assessments",
                o.source.dbUrl,
                o.source.dbUser,
                o.source.dbPassword,
                "INSERT INTO mental_health_assessments (user_id, assessment_type, risk_level, "
                        + "overall_risk_score, confidence, timeframe, primary_risk_factors, protective_factors, "
                        + "professional_escalation, model_version, trigger, assessed_day, contributions, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'daily', ?, ?::jsonb, ?) "
                        + "ON CONFLICT (user_id, model_version, assessed_day) WHERE trigger = 'daily' DO UPDATE SET "
                        + "assessment_type = EXCLUDED.assessment_type, risk_level = EXCLUDED.risk_level, "
                        + "overall_risk_score = EXCLUDED.overall_risk_score, confidence = EXCLUDED.confidence, "
                        + "primary_risk_factors = EXCLUDED.primary_risk_factors, protective_factors = EXCLUDED.protective_factors, "
                        + "professional_escalation = EXCLUDED.professional_escalation, contributions = EXCLUDED.contributions",
                (ps, r) -> {
                    ps.setInt(1, r.userId());
                    ps.setString(2, r.assessmentType());
                    ps.setString(3, r.riskLevel());
                    ps.setDouble(4, r.score());
                    ps.setDouble(5, r.confidence());
                    ps.setString(6, RiskAssessment.TIMEFRAME);
                    ps.setArray(
                            7, ps.getConnection().createArrayOf("text", r.primaryRiskFactors()));
                    ps.setArray(8, ps.getConnection().createArrayOf("text", r.protectiveFactors()));
                    ps.setBoolean(9, r.professionalEscalation());
                    ps.setString(10, r.modelVersion());
                    ps.setObject(11, r.day());
                    ps.setString(12, r.contributionsJson());
                    ps.setTimestamp(
                            13, Timestamp.from(Instant.ofEpochSecond((r.epochDay() + 1) * 86_400)));
                },
                500,
                500,
                RowDeadLetters.of(o.source, "mental_health_assessments", Row::userId, Json::text));
    }

    /**
     * {@code flink run -c io.chakrai.jobs.assessment.RiskAssessmentJob chakrai-jobs-job.jar
     * [--bounded]}.
     */
    public static void main(String[] args) throws Exception {
        Options o = new Options();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(o.jobName());
    }
}
