package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Who owns a device, looked up in {@code biometric_devices} and cached: a reading for a device that
 * is not its user's would violate a foreign key in the sink and stop the job, so such records are
 * caught before it and dead-lettered. Device ids are never reused and never change owner, so a
 * found owner is cached for good; a miss is asked again after {@link #MISS_TTL_MS}.
 */
public final class DeviceDirectory implements AutoCloseable {
    static final long MISS_TTL_MS = 30_000;
    private static final int MAX_CACHED = 100_000;

    private final Connection connection;
    private final PreparedStatement lookup;
    private final Map<Integer, Integer> owners =
            new LinkedHashMap<>(1024, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                    return size() > MAX_CACHED;
                }
            };
    private final Map<Integer, Long> misses = new HashMap<>();

    private DeviceDirectory(Connection connection) throws SQLException {
        this.connection = connection;
        this.lookup =
                connection.prepareStatement("SELECT user_id FROM biometric_devices WHERE id = ?");
    }

    /** How to connect, serializable so it can travel inside a Flink function. */
    public record Connect(String url, String user, String password) implements Serializable {
        /** The job's PostgreSQL. */
        public static Connect of(SourceOptions o) {
            return new Connect(o.dbUrl, o.dbUser, o.dbPassword);
        }

        private static final long serialVersionUID = 1L;

        public DeviceDirectory open() throws SQLException {
            return new DeviceDirectory(DriverManager.getConnection(url, user, password));
        }
    }

    /** The owner of a device, or empty when there is no such device. */
    public OptionalInt owner(int deviceId) throws SQLException {
        Integer cached = owners.get(deviceId);
        if (cached != null) {
            return OptionalInt.of(cached);
        }
        Long missedAt = misses.get(deviceId);
        long now = System.currentTimeMillis();
        if (missedAt != null && now - missedAt < MISS_TTL_MS) {
            return OptionalInt.empty();
        }
        lookup.setInt(1, deviceId);
        try (ResultSet rs = lookup.executeQuery()) {
            if (rs.next()) {
                owners.put(deviceId, rs.getInt(1));
                misses.remove(deviceId);
                return OptionalInt.of(rs.getInt(1));
            }
        }
        if (misses.size() > MAX_CACHED) {
            misses.clear();
        }
        misses.put(deviceId, now);
        return OptionalInt.empty();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
