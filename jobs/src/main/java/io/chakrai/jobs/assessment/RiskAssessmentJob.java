package io.chakrai.jobs.assessment;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.Json;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Re-assesses each person's mental-health risk whenever a day of their readings closes, with the same
 * scoring code as {@code POST /api/v2/prediction/assess}: readings → per person and UTC day, the daily
 * figures ({@link io.chakrai.models.analytics.DayFeatures}, keyed state) → when event time passes the day's
 * end plus a grace period, the last 14 days with the stress episodes, carried-forward questionnaire
 * answers and voice score from PostgreSQL → {@link RiskAssessment} → one {@code mental_health_assessments}
 * row per person, model version and day (trigger {@code daily}, upserted).
 *
 * <p>Unbounded it runs beside the other jobs. {@code --bounded} reads the readings topic from its start to
 * its current end and finishes: a backfill, or a re-score of everyone when {@link RiskAssessment#MODEL_VERSION}
 * changes (the new version's rows sit beside the old one's). Its last day may be partial; the running job
 * overwrites it when that day closes.
 */
public final class RiskAssessmentJob {
    public static final String NAME = "chakrai-risk-assessment";

    /** The job's settings. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;

        @Mixin
        public SourceOptions source = new SourceOptions();

        @Option(names = "--group-id", defaultValue = "chakrai-risk")
        public String groupId;

        @Option(names = "--day-close-delay-min", defaultValue = "30",
                description = "how long after midnight UTC (event time) a day is closed and assessed; readings for a "
                        + "closed day are dropped from its figures (they are still stored)")
        public int dayCloseDelayMinutes;

        @Option(names = "--bounded", description = "assess every day on the topic now, then finish (backfill / re-score)")
        public boolean bounded;

        public String jobName() {
            return NAME + (bounded ? "-backfill" : "");
        }

        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>(source.describe());
            m.put("group.id", groupId);
            m.put("day.close.delay.min", Integer.toString(dayCloseDelayMinutes));
            m.put("bounded", Boolean.toString(bounded));
            m.put("model.version", RiskAssessment.MODEL_VERSION);
            return m;
        }
    }

    /**
     * A person's day just closed, with the figures of it and of the 13 days before it that had readings:
     * rows of {epochDay, sleepHours, steps, hrvMedian, restingHr} (NaN where unknown), oldest first.
     */
    public record DayClosed(int userId, long epochDay, double[][] days) {
    }

    /** One assessment as the sink writes it. */
    public record Row(int userId, long epochDay, String assessmentType, String riskLevel, double score,
                      double confidence, String[] primaryRiskFactors, String[] protectiveFactors,
                      boolean professionalEscalation, String contributionsJson) {
        public LocalDate day() {
            return LocalDate.ofEpochDay(epochDay);
        }
    }

    private RiskAssessmentJob() {
    }

    /** The graph on any readings (Kafka in production, bounded input in tests): one assessed row per person and day. */
    public static DataStream<Row> build(DataStream<BiometricReading> readings, Options o) {
        return readings
                .keyBy(BiometricReading::userId)
                .process(new DailyFeaturesFunction(o.dayCloseDelayMinutes)).uid("risk-days").name("daily figures per person")
                .map(new AssessDay(o.source.dbUrl, o.source.dbUser, o.source.dbPassword)).uid("risk-assess")
                .name("assess (" + RiskAssessment.MODEL_VERSION + ")");
    }

    /** The whole job from its options: the readings topic in, {@code mental_health_assessments} out. */
    public static void buildFrom(StreamExecutionEnvironment env, Options o) {
        env.enableCheckpointing(o.source.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(o.describe()));
        build(ReadingsSource.parsed(env, o.source, o.groupId, o.bounded, "risk-source", "risk-parse", "risk"), o)
                .sinkTo(sink(o)).uid("risk-sink").name("upsert → mental_health_assessments");
    }

    static ResilientJdbcSink<Row> sink(Options o) {
        return new ResilientJdbcSink<>("mental_health_assessments", o.source.dbUrl, o.source.dbUser, o.source.dbPassword,
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
                            ps.setArray(7, ps.getConnection().createArrayOf("text", r.primaryRiskFactors()));
                            ps.setArray(8, ps.getConnection().createArrayOf("text", r.protectiveFactors()));
                            ps.setBoolean(9, r.professionalEscalation());
                            ps.setString(10, RiskAssessment.MODEL_VERSION);
                            ps.setObject(11, r.day());
                            ps.setString(12, r.contributionsJson());
                            ps.setTimestamp(13, Timestamp.from(Instant.ofEpochSecond((r.epochDay() + 1) * 86_400)));
                        },
                500, 500, RowDeadLetters.of(o.source, "mental_health_assessments", Row::userId, Json::of));
    }

    /** {@code flink run -c io.chakrai.jobs.assessment.RiskAssessmentJob chakrai-jobs-job.jar [--bounded]}. */
    public static void main(String[] args) throws Exception {
        Options o = new Options();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(o.jobName());
    }
}
