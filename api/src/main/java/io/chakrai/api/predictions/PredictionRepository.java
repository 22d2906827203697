package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.PredictionCodec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** {@code health_predictions} and {@code interventions}, always scoped to the caller. */
public final class PredictionRepository {
    private final DataSource db;

    public PredictionRepository(DataSource db) {
        this.db = db;
    }

    /** A prediction as stored, with its row id. */
    public record Stored(long id, Prediction prediction) {}

    public List<Stored> predictions(int user, String type, Instant from, Instant to, int limit)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT p.id, prediction_type, predicted_value, confidence, timeframe, "
                                + "prediction_time, target_time, trigger_factors, preventive_actions, actual_outcome, accuracy, "
                                + "i.intervention_type, i.content, i.urgency FROM health_predictions p "
                                + "LEFT JOIN interventions i ON i.prediction_id = p.id WHERE p.user_id = ?");
        List<Object> args = new ArrayList<>(List.of(user));
        if (type != null) {
            sql.append(" AND prediction_type = ?");
            args.add(type);
        }
        if (from != null) {
            sql.append(" AND prediction_time >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND prediction_time < ?");
            args.add(Timestamp.from(to));
        }
        sql.append(" ORDER BY prediction_time DESC LIMIT ?");
        args.add(limit);
        List<Stored> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Stored(
                                    rs.getLong(1),
                                    new Prediction(
                                            user,
                                            rs.getString(2),
                                            (int) Math.round(rs.getDouble(3)),
                                            rs.getDouble(4),
                                            rs.getString(5),
                                            rs.getTimestamp(6).getTime(),
                                            rs.getTimestamp(7).getTime(),
                                            texts(rs.getArray(8)),
                                            texts(rs.getArray(9)),
                                            rs.getString(12),
                                            rs.getString(13),
                                            rs.getString(14),
                                            nullableDouble(rs, 10),
                                            nullableDouble(rs, 11))));
                }
            }
        }
        return out;
    }

    private static double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /**
     * Per prediction type: how many, how many with an outcome, and the share of those that were
     * right.
     */
    public Map<String, Accuracy> accuracy(Integer user) throws SQLException {
        Map<String, Accuracy> out = new TreeMap<>();
        String sql =
                "SELECT prediction_type, count(*), count(accuracy), avg(accuracy) FROM health_predictions"
                        + (user == null ? "" : " WHERE user_id = ?")
                        + " GROUP BY 1";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (user != null) {
                ps.setInt(1, user);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double precision = rs.getDouble(4);
                    Double known = rs.wasNull() ? null : Math.round(precision * 1000) / 1000.0;
                    out.put(rs.getString(1), new Accuracy(rs.getLong(2), rs.getLong(3), known));
                }
            }
        }
        return out;
    }

    /**
     * One type's predictions, how many have an outcome, and the share of those that came true (null
     * until one has).
     */
    public record Accuracy(long predictions, long withOutcome, Double precision) {}

    private static final String INTERVENTION =
            "id, prediction_id, intervention_type, content, urgency, status, helpful_rating, created_at, responded_at";

    public List<Intervention> interventions(int user, String status, int limit)
            throws SQLException {
        String sql =
                "SELECT "
                        + INTERVENTION
                        + " FROM interventions WHERE user_id = ?"
                        + (status == null ? "" : " AND status = ?")
                        + " ORDER BY created_at DESC LIMIT ?";
        List<Intervention> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, user);
            if (status != null) {
                ps.setString(i++, status);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(intervention(rs));
                }
            }
        }
        return out;
    }

    private static Intervention intervention(ResultSet rs) throws SQLException {
        Timestamp responded = rs.getTimestamp(9);
        return new Intervention(
                rs.getLong(1),
                rs.getObject(2, Long.class),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getObject(7, Integer.class),
                rs.getTimestamp(8).toInstant(),
                responded == null ? null : responded.toInstant());
    }

    /**
     * Records the caller's response and returns the intervention as it now stands; empty when the
     * caller has no such intervention.
     */
    public Optional<Intervention> respond(int user, long id, String status, Integer helpful)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE interventions SET status = COALESCE(?, status), helpful_rating = COALESCE(?, helpful_rating), "
                                        + "responded_at = now() WHERE id = ? AND user_id = ? RETURNING "
                                        + INTERVENTION)) {
            ps.setString(1, status);
            if (helpful == null) {
                ps.setNull(2, Types.INTEGER);
            } else {
                ps.setInt(2, helpful);
            }
            ps.setLong(3, id);
            ps.setInt(4, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(intervention(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The analysis of a period: per day, resting heart rate (10th percentile) and median HRV
     * against the person's median over the period, sleep minutes, and the period's stress episodes
     * with their triggers.
     */
    public ObjectNode analysis(int user, Instant from, Instant to) throws SQLException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("from", from.toString());
        out.put("to", to.toString());
        ArrayNode days = out.putArray("days");
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT date_trunc('day', \"timestamp\" AT TIME ZONE 'UTC') d, "
                                    + "percentile_cont(0.1) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'heart_rate'), "
                                    + "percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'hrv'), "
                                    + "count(*) FILTER (WHERE data_type = 'sleep_stage' AND value > 0) "
                                    + "FROM biometric_readings WHERE user_id = ? AND \"timestamp\" >= ? AND \"timestamp\" < ? "
                                    + "AND data_type IN ('heart_rate', 'hrv', 'sleep_stage') GROUP BY 1 ORDER BY 1")) {
                ps.setInt(1, user);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode d = days.addObject();
                        d.put("day", rs.getTimestamp(1).toLocalDateTime().toLocalDate().toString());
                        putNullable(d, "resting_heart_rate_bpm", rs.getDouble(2), rs.wasNull());
                        putNullable(d, "hrv_rmssd_ms", rs.getDouble(3), rs.wasNull());
                        // a sleep stage is reported once a minute while asleep
                        d.put("sleep_minutes", rs.getLong(4));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT "
                                    + "percentile_cont(0.1) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'heart_rate'), "
                                    + "percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FILTER (WHERE data_type = 'hrv') "
                                    + "FROM biometric_readings WHERE user_id = ? AND \"timestamp\" >= ? AND \"timestamp\" < ? "
                                    + "AND data_type IN ('heart_rate', 'hrv')")) {
                ps.setInt(1, user);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ObjectNode b = out.putObject("baseline");
                    putNullable(b, "resting_heart_rate_bpm", rs.getDouble(1), rs.wasNull());
                    putNullable(b, "hrv_rmssd_ms", rs.getDouble(2), rs.wasNull());
                }
            }
        }
        for (var d : days) {
            ObjectNode day = (ObjectNode) d;
            JsonDelta.put(
                    day,
                    "resting_heart_rate_vs_baseline_bpm",
                    day.get("resting_heart_rate_bpm"),
                    out.at("/baseline/resting_heart_rate_bpm"));
            JsonDelta.put(
                    day,
                    "hrv_vs_baseline_ms",
                    day.get("hrv_rmssd_ms"),
                    out.at("/baseline/hrv_rmssd_ms"));
        }
        ArrayNode list = out.putArray("stress_episodes");
        double minutes = 0;
        for (Stored stored : predictions(user, "stress_episode", from, to, 1_000)) {
            ObjectNode e = PredictionCodec.toRest(stored.id(), stored.prediction());
            ObjectNode x = list.addObject();
            x.put("prediction_time", e.get("prediction_time").asText());
            x.put("level", e.get("predicted_value").asDouble());
            x.set("trigger_factors", e.get("trigger_factors"));
            x.set("actual_outcome", e.get("actual_outcome"));
            // the episode's first minutes plus the share of the following 15 minutes that were
            // stress
            double outcome = stored.prediction().actualOutcome();
            minutes += 3 + (Double.isNaN(outcome) ? 0 : 15 * outcome / 100);
        }
        out.put("time_in_stress_minutes", Math.round(minutes));
        return out;
    }

    private static void putNullable(ObjectNode n, String field, double v, boolean isNull) {
        if (isNull) {
            n.putNull(field);
        } else {
            n.put(field, Math.round(v * 10) / 10.0);
        }
    }

    private static String[] texts(Array a) throws SQLException {
        return a == null ? new String[0] : (String[]) a.getArray();
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    /** a - b for two nullable JSON numbers. */
    private static final class JsonDelta {
        static void put(ObjectNode target, String field, JsonNode a, JsonNode b) {
            if (a == null || b == null || a.isNull() || b.isNull() || b.isMissingNode()) {
                target.putNull(field);
            } else {
                target.put(field, Math.round((a.asDouble() - b.asDouble()) * 10) / 10.0);
            }
        }
    }
}
