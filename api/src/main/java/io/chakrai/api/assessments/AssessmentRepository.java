package io.chakrai.api.assessments;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chakrai.api.analytics.DailySummaries;
import io.chakrai.models.Json;
import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskInputs;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The context an assessment needs, from the caller's own rows, and {@code
 * mental_health_assessments}.
 */
public final class AssessmentRepository {
    private final DataSource db;

    public AssessmentRepository(DataSource db) {
        this.db = db;
    }

    /**
     * What the platform knows about the caller as of {@code asOf} (UTC): the same daily figures and
     * {@link RiskInputs#fromDays} as the daily re-assessment job, and the latest voice analysis.
     */
    public RiskInputs context(int user, int[] phq9, int[] gad7, LocalDate asOf)
            throws SQLException {
        return context(user, phq9, gad7, asOf, null);
    }

    /** The same as known at {@code until} (null: now), for answers given in the past. */
    public RiskInputs context(int user, int[] phq9, int[] gad7, LocalDate asOf, Instant until)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            List<DailySummary> days = DailySummaries.of(c, user, 14, "UTC", until);
            double voice = Double.NaN;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT overall_mental_state_score FROM voice_health_analysis "
                                    + "WHERE user_id = ? AND overall_mental_state_score IS NOT NULL "
                                    + "AND created_at <= COALESCE(?::timestamptz, 'infinity') ORDER BY created_at DESC LIMIT 1")) {
                ps.setInt(1, user);
                ps.setTimestamp(2, until == null ? null : Timestamp.from(until));
                try (ResultSet rs = ps.executeQuery()) {
                    voice = rs.next() ? DailySummaries.num(rs, 1) : Double.NaN;
                }
            }
            return RiskInputs.fromDays(phq9, gad7, days, asOf, voice);
        }
    }

    public Assessment save(int user, RiskAssessment a, int[] phq9, int[] gad7) throws SQLException {
        return save(user, a, phq9, gad7, null);
    }

    /** The same, dated {@code answeredAt} (null: now) — answers an app collected offline. */
    public Assessment save(int user, RiskAssessment a, int[] phq9, int[] gad7, Instant answeredAt)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO mental_health_assessments "
                                        + "(user_id, assessment_type, risk_level, overall_risk_score, confidence, timeframe, primary_risk_factors, "
                                        + "protective_factors, professional_escalation, model_version, trigger, phq9_answers, gad7_answers, "
                                        + "contributions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'request', ?, ?, ?::jsonb, "
                                        + "COALESCE(?::timestamptz, now())) RETURNING id, created_at")) {
            ps.setInt(1, user);
            ps.setString(2, a.assessmentType());
            ps.setString(3, a.riskLevel());
            ps.setDouble(4, a.score());
            ps.setDouble(5, a.confidence());
            ps.setString(6, RiskAssessment.TIMEFRAME);
            ps.setArray(7, c.createArrayOf("text", a.primaryRiskFactors().toArray()));
            ps.setArray(8, c.createArrayOf("text", a.protectiveFactors().toArray()));
            ps.setBoolean(9, a.professionalEscalation());
            ps.setString(10, RiskAssessment.MODEL_VERSION);
            ps.setArray(
                    11,
                    phq9 == null
                            ? null
                            : c.createArrayOf("smallint", Arrays.stream(phq9).boxed().toArray()));
            ps.setArray(
                    12,
                    gad7 == null
                            ? null
                            : c.createArrayOf("smallint", Arrays.stream(gad7).boxed().toArray()));
            ps.setString(13, Json.MAPPER.valueToTree(a.contributions()).toString());
            ps.setTimestamp(14, answeredAt == null ? null : Timestamp.from(answeredAt));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Assessment(
                        rs.getLong(1),
                        a.assessmentType(),
                        a.riskLevel(),
                        a.score(),
                        a.confidence(),
                        RiskAssessment.TIMEFRAME,
                        a.primaryRiskFactors(),
                        a.protectiveFactors(),
                        a.professionalEscalation(),
                        rs.getTimestamp(2).toInstant(),
                        RiskAssessment.MODEL_VERSION,
                        "request",
                        null,
                        a.contributions());
            }
        }
    }

    /** The person's assessments, newest first, at most {@code limit}. */
    public List<Assessment> list(int user, int limit) throws SQLException {
        List<Assessment> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, assessment_type, "
                                        + "risk_level, overall_risk_score, confidence, timeframe, primary_risk_factors, protective_factors, "
                                        + "professional_escalation, created_at, model_version, trigger, assessed_day, contributions "
                                        + "FROM mental_health_assessments WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")) {
            ps.setInt(1, user);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Assessment(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getDouble(4),
                                    rs.getDouble(5),
                                    rs.getString(6),
                                    strings(rs.getArray(7)),
                                    strings(rs.getArray(8)),
                                    rs.getBoolean(9),
                                    rs.getTimestamp(10).toInstant(),
                                    rs.getString(11),
                                    rs.getString(12),
                                    rs.getObject(13, LocalDate.class),
                                    contributions(rs.getString(14))));
                }
            }
        }
        return out;
    }

    private static Map<String, Double> contributions(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, CONTRIBUTIONS);
        } catch (IOException e) {
            throw new SQLException("an assessment's contributions are not a map of numbers", e);
        }
    }

    private static final TypeReference<Map<String, Double>> CONTRIBUTIONS =
            new TypeReference<>() {};

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }
}
