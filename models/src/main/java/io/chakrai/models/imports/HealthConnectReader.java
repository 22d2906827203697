package io.chakrai.models.imports;

import io.chakrai.models.readings.DataType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Android Health Connect's export: its SQLite database, opened read-only (no extension can load),
 * each table read as a stream of rows. The tables and columns are those of Health Connect's own
 * storage. The mapping, in {@code docs/imports.md} too:
 *
 * <table>
 *   <tr><th>table</th><th>becomes</th></tr>
 *   <tr><td>heart_rate_record_series_table ({@code epoch_millis}, {@code beats_per_minute})</td><td>heart_rate</td></tr>
 *   <tr><td>heart_rate_variability_rmssd_record_table ({@code time}, {@code heart_rate_variability_millis})</td>
 *       <td>hrv (RMSSD)</td></tr>
 *   <tr><td>resting_heart_rate_record_table ({@code time}, {@code beats_per_minute})</td><td>resting_heart_rate</td></tr>
 *   <tr><td>steps_record_table ({@code start_time}, {@code count})</td><td>steps at its start</td></tr>
 *   <tr><td>respiratory_rate_record_table ({@code time}, {@code rate})</td><td>respiration_rate</td></tr>
 *   <tr><td>oxygen_saturation_record_table ({@code time}, {@code percentage})</td><td>spo2</td></tr>
 *   <tr><td>sleep_stages_table ({@code stage_start_time}, {@code stage_end_time}, {@code stage_type})</td>
 *       <td>sleep_stage each minute: awake (1) and awake in bed (7) 0, light (4) 1, deep (5) 2, REM (6) 3, sleeping
 *       with no stage (2) 4; unknown (0) and out of bed (3) left out</td></tr>
 *   <tr><td>sleep_session_record_table ({@code start_time}, {@code end_time}) with no stages</td>
 *       <td>sleep_stage 4 (asleep, no stage recorded) each minute of the session</td></tr>
 * </table>
 *
 * Each app the export names ({@code application_info_table}) is a source of its own.
 */
public final class HealthConnectReader {
    /**
     * A table's rows: a time (epoch ms), a value, the app's id; what each becomes; the tables the
     * query reads.
     */
    private record Instants(String table, String sql, DataType type, List<String> reads) {
        Instants(String table, String sql, DataType type) {
            this(table, sql, type, List.of(table));
        }
    }

    private static final List<Instants> INSTANTS =
            List.of(
                    new Instants(
                            "heart_rate_record_series_table",
                            "SELECT s.epoch_millis, s.beats_per_minute, r.app_info_id "
                                    + "FROM heart_rate_record_series_table s JOIN heart_rate_record_table r ON s.parent_key = r.row_id",
                            DataType.HEART_RATE,
                            List.of("heart_rate_record_series_table", "heart_rate_record_table")),
                    new Instants(
                            "heart_rate_variability_rmssd_record_table",
                            "SELECT time, heart_rate_variability_millis, app_info_id "
                                    + "FROM heart_rate_variability_rmssd_record_table",
                            DataType.HRV),
                    new Instants(
                            "resting_heart_rate_record_table",
                            "SELECT time, beats_per_minute, app_info_id "
                                    + "FROM resting_heart_rate_record_table",
                            DataType.RESTING_HEART_RATE),
                    new Instants(
                            "steps_record_table",
                            "SELECT start_time, count, app_info_id FROM steps_record_table",
                            DataType.STEPS),
                    new Instants(
                            "respiratory_rate_record_table",
                            "SELECT time, rate, app_info_id FROM respiratory_rate_record_table",
                            DataType.RESPIRATION_RATE),
                    new Instants(
                            "oxygen_saturation_record_table",
                            "SELECT time, percentage, app_info_id FROM oxygen_saturation_record_table",
                            DataType.SPO2));
    private static final Map<Integer, Integer> STAGES =
            Map.of(1, 0, 7, 0, 4, 1, 5, 2, 6, 3, 2, DataType.ASLEEP_UNSTAGED);
    static final String SOURCE = "Health Connect";

    private HealthConnectReader() {}

    public static void read(Path database, ImportSink sink) throws ImportRefused {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.enableLoadExtension(false);
        try (Connection c = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                // a view or trigger of the file may not call functions with side effects
                st.execute("PRAGMA trusted_schema = OFF");
            }
            // only real tables are read: a name that is a view (which could compute rows without
            // end) is not a table
            Set<String> tables = tables(c);
            boolean any =
                    tables.contains("sleep_stages_table")
                            || tables.contains("sleep_session_record_table")
                            || INSTANTS.stream().anyMatch(i -> tables.contains(i.table()));
            if (!any) {
                throw new ImportRefused(
                        "not a Health Connect export: the database has none of Health Connect's tables");
            }
            Map<Integer, String> apps = apps(c, tables);
            for (Instants i : INSTANTS) {
                if (tables.containsAll(i.reads())) {
                    rows(
                            c,
                            i.sql(),
                            rs -> {
                                long at = rs.getLong(1);
                                double value = rs.getDouble(2);
                                if (rs.wasNull()) {
                                    sink.skip("value missing");
                                } else {
                                    sink.sample(
                                            apps.getOrDefault(rs.getInt(3), SOURCE),
                                            i.type(),
                                            value,
                                            Instant.ofEpochMilli(at));
                                }
                            });
                }
            }
            if (tables.contains("sleep_stages_table")
                    && tables.contains("sleep_session_record_table")) {
                rows(
                        c,
                        "SELECT st.stage_start_time, st.stage_end_time, st.stage_type, r.app_info_id FROM sleep_stages_table st "
                                + "JOIN sleep_session_record_table r ON st.parent_key = r.row_id",
                        rs -> {
                            long from = rs.getLong(1);
                            long to = rs.getLong(2);
                            Integer stage = STAGES.get(rs.getInt(3));
                            if (stage == null) {
                                sink.skip("sleep stage unknown or out of bed");
                            } else {
                                sleep(
                                        sink,
                                        apps.getOrDefault(rs.getInt(4), SOURCE),
                                        from,
                                        to,
                                        stage);
                            }
                        });
            }
            if (tables.contains("sleep_session_record_table")) {
                // a session its app gave no stages: asleep from its start to its end
                rows(
                        c,
                        tables.contains("sleep_stages_table")
                                ? "SELECT r.start_time, r.end_time, r.app_info_id FROM sleep_session_record_table r "
                                        + "WHERE NOT EXISTS (SELECT 1 FROM sleep_stages_table st WHERE st.parent_key = r.row_id)"
                                : "SELECT start_time, end_time, app_info_id FROM sleep_session_record_table",
                        rs ->
                                sleep(
                                        sink,
                                        apps.getOrDefault(rs.getInt(3), SOURCE),
                                        rs.getLong(1),
                                        rs.getLong(2),
                                        DataType.ASLEEP_UNSTAGED));
            }
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            throw new ImportRefused(
                    m.contains("not a database") || m.contains("file is encrypted")
                            ? "not a Health Connect export: the file is not an SQLite database"
                            : m.contains("malformed") || m.contains("corrupt")
                                    ? "the Health Connect database is damaged"
                                    : "the Health Connect database could not be read (its tables are not as Health Connect writes them)");
        }
    }

    /** A sleep stage for each minute of a period, from its start. */
    private static void sleep(ImportSink sink, String source, long from, long to, int stage) {
        if (to < from || to - from > AppleHealthReader.LONGEST_PERIOD.toMillis()) {
            sink.skip("period without a valid start and end");
            return;
        }
        for (long t = from; t < to || t == from; t += 60_000) {
            sink.sample(source, DataType.SLEEP_STAGE, stage, Instant.ofEpochMilli(t));
        }
    }

    @FunctionalInterface
    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void rows(Connection c, String sql, Row each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                each.accept(rs);
            }
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The apps the export names, by id: each a source of its own. */
    private static Map<Integer, String> apps(Connection c, Set<String> tables) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        if (!tables.contains("application_info_table")) {
            return out;
        }
        try {
            rows(
                    c,
                    "SELECT row_id, coalesce(application_name, package_name) FROM application_info_table",
                    rs -> {
                        String name = rs.getString(2);
                        if (name != null && !name.isBlank()) {
                            out.put(rs.getInt(1), AppleHealthReader.clip(name.strip()));
                        }
                        if (out.size() > 1_000) {
                            throw new SQLException("more than 1,000 apps");
                        }
                    });
        } catch (SQLException e) {
            // an older export without application_name: the package's name
            rows(
                    c,
                    "SELECT row_id, package_name FROM application_info_table LIMIT 1000",
                    rs ->
                            out.put(
                                    rs.getInt(1),
                                    AppleHealthReader.clip(String.valueOf(rs.getString(2)))));
        }
        return out;
    }
}
