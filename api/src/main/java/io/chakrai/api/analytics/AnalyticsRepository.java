package io.chakrai.api.analytics;

import io.chakrai.models.analytics.DailySummary;
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
 * The SQL behind the caller's patterns, correlations and model scores; every query scoped to one
 * person.
 */
public final class AnalyticsRepository {
    private final DataSource db;

    public AnalyticsRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Stress episodes of the last {@code days} days counted by local hour (0..23) and ISO weekday
     * (Mon..Sun).
     */
    public record EpisodeTimes(int[] byHour, int[] byWeekday) {}

    /** One score a model job wrote for the person. */
    public record ModelScore(int version, Instant windowStart, double probability) {}

    public EpisodeTimes episodeTimes(int user, int days, String zone) throws SQLException {
        int[] byHour = new int[24];
        int[] byWeekday = new int[7];
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + "extract(hour FROM prediction_time AT TIME ZONE ?)::int, extract(isodow FROM prediction_time AT TIME ZONE ?)::int "
                                        + "FROM health_predictions WHERE user_id = ? AND prediction_type = 'stress_episode' "
                                        + "AND prediction_time >= now() - make_interval(days => ?)")) {
            ps.setString(1, zone);
            ps.setString(2, zone);
            ps.setInt(3, user);
            ps.setInt(4, days);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byHour[rs.getInt(1)]++;
                    byWeekday[rs.getInt(2) - 1]++;
                }
            }
        }
        return new EpisodeTimes(byHour, byWeekday);
    }

    public List<DailySummary> days(int user, int days, String zone) throws SQLException {
        try (Connection c = db.getConnection()) {
            return DailySummaries.of(c, user, days, zone);
        }
    }

    /** Newest first; {@code version}, {@code from} and {@code to} optional. */
    public List<ModelScore> modelScores(
            int user, String model, Integer version, Instant from, Instant to, int limit)
            throws SQLException {
        String sql =
                "SELECT model_version, window_start, probability FROM model_scores WHERE user_id = ? AND model_name = ?"
                        + (version == null ? "" : " AND model_version = ?")
                        + (from == null ? "" : " AND window_start >= ?")
                        + (to == null ? "" : " AND window_start < ?")
                        + " ORDER BY window_start DESC, model_version LIMIT ?";
        List<ModelScore> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, user);
            ps.setString(i++, model);
            if (version != null) {
                ps.setInt(i++, version);
            }
            if (from != null) {
                ps.setTimestamp(i++, Timestamp.from(from));
            }
            if (to != null) {
                ps.setTimestamp(i++, Timestamp.from(to));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new ModelScore(
                                    rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
                }
            }
        }
        return out;
    }
}
