package io.chakrai.api.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code audit_log} (append-only) and {@code consents}, always of one person. */
public final class AuditRepository {
    /** The kinds of use a person can opt into. */
    public static final List<String> CONSENT_KINDS =
            List.of("groups", "clinician_access", "model_training");

    private final DataSource db;

    public AuditRepository(DataSource db) {
        this.db = db;
    }

    /** One entry of a person's trail. */
    public record Entry(String actor, String action, String what, String why, Instant at) {}

    /** A person's current choice of one kind of use (never asked: not granted). */
    public record Consent(String kind, boolean granted, Instant at) {}

    public void append(int user, String actor, String action, String what, String why)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO audit_log (user_id, actor, action, what, why) VALUES (?, ?, ?, ?, ?)")) {
            ps.setInt(1, user);
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, what);
            ps.setString(5, why);
            ps.executeUpdate();
        }
    }

    /** Newest first. */
    public List<Entry> trail(int user, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT actor, action, what, why, at FROM audit_log WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?")) {
            ps.setInt(1, user);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Entry(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    public Map<String, Consent> consents(int user) throws SQLException {
        Map<String, Consent> out = new LinkedHashMap<>();
        CONSENT_KINDS.forEach(k -> out.put(k, new Consent(k, false, null)));
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT kind, granted, at FROM current_consents WHERE user_id = ?")) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            rs.getString(1),
                            new Consent(
                                    rs.getString(1),
                                    rs.getBoolean(2),
                                    rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return out;
    }

    public Optional<Consent> consent(int user, String kind, boolean granted) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO consents (user_id, kind, granted) VALUES (?, ?, ?) RETURNING at")) {
            ps.setInt(1, user);
            ps.setString(2, kind);
            ps.setBoolean(3, granted);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Consent(kind, granted, rs.getTimestamp(1).toInstant()))
                        : Optional.empty();
            }
        }
    }
}
