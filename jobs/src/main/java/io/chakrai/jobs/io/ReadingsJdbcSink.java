package io.chakrai.jobs.io;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.storage.Erasure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes readings to {@code biometric_readings}, idempotently: the natural key (device_id, data_type,
 * timestamp) makes a replayed reading a no-op ({@code ON CONFLICT DO NOTHING}), so the at-least-once
 * delivery of a restart after failure stores every reading exactly once. Batches are flushed at every
 * checkpoint, so a completed checkpoint means its readings are in PostgreSQL. A reading the database
 * refuses goes to the dead-letter topic with the database's reason; the others of its batch are stored
 * (see {@link ResilientJdbcSink}). Readings of a person erased while they were in flight are discarded in
 * the same transaction ({@code erased_users}).
 */
public final class ReadingsJdbcSink {
    static final String UPSERT = "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, quality, "
            + "confidence, \"timestamp\", metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
            + "ON CONFLICT (device_id, data_type, \"timestamp\") DO NOTHING";

    private ReadingsJdbcSink() {
    }

    /**
     * @param readingsTopic   where the readings came from (named in their dead letters)
     * @param deadLetterTopic where readings the database refuses go
     */
    public static ResilientJdbcSink<BiometricReading> create(String jdbcUrl, String user, String password, int batchSize,
                                                             long batchIntervalMs, String kafkaBootstrap,
                                                             String readingsTopic, String deadLetterTopic) {
        ResilientJdbcSink<BiometricReading> sink = new ResilientJdbcSink<>("biometric_readings", withBatchRewrite(jdbcUrl), user, password, UPSERT,
                (ps, r) -> {
                    ps.setInt(1, r.userId());
                    ps.setInt(2, r.deviceId());
                    ps.setString(3, r.dataType());
                    ps.setDouble(4, r.value());
                    ps.setString(5, r.unit());
                    ps.setDouble(6, r.quality());
                    ps.setDouble(7, r.confidence());
                    ps.setObject(8, OffsetDateTime.ofInstant(r.timestamp(), ZoneOffset.UTC));
                    if (r.metadata() == null) {
                        ps.setNull(9, Types.VARCHAR);
                    } else {
                        ps.setString(9, r.metadata());
                    }
                },
                batchSize, batchIntervalMs,
                new KafkaDeadLetters<>(kafkaBootstrap, deadLetterTopic, (r, why) -> new DeadLetter(why,
                        new RawRecord(readingsTopic, -1, -1, Integer.toString(r.userId()), ReadingCodec.toRecord(r),
                                r.timestamp().toEpochMilli()),
                        System.currentTimeMillis())));
        // readings of a person erased while they were on their way are never stored
        return sink.guardedBy(ReadingsJdbcSink::withoutErased);
    }

    /**
     * The batch without the readings of erased people: under the erasure lock (shared), one primary-key
     * lookup of the batch's people in {@code erased_users}; see {@link Erasure}.
     */
    static List<BiometricReading> withoutErased(Connection c, List<BiometricReading> rows) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, Erasure.LOCK_KEY);
            lock.execute();
        }
        Set<Integer> people = new HashSet<>();
        rows.forEach(r -> people.add(r.userId()));
        Set<Integer> erased = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT user_id FROM erased_users WHERE user_id = ANY (?)")) {
            q.setArray(1, c.createArrayOf("integer", people.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    erased.add(rs.getInt(1));
                }
            }
        }
        return erased.isEmpty() ? rows : rows.stream().filter(r -> !erased.contains(r.userId())).toList();
    }

    /** pgjdbc sends a JDBC batch as one multi-row INSERT with this flag: several times faster. */
    static String withBatchRewrite(String url) {
        if (url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
}
