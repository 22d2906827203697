package io.chakrai.api.groups;

import io.chakrai.models.Json;
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
 * {@code crisis_escalations}: what fired, for whom (by pseudonym and group to facilitators; the
 * user id is kept for the person's own record and erasure, never returned), and its handling: open
 * → acknowledged → resolved.
 */
public final class EscalationRepository {
    private final DataSource db;

    public EscalationRepository(DataSource db) {
        this.db = db;
    }

    /**
     * An escalation as facilitators and clinicians see it; {@code message} only when one is read
     * singly.
     */
    public record Escalation(
            long id,
            String kind,
            String severity,
            Integer groupId,
            String sessionType,
            String anonymousId,
            Long messageId,
            List<String> concepts,
            Object reasons,
            String source,
            String status,
            Instant createdAt,
            Instant acknowledgedAt,
            Instant resolvedAt,
            String resolutionNote,
            int raises,
            Instant raisedAt,
            String message) {}

    /** Who may see and handle escalations: a facilitator or a clinician. */
    public record Staff(int id, String role) {}

    /**
     * Whom an escalation goes to: its group's facilitators (none: every facilitator), the
     * facilitator it was raised to, the clinicians once it is raised (or when it has no group); its
     * author and their language, for help again.
     */
    public record Recipients(
            long id,
            int raises,
            String kind,
            String severity,
            Integer groupId,
            String anonymousId,
            java.util.Set<Integer> facilitators,
            boolean everyFacilitator,
            boolean clinicians,
            Integer author,
            String locale,
            Long messageId,
            String status) {}

    /** What to record. */
    public record New(
            String kind,
            String severity,
            Integer groupId,
            Integer participantId,
            Long messageId,
            Integer userId,
            List<String> concepts,
            List<String> reasons,
            String source,
            String dedupeKey,
            String locale) {}

    /**
     * Inserts in the caller's transaction; returns the id, or empty when the dedupe key was already
     * recorded.
     */
    public Optional<Long> insert(Connection c, New e) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO crisis_escalations (kind, severity, group_id, participant_id, "
                                + "message_id, user_id, concepts, reasons, source, dedupe_key, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) "
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
            ps.setString(
                    11,
                    e.locale() == null
                            ? null
                            : e.locale().substring(0, Math.min(200, e.locale().length())));
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

    private static final String SELECT =
            "SELECT e.id, e.kind, e.severity, e.group_id, g.session_type, p.anonymous_id, e.message_id, "
                    + "e.concepts, e.reasons::text, e.source, e.status, e.created_at, e.acknowledged_at, e.resolved_at, e.resolution_note, "
                    + "e.raises, e.raised_at, %s "
                    + "FROM crisis_escalations e LEFT JOIN therapy_groups g ON g.id = e.group_id "
                    + "LEFT JOIN group_participants p ON p.id = e.participant_id LEFT JOIN group_messages m ON m.id = e.message_id ";

    /**
     * What a member of staff may see: a facilitator, the escalations of their groups, of groups
     * with no facilitator, of no group, and those raised to them; a clinician, those raised (nobody
     * answered in time) and those of no group.
     */
    private static final String VISIBLE =
            "(e.group_id IS NULL OR e.raised_to = ? OR (? = 'clinician' AND e.raises > 0) "
                    + "OR (? = 'facilitator' AND (EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = e.group_id AND f.user_id = ?) "
                    + "OR NOT EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = e.group_id))))";

    private static int bindStaff(PreparedStatement ps, int i, Staff who) throws SQLException {
        ps.setInt(i++, who.id());
        ps.setString(i++, who.role());
        ps.setString(i++, who.role());
        ps.setInt(i++, who.id());
        return i;
    }

    /**
     * The escalations {@code who} may see, by status (all when null), open and most severe first,
     * then newest.
     */
    public List<Escalation> list(String status, int limit, Staff who) throws SQLException {
        List<Escalation> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                String.format(SELECT, "NULL")
                                        + "WHERE (?::text IS NULL OR e.status = ?) AND "
                                        + VISIBLE
                                        + " ORDER BY (e.status = 'open') DESC, "
                                        + "(e.severity = 'critical') DESC, e.created_at DESC LIMIT ?")) {
            ps.setString(1, status);
            ps.setString(2, status);
            int i = bindStaff(ps, 3, who);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(escalation(rs));
                }
            }
        }
        return out;
    }

    /** Whether {@code who} may see and handle escalation {@code id}. */
    public boolean visible(long id, Staff who) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 1 FROM crisis_escalations e WHERE e.id = ? AND "
                                        + VISIBLE)) {
            ps.setLong(1, id);
            bindStaff(ps, 2, who);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whom escalation {@code id} goes to now (see {@link Recipients}). */
    public Optional<Recipients> recipients(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT e.id, e.raises, e.kind, e.severity, "
                                        + "e.group_id, p.anonymous_id, e.raised_to, e.user_id, e.locale, e.message_id, e.status, "
                                        + "(SELECT array_agg(f.user_id) FROM group_facilitators f WHERE f.group_id = e.group_id) "
                                        + "FROM crisis_escalations e LEFT JOIN group_participants p ON p.id = e.participant_id WHERE e.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Integer group = rs.getObject(5, Integer.class);
                java.util.Set<Integer> facilitators = new java.util.TreeSet<>();
                java.sql.Array a = rs.getArray(12);
                if (a != null) {
                    for (Integer f : (Integer[]) a.getArray()) {
                        facilitators.add(f);
                    }
                }
                Integer to = rs.getObject(7, Integer.class);
                if (to != null) {
                    facilitators.add(to);
                }
                int raises = rs.getInt(2);
                Integer author = rs.getObject(8, Integer.class);
                Long message = rs.getObject(10, Long.class);
                boolean unassigned = group == null || a == null;
                return Optional.of(
                        new Recipients(
                                rs.getLong(1),
                                raises,
                                rs.getString(3),
                                rs.getString(4),
                                group,
                                rs.getString(6),
                                facilitators,
                                unassigned,
                                raises > 0 || group == null,
                                author,
                                rs.getString(9),
                                message,
                                rs.getString(11)));
            }
        }
    }

    /**
     * Raises every escalation still open {@code ack} after it was made (or last raised), at most
     * {@code maxRaises} times: to another facilitator (the least loaded not already in charge of
     * the group) and to the clinicians. Safe with many API instances (each row is taken by one).
     * Returns the ids raised.
     */
    public List<Long> raiseDue(Instant dueBefore, Instant now, int maxRaises) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "WITH due AS (SELECT id FROM crisis_escalations "
                                        + "WHERE status = 'open' AND raises < ? AND coalesce(raised_at, created_at) <= ? ORDER BY created_at LIMIT 50 "
                                        + "FOR UPDATE SKIP LOCKED) UPDATE crisis_escalations e SET raises = e.raises + 1, raised_at = ?, raised_to = coalesce(("
                                        + "SELECT u.id FROM users u WHERE u.role = 'facilitator' AND u.id IS DISTINCT FROM e.raised_to AND NOT EXISTS "
                                        + "(SELECT 1 FROM group_facilitators f WHERE f.group_id = e.group_id AND f.user_id = u.id) ORDER BY (SELECT count(*) "
                                        + "FROM crisis_escalations x WHERE x.raised_to = u.id AND x.status = 'open'), u.id LIMIT 1), e.raised_to) "
                                        + "FROM due WHERE e.id = due.id RETURNING e.id")) {
            ps.setInt(1, maxRaises);
            ps.setTimestamp(2, java.sql.Timestamp.from(dueBefore));
            ps.setTimestamp(3, java.sql.Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** A group a facilitator is in charge of. */
    public record FacilitatedGroup(
            int groupId,
            String sessionType,
            String status,
            int currentParticipants,
            Instant assignedAt,
            int openEscalations) {}

    /** The groups a facilitator is in charge of, with their open escalations. */
    public List<FacilitatedGroup> groupsOf(int facilitator) throws SQLException {
        List<FacilitatedGroup> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT g.id, g.session_type, g.status, "
                                        + "g.current_participants, f.assigned_at, (SELECT count(*) FROM crisis_escalations e WHERE e.group_id = g.id AND "
                                        + "e.status = 'open') FROM group_facilitators f JOIN therapy_groups g ON g.id = f.group_id WHERE f.user_id = ? "
                                        + "ORDER BY g.id")) {
            ps.setInt(1, facilitator);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new FacilitatedGroup(
                                    rs.getInt(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getInt(4),
                                    rs.getTimestamp(5).toInstant(),
                                    rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /**
     * {@code facilitator} takes charge of group {@code groupId} too; false when there is no such
     * group.
     */
    public boolean take(int groupId, int facilitator) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO group_facilitators (group_id, user_id) "
                                        + "SELECT g.id, ? FROM therapy_groups g WHERE g.id = ? ON CONFLICT DO NOTHING")) {
            ps.setInt(1, facilitator);
            ps.setInt(2, groupId);
            ps.executeUpdate();
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT 1 FROM therapy_groups WHERE id = ?")) {
            ps.setInt(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * An escalation as read singly, and its author (null once erased or for a group-wide alert).
     */
    public record Found(Escalation escalation, Integer author) {}

    /**
     * One escalation with the held message's text (the caller audits the read), and its author's
     * user id.
     */
    public Optional<Found> one(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                String.format(SELECT, "m.content")
                                                .replace("SELECT e.id,", "SELECT e.user_id, e.id,")
                                        + "WHERE e.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Integer author = rs.getObject(1, Integer.class);
                return Optional.of(new Found(escalation(rs, 1), author));
            }
        }
    }

    /**
     * Moves an escalation on: {@code acknowledged} from open, {@code resolved} from open or
     * acknowledged. Returns false when it is not in a state that allows the move.
     */
    public boolean transition(long id, String to, int by, String note) throws SQLException {
        String sql =
                "acknowledged".equals(to)
                        ? "UPDATE crisis_escalations SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ? "
                                + "WHERE id = ? AND status = 'open'"
                        : "UPDATE crisis_escalations SET status = 'resolved', resolved_at = now(), resolved_by = ?, resolution_note = ?, "
                                + "acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, ?) "
                                + "WHERE id = ? AND status IN ('open', 'acknowledged')";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
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
        Integer group = rs.getObject(o + 4, Integer.class);
        Long message = rs.getObject(o + 7, Long.class);
        Object reasons;
        try {
            reasons = Json.MAPPER.readTree(rs.getString(o + 9));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reasons = List.of();
        }
        return new Escalation(
                rs.getLong(o + 1),
                rs.getString(o + 2),
                rs.getString(o + 3),
                group,
                rs.getString(o + 5),
                rs.getString(o + 6),
                message,
                GroupRepository.texts(rs.getArray(o + 8)),
                reasons,
                rs.getString(o + 10),
                rs.getString(o + 11),
                instant(rs, o + 12),
                instant(rs, o + 13),
                instant(rs, o + 14),
                rs.getString(o + 15),
                rs.getInt(o + 16),
                instant(rs, o + 17),
                rs.getString(o + 18));
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
