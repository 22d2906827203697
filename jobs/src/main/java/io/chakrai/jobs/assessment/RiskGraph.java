package io.chakrai.jobs.assessment;

import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.models.Json;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.readings.BiometricReading;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Re-assesses each person's mental-health risk whenever a day of their readings closes, with the
 * same scoring code as {@code POST /api/v2/prediction/assess}: readings → per person and UTC day,
 * the daily figures ({@link io.chakrai.models.analytics.DayFeatures}, keyed state) → when event
 * time passes the day's end plus a grace period, the last 14 days with the stress episodes,
 * carried-forward questionnaire answers and voice score from PostgreSQL → {@link RiskAssessment} →
 * one {@code mental_health_assessments} row per person, model version and day (trigger {@code
 * daily}, upserted), and every version's score in {@code risk_scores}. A graph: inside the
 * analytics job, or alone as {@link RiskAssessmentJob} (a backfill).
 */
public final class RiskGraph {
    private RiskGraph() {}

    /** Where assessments and every version's scores go (injected, so a test can collect them). */
    public record Sinks(Sink<Row> assessments, Sink<Score> scores) {
        /** {@code mental_health_assessments} and {@code risk_scores}. */
        public static Sinks of(RiskOptions o) {
            return new Sinks(sink(o), scoreSink(o));
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

    /**
     * Wires the graph on readings parsed elsewhere (the analytics job's one source, or the risk
     * job's own), reading the registry's champion and challenger now (named in {@code o.describe()}
     * for the Flink UI); returns one assessed row per person and day (the champion's), as the sink
     * gets it.
     */
    public static SingleOutputStreamOperator<Row> attach(
            DataStream<BiometricReading> readings, RiskOptions o, Sinks sinks) {
        o.atSubmit();
        SingleOutputStreamOperator<Row> assessed =
                readings.keyBy(BiometricReading::userId)
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
        assessed.sinkTo(sinks.assessments())
                .uid("risk-sink")
                .name("upsert → mental_health_assessments");
        assessed.getSideOutput(AssessDay.SCORES)
                .sinkTo(sinks.scores())
                .uid("risk-scores-sink")
                .name("upsert → risk_scores (rule, champion, challenger)");
        return assessed;
    }

    static ResilientJdbcSink<Score> scoreSink(RiskOptions o) {
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

    static ResilientJdbcSink<Row> sink(RiskOptions o) {
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
}
