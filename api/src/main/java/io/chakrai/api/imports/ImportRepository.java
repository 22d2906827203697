package io.chakrai.api.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.chakrai.models.Json;
import io.chakrai.models.readings.BiometricReading;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code biometric_imports} rows, each scoped to its owner; and which readings of a batch are
 * stored already.
 */
public final class ImportRepository {
    private static final String COLUMNS =
            "id, status, format, file_name, time_zone, size_bytes, received_bytes, read_bytes, "
                    + "records_read, accepted, duplicates, skipped::text, error, created_at, started_at, finished_at";

    private final DataSource db;

    public ImportRepository(DataSource db) {
        this.db = db;
    }

    public Import create(int user, String format, String fileName, String zone, long size)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO biometric_imports "
                                        + "(user_id, format, file_name, time_zone, size_bytes) VALUES (?, ?, ?, ?, ?) RETURNING "
                                        + COLUMNS)) {
            ps.setInt(1, user);
            ps.setString(2, format);
            ps.setString(3, fileName);
            ps.setString(4, zone);
            ps.setLong(5, size);
            return one(ps).orElseThrow();
        }
    }

    public Optional<Import> find(int user, long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_imports WHERE user_id = ? AND id = ?")) {
            ps.setInt(1, user);
            ps.setLong(2, id);
            return one(ps);
        }
    }

    public List<Import> list(int user, int limit) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_imports WHERE user_id = ? ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, user);
            ps.setInt(2, limit);
            return all(ps);
        }
    }

    /** Whether the person has an import not yet finished (one at a time each). */
    public Optional<Import> unfinished(int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_imports WHERE user_id = ? AND status IN ('uploading', 'queued', 'running') LIMIT 1")) {
            ps.setInt(1, user);
            return one(ps);
        }
    }

    /** An import to read, and whose it is. */
    public record Pending(long id, int user) {}

    /**
     * Imports whose file is whole but whose reading did not finish (an API restart): read again,
     * from the start.
     */
    public List<Pending> interrupted() throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, user_id FROM biometric_imports WHERE status IN ('queued', 'running') ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Pending(rs.getLong(1), rs.getInt(2)));
            }
        }
        return out;
    }

    /**
     * Records a chunk appended at {@code offset}; only when the row still stood there (no chunk
     * twice).
     */
    public boolean received(int user, long id, long offset, long now, boolean complete)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE biometric_imports "
                                        + "SET received_bytes = ?, status = ?, updated_at = now() WHERE user_id = ? AND id = ? AND received_bytes = ? "
                                        + "AND status = 'uploading'")) {
            ps.setLong(1, now);
            ps.setString(2, complete ? Import.QUEUED : Import.UPLOADING);
            ps.setInt(3, user);
            ps.setLong(4, id);
            ps.setLong(5, offset);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Marks a queued (or interrupted) import as being read; false when it is neither any more
     * (cancelled, swept).
     */
    public boolean started(long id, String format) throws SQLException {
        return update(
                        "UPDATE biometric_imports SET status = 'running', format = ?, started_at = now(), read_bytes = 0, "
                                + "records_read = 0, accepted = 0, duplicates = 0, skipped = '{}', updated_at = now() "
                                + "WHERE id = ? AND status IN ('queued', 'running')",
                        format,
                        id)
                == 1;
    }

    /**
     * Ends an upload not yet whole; false when it was no longer uploading (whole, or ended
     * already).
     */
    public boolean endUpload(long id, String why) throws SQLException {
        return update(
                        "UPDATE biometric_imports SET status = 'failed', error = ?, finished_at = now(), updated_at = now() "
                                + "WHERE id = ? AND status = 'uploading'",
                        why,
                        id)
                == 1;
    }

    /**
     * Bytes still to come of every upload under way: what the upload folder's disk has promised.
     */
    public long promisedBytes() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT coalesce(sum(size_bytes - received_bytes), 0) FROM biometric_imports WHERE status = 'uploading'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void progress(
            long id,
            long readBytes,
            long records,
            long accepted,
            long duplicates,
            Map<String, Long> skipped)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE biometric_imports SET "
                                        + "read_bytes = ?, records_read = ?, accepted = ?, duplicates = ?, skipped = ?::jsonb, updated_at = now() WHERE id = ?")) {
            ps.setLong(1, readBytes);
            ps.setLong(2, records);
            ps.setLong(3, accepted);
            ps.setLong(4, duplicates);
            ps.setString(5, json(skipped));
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }

    public void finished(long id, String status, String error) throws SQLException {
        update(
                "UPDATE biometric_imports SET status = ?, error = ?, finished_at = now(), updated_at = now() WHERE id = ?",
                status,
                error,
                id);
    }

    /**
     * Which readings of {@code batch} are stored already (their natural key), as a set of indexes:
     * one look-up of the natural key's index for each device and type in the batch, with the
     * batch's exact timestamps of it (a join of the batch against the table chose a scan of every
     * partition; a range from the earliest to the latest would read years of rows for a file out of
     * order). One range scan per device and type was tried on batches in time order: a 120-day
     * import read 3 s faster, stored no sooner, and live people's stress predictions waited longer
     * while it ran (the faster hand-on filled the stress job's queue); it waits for imports paced
     * by the jobs' backlog.
     */
    public BitSet stored(List<BiometricReading> batch) throws SQLException {
        BitSet out = new BitSet(batch.size());
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byKey.computeIfAbsent(
                            batch.get(i).deviceId() + "|" + batch.get(i).dataType(),
                            k -> new ArrayList<>())
                    .add(i);
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT \"timestamp\" "
                                        + "FROM biometric_readings WHERE device_id = ? AND data_type = ? AND \"timestamp\" = ANY (?)")) {
            for (List<Integer> same : byKey.values()) {
                BiometricReading first = batch.get(same.get(0));
                Map<Instant, List<Integer>> at = new HashMap<>();
                for (int i : same) {
                    at.computeIfAbsent(batch.get(i).timestamp(), k -> new ArrayList<>(1)).add(i);
                }
                ps.setInt(1, first.deviceId());
                ps.setString(2, first.dataType());
                ps.setArray(
                        3,
                        c.createArrayOf(
                                "timestamptz",
                                at.keySet().stream().map(Instant::toString).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Integer> hit = at.get(instantAt(rs, 1));
                        if (hit != null) {
                            hit.forEach(out::set);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The person's devices an import did not make (vendor ids not starting {@code ownPrefix}: the
     * ones that stream live, other formats' imports) and, per data type, the earliest reading any
     * of them stored: a minimum per device and type, each the first entry of the natural key's
     * index.
     */
    public Elsewhere elsewhere(int user, String ownPrefix) throws SQLException {
        List<Integer> devices = new ArrayList<>();
        Map<String, Instant> earliest = new HashMap<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT id FROM biometric_devices WHERE user_id = ? AND NOT starts_with(device_id, ?)")) {
                ps.setInt(1, user);
                ps.setString(2, ownPrefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        devices.add(rs.getInt(1));
                    }
                }
            }
            if (devices.isEmpty()) {
                return new Elsewhere(List.of(), Map.of());
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT t, min(x.m) FROM unnest(?::int[]) AS d, unnest(?::text[]) AS t, "
                                    + "LATERAL (SELECT min(r.\"timestamp\") AS m FROM biometric_readings r "
                                    + "WHERE r.device_id = d AND r.data_type = t) AS x "
                                    + "WHERE x.m IS NOT NULL GROUP BY t")) {
                ps.setArray(1, c.createArrayOf("integer", devices.toArray()));
                ps.setArray(
                        2,
                        c.createArrayOf(
                                "text",
                                java.util.Arrays.stream(
                                                io.chakrai.models.readings.DataType.values())
                                        .map(io.chakrai.models.readings.DataType::wireName)
                                        .toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        earliest.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
            }
        }
        return new Elsewhere(List.copyOf(devices), Map.copyOf(earliest));
    }

    /**
     * The person's other devices and the earliest reading of each type they stored; nothing before
     * it can have been recorded by them.
     */
    public record Elsewhere(List<Integer> devices, Map<String, Instant> earliest) {
        boolean mayHave(BiometricReading r) {
            Instant first = earliest.get(r.dataType());
            return first != null
                    && !r.timestamp()
                            .isBefore(first.truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        }
    }

    /**
     * Which readings of {@code batch} fall in a minute in which one of {@code other}'s devices
     * stored a reading of the same type: one query per type, a probe of the natural key's index per
     * minute, and only for readings at or after the earliest of that type.
     */
    public BitSet recordedElsewhere(List<BiometricReading> batch, Elsewhere other)
            throws SQLException {
        BitSet out = new BitSet(batch.size());
        Map<String, Map<Instant, List<Integer>>> byType = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            BiometricReading r = batch.get(i);
            if (other.mayHave(r)) {
                byType.computeIfAbsent(r.dataType(), k -> new HashMap<>())
                        .computeIfAbsent(
                                r.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
                                k -> new ArrayList<>(1))
                        .add(i);
            }
        }
        if (byType.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT m FROM unnest(?::timestamptz[]) AS m WHERE EXISTS ("
                                        + "SELECT 1 FROM biometric_readings r WHERE r.device_id = ANY (?) "
                                        + "AND r.data_type = ? AND r.\"timestamp\" >= m "
                                        + "AND r.\"timestamp\" < m + interval '1 minute')")) {
            ps.setArray(2, c.createArrayOf("integer", other.devices().toArray()));
            for (var type : byType.entrySet()) {
                Map<Instant, List<Integer>> minutes = type.getValue();
                ps.setArray(
                        1,
                        c.createArrayOf(
                                "timestamptz",
                                minutes.keySet().stream().map(Instant::toString).toArray()));
                ps.setString(3, type.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Integer> hit = minutes.get(instantAt(rs, 1));
                        if (hit != null) {
                            hit.forEach(out::set);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * A {@code timestamptz} column as an instant. Times go to the server as ISO-8601 text with
     * their offset, and come back with theirs: a {@link Timestamp} goes as a local time of the
     * JVM's zone, which in the hour a clock goes back names two instants.
     */
    private static Instant instantAt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, java.time.OffsetDateTime.class).toInstant();
    }

    /** Uploads no chunk has reached for {@code idle}. */
    public List<Long> abandoned(java.time.Duration idle) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM biometric_imports "
                                        + "WHERE status = 'uploading' AND updated_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, idle.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Whether an import still needs its file (uploading, queued or being read). */
    public boolean live(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 1 FROM biometric_imports "
                                        + "WHERE id = ? AND status IN ('uploading', 'queued', 'running')")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static Optional<Import> one(PreparedStatement ps) throws SQLException {
        List<Import> all = all(ps);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static List<Import> all(PreparedStatement ps) throws SQLException {
        List<Import> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new Import(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getLong(10),
                                rs.getLong(11),
                                skipped(rs.getString(12)),
                                rs.getString(13),
                                instant(rs.getTimestamp(14)),
                                instant(rs.getTimestamp(15)),
                                instant(rs.getTimestamp(16))));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Long> skipped(String json) throws SQLException {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Long>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("biometric_imports.skipped is not a JSON object of counts", e);
        }
    }

    private static String json(Map<String, Long> skipped) throws SQLException {
        try {
            return Json.MAPPER.writeValueAsString(skipped);
        } catch (JsonProcessingException e) {
            throw new SQLException("skipped counts not writable as JSON", e);
        }
    }
}
