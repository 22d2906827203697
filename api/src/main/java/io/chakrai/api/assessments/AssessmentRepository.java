package io.chakrai.api.assessments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.http.Json;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskInputs;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The context an assessment needs, from the caller's own rows, and {@code mental_health_assessments}. */
public final class AssessmentRepository {
    /** Seven-day windows: the last seven days, and the seven before (for trends). */
    private static final String CONTEXT = """
            WITH r AS (
              SELECT data_type, value, "timestamp" FROM biometric_readings
              WHERE user_id = ? AND "timestamp" >= now() - interval '14 days'
                AND data_type IN ('heart_rate', 'hrv', 'sleep_stage', 'steps')),
            cur AS (SELECT * FROM r WHERE "timestamp" >= now() - interval '7 days'),
            prev AS (SELECT * FROM r WHERE "timestamp" < now() - interval '7 days')
            SELECT
              (SELECT count(DISTINCT date_trunc('day', "timestamp")) FROM cur),
              (SELECT count(*) FROM health_predictions WHERE user_id = ? AND prediction_type = 'stress_episode'
                 AND prediction_time >= now() - interval '7 days') / 7.0,
              (SELECT count(*) FILTER (WHERE value > 0) / 60.0 / NULLIF(count(DISTINCT date_trunc('day', "timestamp")), 0)
                 FROM cur WHERE data_type = 'sleep_stage'),
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FROM cur WHERE data_type = 'hrv'),
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FROM prev WHERE data_type = 'hrv'),
              (SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY value) FROM cur WHERE data_type = 'heart_rate'),
              (SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY value) FROM prev WHERE data_type = 'heart_rate'),
              (SELECT sum(value) / NULLIF(count(DISTINCT date_trunc('day', "timestamp")), 0) FROM cur WHERE data_type = 'steps'),
              (SELECT overall_mental_state_score FROM voice_health_analysis WHERE user_id = ? ORDER BY created_at DESC LIMIT 1)
            """;

    private final DataSource db;

    public AssessmentRepository(DataSource db) {
        this.db = db;
    }

    public RiskInputs context(int user, int[] phq9, int[] gad7) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(CONTEXT)) {
            ps.setInt(1, user);
            ps.setInt(2, user);
            ps.setInt(3, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double hrvNow = num(rs, 4);
                double hrvBefore = num(rs, 5);
                return new RiskInputs(phq9, gad7, rs.getInt(1), num(rs, 2), num(rs, 3),
                        Double.isFinite(hrvNow) && Double.isFinite(hrvBefore) && hrvBefore > 0
                                ? (hrvNow - hrvBefore) / hrvBefore : Double.NaN,
                        num(rs, 6) - num(rs, 7), num(rs, 8), num(rs, 9));
            }
        }
    }

    private static double num(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    public ObjectNode save(int user, RiskAssessment a) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO mental_health_assessments "
                + "(user_id, assessment_type, risk_level, overall_risk_score, confidence, timeframe, primary_risk_factors, "
                + "protective_factors, professional_escalation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at")) {
            ps.setInt(1, user);
            ps.setString(2, a.assessmentType());
            ps.setString(3, a.riskLevel());
            ps.setDouble(4, a.score());
            ps.setDouble(5, a.confidence());
            ps.setString(6, RiskAssessment.TIMEFRAME);
            ps.setArray(7, c.createArrayOf("text", a.primaryRiskFactors().toArray()));
            ps.setArray(8, c.createArrayOf("text", a.protectiveFactors().toArray()));
            ps.setBoolean(9, a.professionalEscalation());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ObjectNode n = row(rs.getLong(1), a.assessmentType(), a.riskLevel(), a.score(), a.confidence(),
                        RiskAssessment.TIMEFRAME, a.primaryRiskFactors(), a.protectiveFactors(), a.professionalEscalation(),
                        rs.getTimestamp(2).toInstant().toString());
                n.set("contributions", Json.MAPPER.valueToTree(a.contributions()));
                if (a.phq9() != null) {
                    n.putObject("phq9").put("total", a.phq9().total()).put("severity", a.phq9().severity())
                            .put("item9_positive", a.phq9().selfHarmPositive());
                }
                if (a.gad7() != null) {
                    n.putObject("gad7").put("total", a.gad7().total()).put("severity", a.gad7().severity());
                }
                return n;
            }
        }
    }

    public List<ObjectNode> list(int user, int limit) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, assessment_type, "
                + "risk_level, overall_risk_score, confidence, timeframe, primary_risk_factors, protective_factors, "
                + "professional_escalation, created_at FROM mental_health_assessments WHERE user_id = ? "
                + "ORDER BY created_at DESC LIMIT ?")) {
            ps.setInt(1, user);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5),
                            rs.getString(6), strings(rs.getArray(7)), strings(rs.getArray(8)), rs.getBoolean(9),
                            rs.getTimestamp(10).toInstant().toString()));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    private static ObjectNode row(long id, String type, String level, double score, double confidence, String timeframe,
                                  List<String> risks, List<String> protective, boolean escalate, String createdAt) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("assessment_type", type);
        n.put("risk_level", level);
        n.put("overall_risk_score", score);
        n.put("confidence", confidence);
        n.put("timeframe", timeframe);
        n.set("primary_risk_factors", Json.MAPPER.valueToTree(risks));
        n.set("protective_factors", Json.MAPPER.valueToTree(protective));
        n.put("professional_escalation", escalate);
        n.put("created_at", createdAt);
        return n;
    }
}
