package io.chakrai.api.privacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import io.chakrai.models.storage.Erasure;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Everything stored about one person, for their export and their erasure. Each table is listed once
 * here with the query that selects exactly that person's rows; secrets (password hash, device
 * tokens, refresh-token hashes) are never exported.
 */
public final class PrivacyRepository {
    /**
     * What the export holds: file name (without extension) → the query of the person's rows ({@code
     * ?} = user id).
     */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("account", "SELECT id, email, display_name, created_at FROM users WHERE id = ?");
        TABLES.put(
                "devices",
                "SELECT id, device_type, device_id, device_name, connection_status, data_types, sync_frequency, "
                        + "last_sync_at, auth_token IS NOT NULL AS has_auth_token, settings, is_active, created_at, updated_at "
                        + "FROM biometric_devices WHERE user_id = ? ORDER BY id");
        TABLES.put(
                "imports",
                "SELECT id, status, format, file_name, time_zone, size_bytes, records_read, accepted, duplicates, "
                        + "skipped, error, created_at, finished_at FROM biometric_imports WHERE user_id = ? ORDER BY id");
        TABLES.put(
                "predictions",
                "SELECT id, prediction_type, predicted_value, confidence, timeframe, prediction_time, "
                        + "target_time, trigger_factors, preventive_actions, intervention_triggered, actual_outcome, accuracy, created_at "
                        + "FROM health_predictions WHERE user_id = ? ORDER BY prediction_time");
        TABLES.put(
                "interventions",
                "SELECT * FROM interventions WHERE user_id = ? ORDER BY created_at");
        TABLES.put(
                "stress_answers",
                "SELECT id, kind, prediction_id, answer, stress_level, minute_start, created_at "
                        + "FROM stress_answers WHERE user_id = ? ORDER BY minute_start");
        TABLES.put(
                "assessments",
                "SELECT * FROM mental_health_assessments WHERE user_id = ? ORDER BY created_at");
        TABLES.put(
                "voice_analyses",
                "SELECT * FROM voice_health_analysis WHERE user_id = ? ORDER BY created_at");
        TABLES.put(
                "model_scores",
                "SELECT model_name, model_version, window_start, probability FROM model_scores "
                        + "WHERE user_id = ? ORDER BY window_start");
        // every risk model's daily score with the features it saw, the shadowed challenger's
        // included: the product
        // shows them to nobody, but they are the person's data
        TABLES.put(
                "risk_scores",
                "SELECT assessed_day, model_version, role, score, features FROM risk_scores "
                        + "WHERE user_id = ? ORDER BY assessed_day, model_version");
        TABLES.put(
                "group_memberships",
                "SELECT p.group_id, g.session_type, p.anonymous_id, p.participation_style, "
                        + "p.therapeutic_goals, p.joined_at FROM group_participants p JOIN therapy_groups g ON g.id = p.group_id "
                        + "WHERE p.user_id = ? ORDER BY p.joined_at");
        TABLES.put(
                "group_messages_written",
                "SELECT m.group_id, m.message_type, m.content, m.sentiment, m.emotional_intensity, "
                        + "m.\"timestamp\" FROM group_messages m JOIN group_participants p ON p.id = m.participant_id "
                        + "WHERE p.user_id = ? ORDER BY m.\"timestamp\"");
        TABLES.put(
                "crisis_escalations",
                "SELECT kind, severity, group_id, concepts, reasons, status, created_at, acknowledged_at, "
                        + "resolved_at FROM crisis_escalations WHERE user_id = ? ORDER BY created_at");
        TABLES.put(
                "content",
                "SELECT * FROM therapeutic_content WHERE user_id = ? ORDER BY created_at");
        TABLES.put(
                "content_usage",
                "SELECT * FROM content_usage_tracking WHERE user_id = ? ORDER BY started_at");
        TABLES.put(
                "facilitated_groups",
                "SELECT group_id, assigned_at FROM group_facilitators WHERE user_id = ? ORDER BY assigned_at");
        TABLES.put(
                "consents", "SELECT kind, granted, at FROM consents WHERE user_id = ? ORDER BY at");
        TABLES.put(
                "audit_trail",
                "SELECT actor, action, what, why, at FROM audit_log WHERE user_id = ? ORDER BY at");
        TABLES.put(
                "sign_in_sessions",
                "SELECT id, created_at, last_used_at, expires_at, revoked_at, revoked_why "
                        + "FROM auth_sessions WHERE user_id = ? ORDER BY created_at");
    }

    /** The tables the export reads a person's rows from (the readings included). */
    public static java.util.Set<String> exportedTables() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?:FROM|JOIN) ([a-z_]+)")
                        .matcher(String.join(" ", TABLES.values()) + " " + READINGS);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The readings, streamed: far too many to hold in memory for a long history. */
    static final String READINGS =
            "SELECT \"timestamp\", data_type, value, unit, quality, confidence, device_id, metadata "
                    + "FROM biometric_readings WHERE user_id = ? ORDER BY \"timestamp\"";

    /**
     * A reading as the export's {@code readings.csv} holds it: its columns are these components, in
     * this order, snake_case ({@code data_type}).
     */
    record ExportedReading(
            String timestamp,
            String dataType,
            double value,
            String unit,
            double quality,
            double confidence,
            int deviceId,
            String metadata) {}

    private final DataSource db;

    public PrivacyRepository(DataSource db) {
        this.db = db;
    }

    /** Receives rows one at a time. */
    @FunctionalInterface
    interface RowSink {
        void row(ObjectNode row) throws java.io.IOException;
    }

    /** Receives readings one at a time. */
    @FunctionalInterface
    interface ReadingSink {
        void reading(ExportedReading reading) throws java.io.IOException;
    }

    /** How many rows of each kind the person has (the export's manifest, and its progress). */
    Map<String, Long> counts(int user) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            for (var t : TABLES.entrySet()) {
                out.put(
                        t.getKey(),
                        count(c, "SELECT count(*) FROM (" + t.getValue() + ") x", user));
            }
            out.put(
                    "readings",
                    count(c, "SELECT count(*) FROM biometric_readings WHERE user_id = ?", user));
        }
        return out;
    }

    private static long count(Connection c, String sql, int user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void rows(int user, String table, RowSink sink) throws SQLException, java.io.IOException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(TABLES.get(table))) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    ObjectNode n = Json.MAPPER.createObjectNode();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        n.set(
                                md.getColumnLabel(i),
                                Json.MAPPER.valueToTree(value(rs.getObject(i))));
                    }
                    sink.row(n);
                }
            }
        }
    }

    /** The readings through a server-side cursor, a batch at a time. */
    void readings(int user, ReadingSink sink) throws SQLException, java.io.IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(READINGS)) {
                ps.setFetchSize(5_000);
                ps.setInt(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.reading(
                                new ExportedReading(
                                        rs.getTimestamp(1).toInstant().toString(),
                                        rs.getString(2),
                                        rs.getDouble(3),
                                        rs.getString(4),
                                        rs.getDouble(5),
                                        rs.getDouble(6),
                                        rs.getInt(7),
                                        rs.getString(8)));
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Array a) {
            return a.getArray();
        }
        if (v instanceof org.postgresql.util.PGobject o) {
            try {
                return Json.MAPPER.readTree(o.getValue());
            } catch (java.io.IOException e) {
                return o.getValue();
            }
        }
        return v;
    }

    /**
     * Erases the person in one transaction: their rows from every table; in groups, their messages
     * keep their place with the text gone and their pseudonym stays, unlinked from them. Returns
     * rows erased per table.
     */
    Map<String, Integer> erase(int user, String throttleKey, Instant now) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                // waits for batches of readings already being written; every later one sees the
                // tombstone
                try (PreparedStatement lock =
                        c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, Erasure.LOCK_KEY);
                    lock.execute();
                }
                out.put(
                        "group_messages",
                        update(
                                c,
                                "UPDATE group_messages SET content = NULL, sentiment = NULL, "
                                        + "emotional_intensity = NULL, removed_at = ? WHERE participant_id IN "
                                        + "(SELECT id FROM group_participants WHERE user_id = ?)",
                                now,
                                user));
                // their seats are freed (a group left empty closes), as if they had left
                update(
                        c,
                        "UPDATE therapy_groups g SET current_participants = greatest(current_participants - 1, 0), status = CASE WHEN "
                                + "current_participants <= 1 THEN 'closed' ELSE status END, updated_at = now() FROM group_participants p "
                                + "WHERE p.group_id = g.id AND p.user_id = ? AND p.left_at IS NULL",
                        null,
                        user);
                update(
                        c,
                        "UPDATE group_participants SET left_at = now() WHERE user_id = ? AND left_at IS NULL",
                        null,
                        user);
                out.put(
                        "crisis_escalations",
                        update(c, "DELETE FROM crisis_escalations WHERE user_id = ?", null, user));
                out.put(
                        "group_participants",
                        update(
                                c,
                                "UPDATE group_participants SET user_id = NULL, current_mood = NULL, "
                                        + "therapeutic_goals = NULL WHERE user_id = ?",
                                null,
                                user));
                for (String table :
                        List.of(
                                "content_usage_tracking",
                                "therapeutic_content",
                                "model_scores",
                                "risk_scores",
                                "voice_health_analysis",
                                "interventions",
                                "stress_answers",
                                "health_predictions",
                                "mental_health_assessments",
                                "biometric_readings",
                                "biometric_imports",
                                "biometric_devices",
                                "auth_sessions",
                                "group_facilitators")) {
                    out.put(
                            table,
                            update(c, "DELETE FROM " + table + " WHERE user_id = ?", null, user));
                }
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT set_config('chakrai.erasing_user', ?, true)")) {
                    ps.setString(1, Integer.toString(user));
                    ps.execute();
                }
                out.put(
                        "audit_log",
                        update(c, "DELETE FROM audit_log WHERE user_id = ?", null, user));
                out.put("users", update(c, "DELETE FROM users WHERE id = ?", null, user));
                // what is still on its way (Kafka, a job's batch) is discarded when it arrives
                update(
                        c,
                        "INSERT INTO erased_users (user_id) VALUES (?) ON CONFLICT DO NOTHING",
                        null,
                        user);
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM sign_in_throttle WHERE key = ?")) {
                    ps.setString(1, throttleKey);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    private static int update(Connection c, String sql, Instant at, int user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (at != null) {
                ps.setTimestamp(i++, Timestamp.from(at));
            }
            ps.setInt(i, user);
            return ps.executeUpdate();
        }
    }
}
