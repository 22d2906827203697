package io.chakrai.api.groups;

import io.chakrai.api.http.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code crisis_escalations}: what fired, for whom (by pseudonym and group to facilitators; the user id is
 * kept for the person's own record and erasure, never returned), and its handling: open → acknowledged → resolved.
 */
public final class EscalationRepository {
    private final DataSource db;

    public EscalationRepository(DataSource db) {
        this.db = db;
    }

    /** An escalation as facilitators and clinicians see it; {@code message} only when one is read singly. */
    public record Escalation(long id, String kind, String severity, Integer groupId, String sessionType, String anonymousId,
                             Long messageId, List<String> concepts, Object reasons, String source, String status,
                             Instant createdAt, Instant acknowledgedAt, Instant resolvedAt, String resolutionNote, String message) {
    }

    /** What to record. */
    public record New(String kind, String severity, Integer groupId, Integer participantId, Long messageId, Integer userId,
                      List<String> concepts, List<String> reasons, String source, String dedupeKey) {
    }

    /** Inserts in the caller's transaction; returns the id, or empty when the dedupe key was already recorded. */
    public Optional<Long> insert(Connection c, New e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO crisis_escalations (kind, severity, group_id, participant_id, "
                + "message_id, user_id, concepts, reasons, source, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) "
                + "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id")) {
            ps.setString(1, e.kind());
            ps.setString(2, e.severity());
            setInt(ps, 3, e.groupId());
            setInt(ps, 4, e.participantId());
            if (e.messageId() == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, e.messageId());
            }
            setInt(ps, 6, e.userId());
            ps.setArray(7, c.createArrayOf("text", e.concepts().toArray()));
            ps.setString(8, Json.MAPPER.writeValueAsString(e.reasons()));
            ps.setString(9, e.source());
            ps.setString(10, e.dedupeKey());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public Optional<Long> insert(New e) throws SQLException {
        try (Connection c = db.getConnection()) {
            return insert(c, e);
        }
    }

    private static final String SELECT = "SELECT e.id, e.kind, e.severity, e.group_id, g.session_type, p.anonymous_id, e.message_id, "
            + "e.concepts, e.reasons::text, e.source, e.status, e.created_at, e.acknowledged_at, e.resolved_at, e.resolution_note, %s "
            + "FROM crisis_escalations e LEFT JOIN therapy_groups g ON g.id = e.group_id "
            + "LEFT JOIN group_participants p ON p.id = e.participant_id LEFT JOIN group_messages m ON m.id = e.message_id ";

    /** Escalations by status (all when null), open and most severe first, then newest. */
    public List<Escalation> list(String status, int limit) throws SQLException {
        List<Escalation> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(String.format(SELECT, "NULL")
                + "WHERE (?::text IS NULL OR e.status = ?) ORDER BY (e.status = 'open') DESC, (e.severity = 'critical') DESC, "
                + "e.created_at DESC LIMIT ?")) {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(escalation(rs));
                }
            }
        }
        return out;
    }

    /** One escalation with the held message's text (the caller audits the read). Also returns the author's user id. */
    public Optional<Object[]> one(long id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(String.format(SELECT, "m.content")
                .replace("SELECT e.id,", "SELECT e.user_id, e.id,") + "WHERE e.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int user = rs.getInt(1);
                Integer author = rs.wasNull() ? null : user;
                return Optional.of(new Object[] {escalation(rs, 1), author});
            }
        }
    }

    /**
     * Moves an escalation on: {@code acknowledged} from open, {@code resolved} from open or acknowledged.
     * Returns false when it is not in a state that allows the move.
     */
    public boolean transition(long id, String to, int by, String note) throws SQLException {
        String sql = "acknowledged".equals(to)
                ? "UPDATE crisis_escalations SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ? "
                        + "WHERE id = ? AND status = 'open'"
                : "UPDATE crisis_escalations SET status = 'resolved', resolved_at = now(), resolved_by = ?, resolution_note = ?, "
                        + "acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, ?) "
                        + "WHERE id = ? AND status IN ('open', 'acknowledged')";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if ("acknowledged".equals(to)) {
                ps.setInt(1, by);
                ps.setLong(2, id);
            } else {
                ps.setInt(1, by);
                ps.setString(2, note);
                ps.setInt(3, by);
                ps.setLong(4, id);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static Escalation escalation(ResultSet rs) throws SQLException {
        return escalation(rs, 0);
    }

    private static Escalation escalation(ResultSet rs, int o) throws SQLException {
        int g = rs.getInt(o + 4);
        Integer group = rs.wasNull() ? null : g;
        long m = rs.getLong(o + 7);
        Long message = rs.wasNull() ? null : m;
        Object reasons;
        try {
            reasons = Json.MAPPER.readTree(rs.getString(o + 9));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reasons = List.of();
        }
        return new Escalation(rs.getLong(o + 1), rs.getString(o + 2), rs.getString(o + 3), group, rs.getString(o + 5),
                rs.getString(o + 6), message, GroupRepository.texts(rs.getArray(o + 8)), reasons, rs.getString(o + 10),
                rs.getString(o + 11), instant(rs, o + 12), instant(rs, o + 13), instant(rs, o + 14), rs.getString(o + 15),
                rs.getString(o + 16));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
