package io.chakrai.api.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.groups.GroupRepository;
import io.chakrai.models.Json;
import io.chakrai.models.content.Generated;
import io.chakrai.models.content.Personalisation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Therapeutic content and its use, in PostgreSQL; every query scoped to the caller (or the shared
 * library).
 */
public final class ContentRepository {
    private final DataSource db;

    public ContentRepository(DataSource db) {
        this.db = db;
    }

    /**
     * What the generator may personalise from: the person's last 14 days, latest check-in, groups,
     * what helped.
     */
    public Personalisation personalisation(
            int user, String focus, List<String> goals, int minutes, int difficulty)
            throws SQLException {
        int episodes = 0;
        String when = null;
        List<String> triggers = new ArrayList<>();
        List<String> factors = new ArrayList<>();
        List<String> themes = new ArrayList<>();
        List<String> helped = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT count(*), mode() WITHIN GROUP (ORDER BY extract(hour FROM prediction_time)) "
                                    + "FROM health_predictions WHERE user_id = ? AND prediction_type = 'stress_episode' AND prediction_time > now() - interval '14 days'")) {
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    episodes = rs.getInt(1);
                    double hour = rs.getDouble(2);
                    if (!rs.wasNull() && episodes > 0) {
                        when =
                                hour < 6
                                        ? "night"
                                        : hour < 12
                                                ? "morning"
                                                : hour < 18
                                                        ? "afternoon"
                                                        : hour < 22 ? "evening" : "night";
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT t FROM health_predictions, unnest(trigger_factors) t WHERE user_id = ? "
                                    + "AND prediction_type = 'stress_episode' AND prediction_time > now() - interval '14 days' GROUP BY t ORDER BY count(*) DESC LIMIT 3")) {
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        triggers.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT primary_risk_factors FROM mental_health_assessments WHERE user_id = ? "
                                    + "ORDER BY created_at DESC LIMIT 1")) {
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        factors.addAll(GroupRepository.texts(rs.getArray(1)));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT DISTINCT goal FROM group_participants p JOIN therapy_groups g ON g.id = p.group_id, "
                                    + "unnest(g.therapeutic_goals) goal WHERE p.user_id = ? AND p.left_at IS NULL LIMIT 3")) {
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        themes.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT c.content_type FROM content_usage_tracking u JOIN therapeutic_content c "
                                    + "ON c.id = u.content_id WHERE u.user_id = ? AND u.effectiveness IS NOT NULL GROUP BY 1 HAVING avg(u.effectiveness) >= 0.6 "
                                    + "ORDER BY avg(u.effectiveness) DESC")) {
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        helped.add(rs.getString(1));
                    }
                }
            }
        }
        return new Personalisation(
                focus,
                goals,
                minutes,
                difficulty,
                episodes,
                when,
                triggers,
                factors.contains("short_sleep"),
                factors.contains("falling_hrv"),
                factors,
                themes,
                helped);
    }

    /** The caller's latest risk level, if ever assessed. */
    public Optional<String> riskLevel(int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT risk_level FROM mental_health_assessments "
                                        + "WHERE user_id = ? ORDER BY created_at DESC LIMIT 1")) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public Content insert(int user, Generated g) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO therapeutic_content (user_id, content_type, "
                                        + "title, content, personalizations, target_conditions, therapeutic_goals, difficulty_level, estimated_duration, variant, generator) "
                                        + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) RETURNING id, created_at")) {
            ps.setInt(1, user);
            ps.setString(2, g.type().wire());
            ps.setString(3, g.title());
            ps.setString(4, g.text());
            ps.setString(5, Json.MAPPER.writeValueAsString(g.personalizations()));
            ps.setArray(6, c.createArrayOf("text", g.targetConditions().toArray()));
            ps.setArray(7, c.createArrayOf("text", g.therapeuticGoals().toArray()));
            ps.setInt(8, g.difficulty());
            ps.setInt(9, g.estimatedSeconds());
            ps.setString(10, g.variant());
            ps.setString(11, g.generator());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return one(rs.getLong(1), user).orElseThrow();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String COLUMNS =
            "c.id, c.user_id IS NULL, c.content_type, c.variant, c.title, c.content, c.personalizations::text, "
                    + "c.target_conditions, c.therapeutic_goals, c.difficulty_level, c.estimated_duration, c.generator, c.created_at";

    /** One piece the caller may see: their own, or the shared library's. */
    public Optional<Content> one(long id, int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + ", NULL, NULL, NULL "
                                        + "FROM therapeutic_content c WHERE c.id = ? AND (c.user_id = ? OR c.user_id IS NULL)")) {
            ps.setLong(1, id);
            ps.setInt(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, true, null)) : Optional.empty();
            }
        }
    }

    /**
     * The caller's own content and the shared library, filtered, ranked by measured effectiveness:
     * the caller's own effectiveness with this type of content (weight 0.6) and the piece's across
     * everyone who used it (0.4); 0.5 for what nobody has measured yet, so new pieces are tried.
     */
    public List<Content> library(
            int user, String type, String condition, String goal, Integer maxSeconds, int limit)
            throws SQLException {
        List<Content> out = new ArrayList<>();
        String sql =
                "WITH mine AS (SELECT c2.content_type, avg(u.effectiveness) e FROM content_usage_tracking u JOIN therapeutic_content c2 "
                        + "ON c2.id = u.content_id WHERE u.user_id = ? AND u.effectiveness IS NOT NULL GROUP BY 1), "
                        + "item AS (SELECT content_id, avg(effectiveness) e, count(effectiveness) n, avg(user_rating) r FROM content_usage_tracking GROUP BY 1) "
                        + "SELECT "
                        + COLUMNS
                        + ", item.e, item.n, item.r, "
                        + "0.6 * coalesce(mine.e, 0.5) + 0.4 * coalesce(item.e, 0.5) AS rank FROM therapeutic_content c "
                        + "LEFT JOIN mine ON mine.content_type = c.content_type LEFT JOIN item ON item.content_id = c.id "
                        + "WHERE (c.user_id = ? OR c.user_id IS NULL) AND (?::text IS NULL OR c.content_type = ?) "
                        + "AND (?::text IS NULL OR ? = ANY (c.target_conditions)) AND (?::text IS NULL OR ? = ANY (c.therapeutic_goals)) "
                        + "AND (?::int IS NULL OR c.estimated_duration <= ?) ORDER BY rank DESC, c.created_at DESC LIMIT ?";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, user);
            ps.setInt(i++, user);
            ps.setString(i++, type);
            ps.setString(i++, type);
            ps.setString(i++, condition);
            ps.setString(i++, condition);
            ps.setString(i++, goal);
            ps.setString(i++, goal);
            ps.setObject(i++, maxSeconds, java.sql.Types.INTEGER);
            ps.setObject(i++, maxSeconds, java.sql.Types.INTEGER);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, false, Math.round(rs.getDouble(17) * 1000) / 1000.0));
                }
            }
        }
        return out;
    }

    /**
     * A piece from {@link #COLUMNS}; its text when {@code withText}; its rank in a library list.
     */
    private static Content row(ResultSet rs, boolean withText, Double rank) throws SQLException {
        JsonNode personalizations;
        try {
            personalizations =
                    rs.getString(7) == null
                            ? Json.MAPPER.createArrayNode()
                            : Json.MAPPER.readTree(rs.getString(7));
        } catch (JsonProcessingException e) {
            personalizations = Json.MAPPER.createArrayNode();
        }
        double e = rs.getDouble(14);
        boolean measured = !rs.wasNull();
        int sessions = rs.getInt(15);
        double r = rs.getDouble(16);
        boolean rated = !rs.wasNull();
        return new Content(
                rs.getLong(1),
                rs.getBoolean(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                withText ? rs.getString(6) : null,
                personalizations,
                GroupRepository.texts(rs.getArray(8)),
                GroupRepository.texts(rs.getArray(9)),
                rs.getInt(10),
                rs.getInt(11),
                rs.getString(12),
                rs.getTimestamp(13).toInstant(),
                measured ? Math.round(e * 1000) / 1000.0 : null,
                measured ? sessions : null,
                rated ? Math.round(r * 100) / 100.0 : null,
                rank);
    }

    /** Starts a session of a piece; returns the usage id and its start. */
    public Content.Started start(int user, long content, Instant at) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO content_usage_tracking (user_id, content_id, "
                                        + "started_at) VALUES (?, ?, ?) RETURNING id")) {
            ps.setInt(1, user);
            ps.setLong(2, content);
            ps.setTimestamp(3, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Content.Started(rs.getLong(1), content, at);
            }
        }
    }

    /** Completes the caller's session; false when it is not theirs or already completed. */
    public boolean complete(int user, long usage, double completionRate, Instant at)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE content_usage_tracking SET completed_at = ?, "
                                        + "completion_rate = ? WHERE id = ? AND user_id = ? AND completed_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setDouble(2, completionRate);
            ps.setLong(3, usage);
            ps.setInt(4, user);
            return ps.executeUpdate() == 1;
        }
    }

    /** The caller's latest session of a piece, creating one (started now) when there is none. */
    private long latestUsage(Connection c, int user, long content) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id FROM content_usage_tracking WHERE user_id = ? AND content_id = ? "
                                + "ORDER BY started_at DESC LIMIT 1")) {
            ps.setInt(1, user);
            ps.setLong(2, content);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO content_usage_tracking (user_id, content_id) VALUES (?, ?) RETURNING id")) {
            ps.setInt(1, user);
            ps.setLong(2, content);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public long rate(int user, long content, int rating) throws SQLException {
        try (Connection c = db.getConnection()) {
            long usage = latestUsage(c, user, content);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE content_usage_tracking SET user_rating = ? WHERE id = ?")) {
                ps.setInt(1, rating);
                ps.setLong(2, usage);
                ps.executeUpdate();
            }
            return usage;
        }
    }

    public long feedback(
            int user,
            long content,
            Double completionRate,
            Integer moodBefore,
            Integer moodAfter,
            String comment)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            long usage = latestUsage(c, user, content);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE content_usage_tracking SET completion_rate = coalesce(?, completion_rate), "
                                    + "mood_before = coalesce(?, mood_before), mood_after = coalesce(?, mood_after), comment = coalesce(?, comment) WHERE id = ?")) {
                ps.setObject(1, completionRate, java.sql.Types.DOUBLE);
                ps.setString(2, moodBefore == null ? null : moodBefore.toString());
                ps.setString(3, moodAfter == null ? null : moodAfter.toString());
                ps.setString(4, comment);
                ps.setLong(5, usage);
                ps.executeUpdate();
            }
            return usage;
        }
    }

    /** A usage row of the caller's, as stored. */
    public Optional<Content.Usage> usage(int user, long usage) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, content_id, started_at, completed_at, "
                                        + "completion_rate, user_rating, mood_before, mood_after, effectiveness, hr_change, rmssd_change, measured_at "
                                        + "FROM content_usage_tracking WHERE id = ? AND user_id = ?")) {
            ps.setLong(1, usage);
            ps.setInt(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int rating = rs.getInt(6);
                boolean rated = !rs.wasNull();
                return Optional.of(
                        new Content.Usage(
                                rs.getLong(1),
                                rs.getLong(2),
                                rs.getTimestamp(3).toInstant(),
                                instant(rs.getTimestamp(4)),
                                number(rs, 5),
                                rated ? rating : null,
                                // moods are stored as the text of their 1-10 answer
                                mood(rs.getString(7)),
                                mood(rs.getString(8)),
                                number(rs, 9),
                                number(rs, 10),
                                number(rs, 11),
                                instant(rs.getTimestamp(12))));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() || Double.isNaN(d) ? null : d;
    }

    private static Integer mood(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return Integer.valueOf(stored.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
