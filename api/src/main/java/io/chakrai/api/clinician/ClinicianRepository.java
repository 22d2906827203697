package io.chakrai.api.clinician;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a clinician may see: the current risk of people who granted clinician access, and nobody
 * else's.
 */
public final class ClinicianRepository {
    private static final String PATIENTS =
            "SELECT u.id, u.display_name, a.risk_level, a.overall_risk_score, "
                    + "a.professional_escalation, a.created_at FROM current_consents c JOIN users u ON u.id = c.user_id "
                    + "LEFT JOIN LATERAL (SELECT risk_level, overall_risk_score, professional_escalation, created_at "
                    + "FROM mental_health_assessments m WHERE m.user_id = u.id ORDER BY created_at DESC LIMIT 1) a ON true "
                    + "WHERE c.kind = 'clinician_access' AND c.granted";

    private final DataSource db;

    public ClinicianRepository(DataSource db) {
        this.db = db;
    }

    /** A person in care and their latest assessment (risk fields null before any). */
    public record Patient(
            int userId,
            String displayName,
            String riskLevel,
            Double riskScore,
            Boolean escalation,
            Instant assessedAt) {}

    /** Everyone who granted clinician access, the escalated and riskiest first. */
    public List<Patient> patients() throws SQLException {
        List<Patient> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                PATIENTS
                                        + " ORDER BY a.professional_escalation DESC NULLS LAST, a.overall_risk_score DESC NULLS LAST, u.id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(patient(rs));
                }
            }
        }
        return out;
    }

    /** One person, only if they granted clinician access. */
    public Optional<Patient> patient(int userId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(PATIENTS + " AND u.id = ?")) {
            ps.setInt(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(patient(rs)) : Optional.empty();
            }
        }
    }

    private static Patient patient(ResultSet rs) throws SQLException {
        double score = rs.getDouble(4);
        boolean noScore = rs.wasNull();
        boolean escalation = rs.getBoolean(5);
        boolean noEscalation = rs.wasNull();
        return new Patient(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                noScore ? null : score,
                noEscalation ? null : escalation,
                rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant());
    }
}
