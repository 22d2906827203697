package io.chakrai.api.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A group's mood: the group-dynamics job's windows ({@code group_mood}) and its members'
 * engagement.
 */
public final class GroupMoodRepository {
    private final DataSource db;

    public GroupMoodRepository(DataSource db) {
        this.db = db;
    }

    public record Window(
            Instant start,
            Instant end,
            int messages,
            int participants,
            double meanSentiment,
            double meanIntensity,
            double negativeShare) {}

    public List<Window> windows(int groupId, Instant from) throws SQLException {
        List<Window> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT window_start, window_end, messages, "
                                        + "participants, mean_sentiment, mean_intensity, negative_share FROM group_mood WHERE group_id = ? AND window_start >= ? "
                                        + "ORDER BY window_start LIMIT 2000")) {
            ps.setInt(1, groupId);
            ps.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Window(
                                    rs.getTimestamp(1).toInstant(),
                                    rs.getTimestamp(2).toInstant(),
                                    rs.getInt(3),
                                    rs.getInt(4),
                                    round(rs.getDouble(5)),
                                    round(rs.getDouble(6)),
                                    round(rs.getDouble(7))));
                }
            }
        }
        return out;
    }

    /** Members now, their mean engagement (kept by the job), who wrote and how much lately. */
    public record Engagement(
            int members, double meanEngagement, int writersLastHour, int messagesLastHour) {}

    /** One pseudonym's part in the group since a time (facilitators and clinicians only). */
    public record MemberMood(
            String anonymousId,
            double engagementLevel,
            boolean member,
            int messages,
            Double meanSentiment,
            Instant lastMessageAt) {}

    /** Members now, how many wrote in the last hour, their mean engagement (kept by the job). */
    public Engagement engagement(int groupId, Instant hourAgo) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*), avg(engagement_level), "
                                        + "(SELECT count(DISTINCT participant_id) FROM group_messages WHERE group_id = ? AND \"timestamp\" >= ?), "
                                        + "(SELECT count(*) FROM group_messages WHERE group_id = ? AND \"timestamp\" >= ? AND status = 'visible') "
                                        + "FROM group_participants WHERE group_id = ? AND left_at IS NULL")) {
            ps.setInt(1, groupId);
            ps.setTimestamp(2, Timestamp.from(hourAgo));
            ps.setInt(3, groupId);
            ps.setTimestamp(4, Timestamp.from(hourAgo));
            ps.setInt(5, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Engagement(
                        rs.getInt(1), round(rs.getDouble(2)), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    /**
     * Per pseudonym (facilitators only): engagement, messages and mean sentiment since {@code
     * from}.
     */
    public List<MemberMood> perMember(int groupId, Instant from) throws SQLException {
        List<MemberMood> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT p.anonymous_id, p.engagement_level, "
                                        + "p.left_at IS NULL, count(m.id), avg(m.sentiment), max(m.\"timestamp\") FROM group_participants p "
                                        + "LEFT JOIN group_messages m ON m.participant_id = p.id AND m.\"timestamp\" >= ? WHERE p.group_id = ? "
                                        + "GROUP BY p.id ORDER BY p.anonymous_id")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setInt(2, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double s = rs.getDouble(5);
                    Double sentiment = rs.wasNull() ? null : round(s);
                    Timestamp last = rs.getTimestamp(6);
                    out.add(
                            new MemberMood(
                                    rs.getString(1),
                                    round(rs.getDouble(2)),
                                    rs.getBoolean(3),
                                    rs.getInt(4),
                                    sentiment,
                                    last == null ? null : last.toInstant()));
                }
            }
        }
        return out;
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
