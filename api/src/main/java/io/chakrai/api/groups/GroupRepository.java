package io.chakrai.api.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chakrai.models.groups.GroupMatcher;
import io.chakrai.models.groups.SessionType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Therapy groups, memberships and messages in PostgreSQL. Every query that returns people returns
 * pseudonyms only.
 */
public final class GroupRepository {
    /** A group's members reach {@code active} at this size. */
    public static final int MIN_ACTIVE = 3;

    private final DataSource db;

    public GroupRepository(DataSource db) {
        this.db = db;
    }

    /** A group as clients see it. */
    public record Group(
            int id,
            String sessionType,
            String status,
            int currentParticipants,
            int maxParticipants,
            List<String> therapeuticGoals,
            Double compatibilityScore,
            Instant createdAt) {}

    /** The caller's membership of a group; {@code active} false once they left. */
    public record Member(
            int participantId,
            String anonymousId,
            String participationStyle,
            Instant joinedAt,
            boolean active) {}

    /** A stored message as members see it: the author by pseudonym. */
    public record Message(
            long id,
            int groupId,
            String anonymousId,
            String messageType,
            String content,
            Double sentiment,
            Integer emotionalIntensity,
            Instant timestamp,
            String status,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean removed) {}

    /** The outcome of a join. */
    public enum JoinOutcome {
        JOINED,
        ALREADY_MEMBER,
        FULL,
        CLOSED,
        NOT_FOUND
    }

    public record Joined(JoinOutcome outcome, Group group, Member member) {}

    private static final String GROUP_COLUMNS =
            "g.id, g.session_type, g.status, g.current_participants, g.max_participants, "
                    + "g.therapeutic_goals, g.compatibility_score, g.created_at";

    public Optional<Group> group(int id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + GROUP_COLUMNS
                                        + " FROM therapy_groups g WHERE g.id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(group(rs)) : Optional.empty();
            }
        }
    }

    /** One of the caller's current groups and their seat in it. */
    public record Seat(Group group, Member me) {}

    /** The caller's latest assessment: its level and overall score. */
    public record Risk(String level, double score) {}

    /** The caller's current groups with their membership. */
    public List<Seat> mine(int user) throws SQLException {
        List<Seat> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + GROUP_COLUMNS
                                        + ", p.id, p.anonymous_id, p.participation_style, p.joined_at FROM group_participants p "
                                        + "JOIN therapy_groups g ON g.id = p.group_id WHERE p.user_id = ? AND p.left_at IS NULL ORDER BY p.joined_at DESC")) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Seat(
                                    group(rs),
                                    new Member(
                                            rs.getInt(9),
                                            rs.getString(10),
                                            rs.getString(11),
                                            rs.getTimestamp(12).toInstant(),
                                            true)));
                }
            }
        }
        return out;
    }

    /**
     * Open groups with a free seat the caller is not in, of one type or any, newest activity first.
     */
    public List<Group> open(int user, String sessionType, int limit) throws SQLException {
        List<Group> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + GROUP_COLUMNS
                                        + " FROM therapy_groups g WHERE g.status IN ('forming', 'active') AND g.current_participants < g.max_participants "
                                        + "AND (?::text IS NULL OR g.session_type = ?) AND NOT EXISTS (SELECT 1 FROM group_participants p "
                                        + "WHERE p.group_id = g.id AND p.user_id = ? AND p.left_at IS NULL) ORDER BY g.updated_at DESC, g.id DESC LIMIT ?")) {
            ps.setString(1, sessionType);
            ps.setString(2, sessionType);
            ps.setInt(3, user);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(group(rs));
                }
            }
        }
        return out;
    }

    /**
     * Open groups as matching candidates: their goals and their current members' mean latest risk
     * score.
     */
    public List<GroupMatcher.Candidate> candidates(int user, int limit) throws SQLException {
        List<GroupMatcher.Candidate> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT g.id, g.session_type, "
                                        + "g.therapeutic_goals, (SELECT avg(a.overall_risk_score) FROM group_participants p CROSS JOIN LATERAL "
                                        + "(SELECT overall_risk_score FROM mental_health_assessments m WHERE m.user_id = p.user_id ORDER BY created_at DESC "
                                        + "LIMIT 1) a WHERE p.group_id = g.id AND p.left_at IS NULL), g.current_participants, g.max_participants "
                                        + "FROM therapy_groups g WHERE g.status IN ('forming', 'active') AND g.current_participants < g.max_participants "
                                        + "AND NOT EXISTS (SELECT 1 FROM group_participants p WHERE p.group_id = g.id AND p.user_id = ?) "
                                        + "ORDER BY g.updated_at DESC LIMIT ?")) {
            ps.setInt(1, user);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double risk = rs.getDouble(4);
                    Double meanRisk = rs.wasNull() ? null : risk;
                    out.add(
                            new GroupMatcher.Candidate(
                                    rs.getInt(1),
                                    SessionType.fromWire(rs.getString(2))
                                            .orElse(SessionType.GENERAL_SUPPORT),
                                    texts(rs.getArray(3)),
                                    meanRisk,
                                    rs.getInt(5),
                                    rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /** The caller's latest risk level and score, if ever assessed. */
    public Optional<Risk> latestRisk(int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT risk_level, overall_risk_score "
                                        + "FROM mental_health_assessments WHERE user_id = ? ORDER BY created_at DESC LIMIT 1")) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Risk(rs.getString(1), rs.getDouble(2)))
                        : Optional.empty();
            }
        }
    }

    public int activeMemberships(int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM group_participants WHERE user_id = ? AND left_at IS NULL")) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * A new forming group, put in the charge of the facilitator with the fewest groups (when there
     * is one).
     */
    public int create(SessionType type, List<String> goals) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO therapy_groups "
                                        + "(group_key, session_type, therapeutic_goals) VALUES (gen_random_uuid()::text, ?, ?) RETURNING id");
                PreparedStatement assign =
                        c.prepareStatement(
                                "INSERT INTO group_facilitators (group_id, user_id) SELECT ?, u.id "
                                        + "FROM users u WHERE u.role = 'facilitator' ORDER BY (SELECT count(*) FROM group_facilitators f "
                                        + "WHERE f.user_id = u.id), u.id LIMIT 1")) {
            ps.setString(1, type.wire());
            ps.setArray(2, c.createArrayOf("text", goals.toArray()));
            int id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
            assign.setInt(1, id);
            assign.executeUpdate();
            return id;
        }
    }

    /**
     * Joins under the group's row lock, so concurrent joins of one group queue and seats are never
     * overfilled; the seat count and the member rows change in the same transaction. A former
     * member who rejoins gets their old pseudonym back. {@code pseudonyms} is asked again when a
     * drawn name is taken in the group.
     */
    public Joined join(
            int groupId,
            int user,
            String style,
            List<String> goals,
            double score,
            Supplier<String> pseudonyms)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Joined j = joinLocked(c, groupId, user, style, goals, score, pseudonyms);
                c.commit();
                return j;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Joined joinLocked(
            Connection c,
            int groupId,
            int user,
            String style,
            List<String> goals,
            double score,
            Supplier<String> pseudonyms)
            throws SQLException {
        String status;
        int current;
        int max;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT status, current_participants, max_participants FROM therapy_groups "
                                + "WHERE id = ? FOR UPDATE")) {
            ps.setInt(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Joined(JoinOutcome.NOT_FOUND, null, null);
                }
                status = rs.getString(1);
                current = rs.getInt(2);
                max = rs.getInt(3);
            }
        }
        Optional<Member> existing = member(c, groupId, user, false);
        if (existing.isPresent() && existing.get().active()) {
            return new Joined(
                    JoinOutcome.ALREADY_MEMBER, group(groupId).orElseThrow(), existing.get());
        }
        if ("closed".equals(status)) {
            return new Joined(JoinOutcome.CLOSED, null, null);
        }
        if (current >= max) {
            return new Joined(JoinOutcome.FULL, null, null);
        }
        Member m;
        if (existing.isPresent()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE group_participants SET left_at = NULL, joined_at = now(), "
                                    + "participation_style = ?, therapeutic_goals = ?, compatibility_score = ? WHERE id = ?")) {
                ps.setString(1, style);
                ps.setArray(2, c.createArrayOf("text", goals.toArray()));
                ps.setDouble(3, score);
                ps.setInt(4, existing.get().participantId());
                ps.executeUpdate();
            }
            m = member(c, groupId, user, true).orElseThrow();
        } else {
            m = insertMember(c, groupId, user, style, goals, score, pseudonyms);
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE therapy_groups SET current_participants = current_participants + 1, "
                                + "status = CASE WHEN status = 'forming' AND current_participants + 1 >= ? THEN 'active' ELSE status END, "
                                + "compatibility_score = (SELECT avg(compatibility_score) FROM group_participants WHERE group_id = ? AND left_at IS NULL), "
                                + "updated_at = now() WHERE id = ?")) {
            ps.setInt(1, MIN_ACTIVE);
            ps.setInt(2, groupId);
            ps.setInt(3, groupId);
            ps.executeUpdate();
        }
        return new Joined(JoinOutcome.JOINED, groupIn(c, groupId), m);
    }

    private Member insertMember(
            Connection c,
            int groupId,
            int user,
            String style,
            List<String> goals,
            double score,
            Supplier<String> pseudonyms)
            throws SQLException {
        for (int attempt = 0; ; attempt++) {
            String name = pseudonyms.get();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO group_participants (group_id, user_id, anonymous_id, "
                                    + "participation_style, therapeutic_goals, compatibility_score) VALUES (?, ?, ?, ?, ?, ?) "
                                    + "ON CONFLICT (group_id, anonymous_id) DO NOTHING RETURNING id, joined_at")) {
                ps.setInt(1, groupId);
                ps.setInt(2, user);
                ps.setString(3, name);
                ps.setString(4, style);
                ps.setArray(5, c.createArrayOf("text", goals.toArray()));
                ps.setDouble(6, score);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Member(
                                rs.getInt(1), name, style, rs.getTimestamp(2).toInstant(), true);
                    }
                }
            }
            if (attempt > 20) {
                throw new IllegalStateException("no free pseudonym in group " + groupId);
            }
        }
    }

    /**
     * Leaves: the membership row stays (its pseudonym keeps the messages), the seat is freed; a
     * group left empty closes.
     */
    public boolean leave(int groupId, int user) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        c.prepareStatement(
                                "SELECT 1 FROM therapy_groups WHERE id = ? FOR UPDATE")) {
                    lock.setInt(1, groupId);
                    lock.executeQuery().close();
                }
                int n;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE group_participants SET left_at = now() "
                                        + "WHERE group_id = ? AND user_id = ? AND left_at IS NULL")) {
                    ps.setInt(1, groupId);
                    ps.setInt(2, user);
                    n = ps.executeUpdate();
                }
                if (n > 0) {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE therapy_groups SET current_participants = current_participants - 1, "
                                            + "status = CASE WHEN current_participants - 1 = 0 THEN 'closed' ELSE status END, updated_at = now() "
                                            + "WHERE id = ?")) {
                        ps.setInt(1, groupId);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return n > 0;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The caller's current membership of a group (empty when not a member, or no longer). */
    public Optional<Member> membership(int groupId, int user) throws SQLException {
        try (Connection c = db.getConnection()) {
            return member(c, groupId, user, true);
        }
    }

    private static Optional<Member> member(Connection c, int groupId, int user, boolean activeOnly)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, anonymous_id, participation_style, joined_at, left_at IS NULL "
                                + "FROM group_participants WHERE group_id = ? AND user_id = ?"
                                + (activeOnly ? " AND left_at IS NULL" : ""))) {
            ps.setInt(1, groupId);
            ps.setInt(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new Member(
                                        rs.getInt(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getTimestamp(4).toInstant(),
                                        rs.getBoolean(5)))
                        : Optional.empty();
            }
        }
    }

    /**
     * The user ids of a group's current members (for delivering its messages to their sockets;
     * never sent to clients).
     */
    public List<Integer> memberUserIds(int groupId) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT user_id FROM group_participants "
                                        + "WHERE group_id = ? AND left_at IS NULL AND user_id IS NOT NULL")) {
            ps.setInt(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    /** A participant's pseudonym (for messages that arrive from the change stream). */
    public Optional<String> pseudonym(int participantId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT anonymous_id FROM group_participants WHERE id = ?")) {
            ps.setInt(1, participantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The sentiments of a participant's latest messages, oldest first. */
    public List<Double> recentSentiments(int participantId, int n) throws SQLException {
        List<Double> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT sentiment FROM group_messages "
                                        + "WHERE participant_id = ? AND sentiment IS NOT NULL ORDER BY \"timestamp\" DESC LIMIT ?")) {
            ps.setInt(1, participantId);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(0, rs.getDouble(1));
                }
            }
        }
        return out;
    }

    /**
     * Stores a message if its author is still an active member (checked in the same statement);
     * returns it as members see it, or empty when they are not.
     */
    public Optional<Message> insertMessage(
            int groupId,
            Member author,
            String type,
            String content,
            double sentiment,
            int intensity,
            boolean held,
            Connection c)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO group_messages (group_id, participant_id, message_type, content, "
                                + "sentiment, emotional_intensity, status) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS "
                                + "(SELECT 1 FROM group_participants WHERE id = ? AND group_id = ? AND left_at IS NULL) "
                                + "RETURNING id, \"timestamp\"")) {
            ps.setInt(1, groupId);
            ps.setInt(2, author.participantId());
            ps.setString(3, type);
            ps.setString(4, content);
            ps.setDouble(5, sentiment);
            ps.setInt(6, intensity);
            ps.setString(7, held ? "held" : "visible");
            ps.setInt(8, author.participantId());
            ps.setInt(9, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Message(
                                rs.getLong(1),
                                groupId,
                                author.anonymousId(),
                                type,
                                content,
                                sentiment,
                                intensity,
                                rs.getTimestamp(2).toInstant(),
                                held ? "held" : "visible",
                                false));
            }
        }
    }

    /** Statements on one connection of the pool. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on one pooled connection with each statement committed on its own (one
     * round trip for a single statement).
     */
    public <T> T autoCommit(Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            return work.on(c);
        }
    }

    /**
     * Runs {@code work} in one transaction (across repositories: each takes the connection):
     * committed when it returns a value, rolled back when it returns null or throws.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T done = work.on(c);
                if (done == null) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * A page of a group's visible messages, newest first, before the {@code (timestamp, id)}
     * position of the previous page's last (on the {@code (group_id, timestamp DESC)} index).
     */
    public List<Message> messages(int groupId, Instant beforeTime, Long beforeId, int limit)
            throws SQLException {
        List<Message> out = new ArrayList<>();
        String page = beforeTime == null ? "" : " AND (m.\"timestamp\", m.id) < (?, ?)";
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT m.id, m.group_id, p.anonymous_id, "
                                        + "m.message_type, m.content, m.sentiment, m.emotional_intensity, m.\"timestamp\", m.status, m.removed_at IS NOT NULL "
                                        + "FROM group_messages m JOIN group_participants p ON p.id = m.participant_id WHERE m.group_id = ? "
                                        + "AND m.status = 'visible'"
                                        + page
                                        + " ORDER BY m.\"timestamp\" DESC, m.id DESC LIMIT ?")) {
            int i = 1;
            ps.setInt(i++, groupId);
            if (beforeTime != null) {
                ps.setTimestamp(i++, Timestamp.from(beforeTime));
                ps.setLong(i++, beforeId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(message(rs));
                }
            }
        }
        return out;
    }

    /** One message by id, as members see it. */
    public Optional<Message> message(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT m.id, m.group_id, p.anonymous_id, "
                                        + "m.message_type, m.content, m.sentiment, m.emotional_intensity, m.\"timestamp\", m.status, m.removed_at IS NOT NULL "
                                        + "FROM group_messages m JOIN group_participants p ON p.id = m.participant_id WHERE m.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(message(rs)) : Optional.empty();
            }
        }
    }

    private static Message message(ResultSet rs) throws SQLException {
        double s = rs.getDouble(6);
        Double sentiment = rs.wasNull() ? null : s;
        int e = rs.getInt(7);
        Integer intensity = rs.wasNull() ? null : e;
        return new Message(
                rs.getLong(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                sentiment,
                intensity,
                rs.getTimestamp(8).toInstant(),
                rs.getString(9),
                rs.getBoolean(10));
    }

    private Group groupIn(Connection c, int id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT " + GROUP_COLUMNS + " FROM therapy_groups g WHERE g.id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return group(rs);
            }
        }
    }

    private static Group group(ResultSet rs) throws SQLException {
        double score = rs.getDouble(7);
        Double compat = rs.wasNull() ? null : score;
        return new Group(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getInt(5),
                texts(rs.getArray(6)),
                compat,
                rs.getTimestamp(8).toInstant());
    }

    /** A PostgreSQL {@code text[]} as a list (empty for NULL). */
    public static List<String> texts(Array a) throws SQLException {
        return a == null
                ? List.of()
                : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }
}
