package io.chakrai.api.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.readings.DeviceOwnership;
import io.chakrai.models.Json;
import java.security.GeneralSecurityException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The {@code biometric_devices} table. Every query is scoped to the calling user. */
public final class DeviceRepository implements DeviceOwnership {
    private static final String COLUMNS =
            "id, device_type, device_id, device_name, connection_status, data_types, "
                    + "sync_frequency, last_sync_at, settings, is_active, auth_token IS NOT NULL, created_at, updated_at";
    private final DataSource db;
    private final TokenCipher cipher;

    public DeviceRepository(DataSource db, TokenCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** What ingestion needs to know of a caller's device. */
    public record Ownership(boolean active, Set<String> dataTypes) {}

    /** The fields a create or update sets; null means "leave as is" on update. */
    public record Fields(
            String deviceType,
            String deviceId,
            String deviceName,
            List<String> dataTypes,
            Integer syncFrequency,
            String authToken,
            JsonNode settings,
            String connectionStatus) {}

    public List<Device> list(int userId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_devices WHERE user_id = ? ORDER BY id")) {
            ps.setInt(1, userId);
            return readAll(ps);
        }
    }

    public Optional<Device> find(int userId, int id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_devices WHERE user_id = ? AND id = ?")) {
            ps.setInt(1, userId);
            ps.setInt(2, id);
            List<Device> all = readAll(ps);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
        }
    }

    /** The same physical device registered before by this user (active or not). */
    public Optional<Device> findByVendorId(int userId, String deviceType, String deviceId)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM biometric_devices WHERE user_id = ? AND device_type = ? AND device_id = ?")) {
            ps.setInt(1, userId);
            ps.setString(2, deviceType);
            ps.setString(3, deviceId);
            List<Device> all = readAll(ps);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
        }
    }

    /** Ownership of the caller's devices among {@code ids}, one query for a whole batch. */
    @Override
    public Map<Integer, Ownership> ownership(int userId, Collection<Integer> ids)
            throws SQLException {
        Map<Integer, Ownership> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, is_active, data_types FROM biometric_devices "
                                        + "WHERE user_id = ? AND id = ANY (?)")) {
            ps.setInt(1, userId);
            ps.setArray(2, c.createArrayOf("integer", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            rs.getInt(1),
                            new Ownership(rs.getBoolean(2), Set.of(strings(rs.getArray(3)))));
                }
            }
        }
        return out;
    }

    /**
     * The caller's active devices of a type, for the WebSocket event that names only the device
     * type.
     */
    public List<Integer> activeIdsOfType(int userId, String deviceType) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM biometric_devices "
                                        + "WHERE user_id = ? AND device_type = ? AND is_active ORDER BY id")) {
            ps.setInt(1, userId);
            ps.setString(2, deviceType);
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }

    public Device create(int userId, Fields f) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int id;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO biometric_devices (user_id, device_type, "
                                    + "device_id, device_name, data_types, sync_frequency, settings) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) "
                                    + "RETURNING id")) {
                ps.setInt(1, userId);
                ps.setString(2, f.deviceType());
                ps.setString(3, f.deviceId());
                ps.setString(4, f.deviceName());
                ps.setArray(5, c.createArrayOf("text", f.dataTypes().toArray()));
                ps.setInt(6, f.syncFrequency() == null ? 300 : f.syncFrequency());
                ps.setString(7, json(f.settings()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getInt(1);
                }
            }
            if (f.authToken() != null) {
                setToken(c, id, f.authToken());
            }
            c.commit();
            return find(userId, id).orElseThrow();
        }
    }

    /** Applies the non-null fields; {@code reactivate} also marks the device active again. */
    public Optional<Device> update(int userId, int id, Fields f, boolean reactivate)
            throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            if (f.deviceName() != null) {
                sets.add("device_name = ?");
                args.add(f.deviceName());
            }
            if (f.dataTypes() != null) {
                sets.add("data_types = ?");
                args.add(c.createArrayOf("text", f.dataTypes().toArray()));
            }
            if (f.syncFrequency() != null) {
                sets.add("sync_frequency = ?");
                args.add(f.syncFrequency());
            }
            if (f.settings() != null) {
                sets.add("settings = ?::jsonb");
                args.add(json(f.settings()));
            }
            if (f.connectionStatus() != null) {
                sets.add("connection_status = ?");
                args.add(f.connectionStatus());
            }
            if (reactivate) {
                sets.add("is_active = true");
                sets.add("connection_status = 'active'");
            }
            sets.add("updated_at = now()");
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE biometric_devices SET "
                                    + String.join(", ", sets)
                                    + " WHERE user_id = ? AND id = ?")) {
                int i = 1;
                for (Object a : args) {
                    if (a instanceof Array arr) {
                        ps.setArray(i++, arr);
                    } else if (a instanceof Integer n) {
                        ps.setInt(i++, n);
                    } else {
                        ps.setObject(i++, a, Types.VARCHAR);
                    }
                }
                ps.setInt(i++, userId);
                ps.setInt(i, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return Optional.empty();
                }
            }
            if (f.authToken() != null) {
                setToken(c, id, f.authToken());
            }
            c.commit();
        }
        return find(userId, id);
    }

    /** Deactivates (the readings stay); false when the caller has no such device. */
    public boolean deactivate(int userId, int id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE biometric_devices SET is_active = false, "
                                        + "connection_status = 'disconnected', updated_at = now() WHERE user_id = ? AND id = ?")) {
            ps.setInt(1, userId);
            ps.setInt(2, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Marks devices as synced now (after their readings were accepted). */
    @Override
    public void touchSync(int userId, Collection<Integer> ids) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE biometric_devices SET last_sync_at = now() "
                                        + "WHERE user_id = ? AND id = ANY (?)")) {
            ps.setInt(1, userId);
            ps.setArray(2, c.createArrayOf("integer", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * The decrypted auth token, for connectors that call the vendor's cloud; never sent to clients.
     */
    public Optional<String> authToken(int userId, int id)
            throws SQLException, GeneralSecurityException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT auth_token FROM biometric_devices "
                                        + "WHERE user_id = ? AND id = ? AND auth_token IS NOT NULL")) {
            ps.setInt(1, userId);
            ps.setInt(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(cipher.decrypt(rs.getString(1), id))
                        : Optional.empty();
            }
        }
    }

    private void setToken(Connection c, int id, String token) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE biometric_devices SET auth_token = ? WHERE id = ?")) {
            ps.setString(1, cipher.encrypt(token, id));
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    private static String json(JsonNode node) {
        return node == null ? null : node.toString();
    }

    private static String[] strings(Array a) throws SQLException {
        return a == null ? new String[0] : (String[]) a.getArray();
    }

    private static List<Device> readAll(PreparedStatement ps) throws SQLException {
        List<Device> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode settings = null;
                String s = rs.getString(9);
                if (s != null) {
                    try {
                        settings = Json.MAPPER.readTree(s);
                    } catch (JsonProcessingException e) {
                        throw new SQLException(
                                "settings of device " + rs.getInt(1) + " are not JSON", e);
                    }
                }
                out.add(
                        new Device(
                                rs.getInt(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Arrays.asList(strings(rs.getArray(6))),
                                rs.getInt(7),
                                instant(rs.getTimestamp(8)),
                                settings,
                                rs.getBoolean(10),
                                rs.getBoolean(11),
                                instant(rs.getTimestamp(12)),
                                instant(rs.getTimestamp(13))));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
