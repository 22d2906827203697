package io.chakrai.api.readings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.http.Cursor;
import io.chakrai.models.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A user's readings, newest first, in pages. Served by the spec's index {@code (user_id,
 * "timestamp" DESC)}; the cursor is the last row's (timestamp, id), so a page costs the same
 * however deep the client has paged, and rows arriving meanwhile neither repeat nor vanish.
 */
public final class ReadingRepository {
    private final DataSource db;

    public ReadingRepository(DataSource db) {
        this.db = db;
    }

    /** One stored reading as the API returns it. */
    public record StoredReading(
            long id,
            int deviceId,
            String dataType,
            double value,
            String unit,
            double quality,
            double confidence,
            Instant timestamp,
            JsonNode metadata) {}

    public record Page(List<StoredReading> readings, String nextCursor) {}

    public record Filter(
            String dataType, Integer deviceId, Instant from, Instant to, int limit, Cursor after) {}

    /**
     * One day of a person's readings in a few figures: mean heart rate, mean HRV (RMSSD) and SDNN,
     * the resting heart rate, steps, and minutes asleep (a night counts to the day it ends on: a
     * sleep minute belongs to the date six hours later, as the daily risk features count it). Null
     * where the day has none of a kind.
     */
    public record Day(
            LocalDate day,
            Double heartRate,
            Double hrv,
            Double hrvSdnn,
            Double restingHeartRate,
            Long steps,
            long sleepMinutes,
            long readings) {}

    /** The person's days from {@code first} to {@code last}, in {@code zone}, oldest first. */
    public List<Day> daily(int userId, LocalDate first, LocalDate last, ZoneId zone)
            throws SQLException {
        // a night's sleep counts to the day it ends on: the evening before the first day belongs to
        // it
        Instant from = first.atStartOfDay(zone).toInstant().minus(java.time.Duration.ofHours(6));
        List<Day> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + "((CASE WHEN data_type = 'sleep_stage' THEN \"timestamp\" + interval '6 hours' ELSE \"timestamp\" END) "
                                        + "AT TIME ZONE ?)::date AS day, "
                                        + "(avg(value) FILTER (WHERE data_type = 'heart_rate'))::float8, (avg(value) FILTER (WHERE data_type = 'hrv'))::float8, "
                                        + "(avg(value) FILTER (WHERE data_type = 'hrv_sdnn'))::float8, "
                                        + "(min(value) FILTER (WHERE data_type = 'resting_heart_rate'))::float8, "
                                        + "(sum(value) FILTER (WHERE data_type = 'steps'))::float8, count(*) FILTER (WHERE data_type = 'sleep_stage' AND value > 0), "
                                        + "count(*) FROM biometric_readings WHERE user_id = ? AND \"timestamp\" >= ? GROUP BY 1 ORDER BY 1")) {
            ps.setString(1, zone.getId());
            ps.setInt(2, userId);
            ps.setTimestamp(3, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    if (day.isBefore(first) || day.isAfter(last)) {
                        continue; // readings of the evening before the first day, or tonight's
                        // sleep counting to tomorrow
                    }
                    out.add(
                            new Day(
                                    rs.getObject(1, LocalDate.class),
                                    round(rs.getObject(2, Double.class)),
                                    round(rs.getObject(3, Double.class)),
                                    round(rs.getObject(4, Double.class)),
                                    round(rs.getObject(5, Double.class)),
                                    rs.getObject(6, Double.class) == null
                                            ? null
                                            : Math.round(rs.getDouble(6)),
                                    rs.getLong(7),
                                    rs.getLong(8)));
                }
            }
        }
        return out;
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 10) / 10.0;
    }

    public Page page(int userId, Filter f) throws SQLException {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT id, device_id, data_type, value, unit, quality, confidence, "
                                + "\"timestamp\", metadata FROM biometric_readings WHERE user_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(userId);
        if (f.dataType() != null) {
            sql.append(" AND data_type = ?");
            args.add(f.dataType());
        }
        if (f.deviceId() != null) {
            sql.append(" AND device_id = ?");
            args.add(f.deviceId());
        }
        if (f.from() != null) {
            sql.append(" AND \"timestamp\" >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND \"timestamp\" < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.after() != null) {
            sql.append(" AND (\"timestamp\", id) < (?, ?)");
            args.add(Timestamp.from(f.after().timestamp()));
            args.add(f.after().id());
        }
        sql.append(" ORDER BY \"timestamp\" DESC, id DESC LIMIT ?");
        args.add(f.limit() + 1);

        List<StoredReading> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String meta = rs.getString(9);
                    rows.add(
                            new StoredReading(
                                    rs.getLong(1),
                                    rs.getInt(2),
                                    rs.getString(3),
                                    rs.getDouble(4),
                                    rs.getString(5),
                                    rs.getDouble(6),
                                    rs.getDouble(7),
                                    rs.getTimestamp(8).toInstant(),
                                    meta == null ? null : Json.MAPPER.readTree(meta)));
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("stored metadata is not JSON", e);
            }
        }
        return new Page(rows, Cursor.next(rows, f.limit(), r -> new Cursor(r.timestamp(), r.id())));
    }
}
