package io.chakrai.api.analytics;

import io.chakrai.models.analytics.DailySummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's days in SQL, the figures {@link io.chakrai.models.analytics.DayFeatures} computes in
 * the daily re-assessment job: steps, median RMSSD, resting heart rate (10th percentile), the
 * night's sleep (a sleep reading belongs to the night that ends on the day six hours later) and
 * stress episodes.
 */
public final class DailySummaries {
    private static final String DAILY =
            """
            WITH r AS (
              SELECT data_type, value, "timestamp" AT TIME ZONE ? AS local FROM biometric_readings
              WHERE user_id = ? AND "timestamp" >= COALESCE(?::timestamptz, now()) - make_interval(days => ?)
                AND "timestamp" <= COALESCE(?::timestamptz, 'infinity')
                AND data_type IN ('sleep_stage', 'steps', 'hrv', 'heart_rate')),
            nights AS (
              SELECT (local + interval '6 hours')::date AS d, count(*) FILTER (WHERE value > 0) / 60.0 AS sleep_hours
              FROM r WHERE data_type = 'sleep_stage' GROUP BY 1),
            days AS (
              SELECT local::date AS d,
                     sum(value) FILTER (WHERE data_type = 'steps') AS steps,
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'hrv') AS hrv,
                     percentile_cont(0.1) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'heart_rate') AS rest_hr
              FROM r GROUP BY 1),
            episodes AS (
              SELECT (prediction_time AT TIME ZONE ?)::date AS d, count(*) AS n FROM health_predictions
              WHERE user_id = ? AND prediction_type = 'stress_episode' AND prediction_time >= COALESCE(?::timestamptz, now()) - make_interval(days => ?)
                AND prediction_time <= COALESCE(?::timestamptz, 'infinity')
              GROUP BY 1)
            SELECT days.d, nights.sleep_hours, COALESCE(episodes.n, 0), days.steps, days.hrv, days.rest_hr
            FROM days LEFT JOIN nights USING (d) LEFT JOIN episodes USING (d) ORDER BY days.d
            """;

    private DailySummaries() {}

    /**
     * The person's days over the last {@code days} days, in the IANA time zone {@code zone}, oldest
     * first.
     */
    public static List<DailySummary> of(Connection c, int user, int days, String zone)
            throws SQLException {
        return of(c, user, days, zone, null);
    }

    /**
     * The same for the {@code days} days up to {@code until} (null: now), e.g. for answers given in
     * the past.
     */
    public static List<DailySummary> of(
            Connection c, int user, int days, String zone, Instant until) throws SQLException {
        List<DailySummary> out = new ArrayList<>();
        Timestamp end = until == null ? null : Timestamp.from(until);
        try (PreparedStatement ps = c.prepareStatement(DAILY)) {
            ps.setString(1, zone);
            ps.setInt(2, user);
            ps.setTimestamp(3, end);
            ps.setInt(4, days);
            ps.setTimestamp(5, end);
            ps.setString(6, zone);
            ps.setInt(7, user);
            ps.setTimestamp(8, end);
            ps.setInt(9, days);
            ps.setTimestamp(10, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new DailySummary(
                                    rs.getObject(1, LocalDate.class),
                                    num(rs, 2),
                                    rs.getDouble(3),
                                    num(rs, 4),
                                    num(rs, 5),
                                    num(rs, 6)));
                }
            }
        }
        return out;
    }

    /** A nullable numeric column as a double, NaN for NULL. */
    public static double num(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }
}
