package io.chakrai.jobs.io;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingField;
import io.chakrai.models.storage.Decimals;
import io.chakrai.models.storage.IsoInstant;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Writes readings to {@code biometric_readings}, idempotently: the natural key (device_id,
 * data_type, timestamp) makes a replayed reading a no-op ({@code ON CONFLICT DO NOTHING}), so the
 * at-least-once delivery of a restart after failure stores every reading exactly once. Batches are
 * flushed at every checkpoint, so a completed checkpoint means its readings are in PostgreSQL. A
 * reading the database refuses goes to the dead-letter topic with the database's reason; the others
 * of its batch are stored (see {@link ResilientJdbcSink}). Readings of a person erased while they
 * were in flight are discarded in the same transaction ({@code erased_users}).
 */
public final class ReadingsJdbcSink {
    private ReadingsJdbcSink() {}

    /**
     * @param readingsTopic where the readings came from (named in their dead letters)
     * @param deadLetterTopic where readings the database refuses go
     */
    public static ResilientJdbcSink<BiometricReading> create(
            String jdbcUrl,
            String user,
            String password,
            int batchSize,
            long batchIntervalMs,
            String kafkaBootstrap,
            String readingsTopic,
            String deadLetterTopic) {
        ResilientJdbcSink<BiometricReading> sink =
                new ResilientJdbcSink<>(
                        "biometric_readings",
                        jdbcUrl,
                        user,
                        password,
                        new CopyIn(),
                        batchSize,
                        batchIntervalMs,
                        new KafkaDeadLetters<>(
                                kafkaBootstrap,
                                deadLetterTopic,
                                (r, why) ->
                                        new DeadLetter(
                                                why,
                                                new RawRecord(
                                                        readingsTopic,
                                                        -1,
                                                        -1,
                                                        Integer.toString(r.userId()),
                                                        ReadingCodec.toRecord(r),
                                                        r.timestamp().toEpochMilli()),
                                                System.currentTimeMillis())));
        // readings of a person erased while they were on their way are never stored
        return sink.guardedBy(WithoutErased.of(BiometricReading::userId));
    }

    /**
     * A batch by {@code COPY} (the fastest way into PostgreSQL) straight into {@code
     * biometric_readings}, under a savepoint. A batch holding a reading already stored (a replay
     * after a restart, an app sending a reading twice) makes that COPY fail on the natural key;
     * then, and only then, the batch goes the idempotent way: {@code COPY} into a session's
     * temporary table of the same column types and one {@code INSERT … SELECT … ON CONFLICT DO
     * NOTHING}. In the steady state every batch costs one COPY, what PostgreSQL's own ceiling
     * measures. A value the table cannot hold is refused by either COPY or the INSERT with the same
     * SQLSTATE classes, so the sink still finds and dead-letters exactly that reading. The
     * temporary rows go at commit.
     */
    static final class CopyIn implements ResilientJdbcSink.BatchWrite<BiometricReading> {
        private static final long serialVersionUID = 1L;
        private static final ReadingField[] FIELDS = ReadingField.values();

        /** The table's columns: a reading's fields ({@link ReadingField}), in their order. */
        static final String COLUMNS =
                Arrays.stream(ReadingField.values())
                        .map(f -> "\"" + f.snake() + "\"")
                        .collect(Collectors.joining(", ", "(", ")"));

        static final String STAGE =
                Arrays.stream(ReadingField.values())
                        .map(f -> "\"" + f.snake() + "\" " + sqlType(f.kind()))
                        .collect(
                                Collectors.joining(
                                        ", ",
                                        "CREATE TEMP TABLE IF NOT EXISTS readings_in (",
                                        ") ON COMMIT DELETE ROWS"));
        static final String COPY_DIRECT =
                "COPY biometric_readings " + COLUMNS + " FROM STDIN (FORMAT csv)";
        static final String COPY = "COPY readings_in FROM STDIN (FORMAT csv)";
        static final String MOVE =
                "INSERT INTO biometric_readings "
                        + COLUMNS
                        + " SELECT * FROM readings_in ON CONFLICT (device_id, data_type, \"timestamp\") DO NOTHING";
        static final String UNIQUE_VIOLATION = "23505";

        @Override
        public void prepare(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(STAGE);
            }
        }

        @Override
        public void write(Connection c, List<BiometricReading> rows) throws SQLException {
            String csv = csv(rows);
            Savepoint before = c.setSavepoint();
            try {
                copy(c, COPY_DIRECT, csv);
                c.releaseSavepoint(before);
                return;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(before);
            }
            copy(c, COPY, csv);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(MOVE);
            }
        }

        private static void copy(Connection c, String sql, String csv) throws SQLException {
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv));
            } catch (IOException e) {
                throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
            }
        }

        /** A kind of field as {@code biometric_readings} types it (the staging table's columns). */
        static String sqlType(ReadingField.Kind kind) {
            return switch (kind) {
                case INTEGER -> "INTEGER";
                case TEXT -> "TEXT";
                case NUMBER -> "DECIMAL(10, 4)";
                case FRACTION -> "DECIMAL(3, 2)";
                case TIME -> "TIMESTAMPTZ";
                case OBJECT -> "JSONB";
            };
        }

        /**
         * The rows as COPY's CSV, a reading's fields in {@link ReadingField}'s order: doubles by
         * Decimals (Schubfach's text: the shortest that reads back as the same double) and instants
         * by IsoInstant (Instant.toString's text), the same values as the JDK's writers at a
         * fraction of JDK 17's cost, for every row.
         */
        static String csv(List<BiometricReading> rows) {
            StringBuilder csv = new StringBuilder(rows.size() * 96);
            for (BiometricReading r : rows) {
                for (ReadingField f : FIELDS) {
                    if (f.ordinal() > 0) {
                        csv.append(',');
                    }
                    // a switch expression: a field added to a reading does not compile until it is
                    // written here
                    StringBuilder written =
                            switch (f) {
                                case USER -> csv.append(r.userId());
                                case DEVICE -> csv.append(r.deviceId());
                                case TYPE -> quoted(csv, r.dataType());
                                case VALUE -> csv.append(Decimals.format(r.value()));
                                case UNIT -> quoted(csv, r.unit());
                                case QUALITY -> csv.append(Decimals.format(r.quality()));
                                case CONFIDENCE -> csv.append(Decimals.format(r.confidence()));
                                case TIMESTAMP -> csv.append(IsoInstant.format(r.timestamp()));
                                // absent metadata is an unquoted empty field: NULL
                                case METADATA ->
                                        r.metadata() == null ? csv : quoted(csv, r.metadata());
                            };
                }
                csv.append('\n');
            }
            return csv.toString();
        }

        /** A CSV field in double quotes (an empty quoted field is an empty string, not NULL). */
        private static StringBuilder quoted(StringBuilder b, String v) {
            b.append('"');
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                b.append(ch);
                if (ch == '"') {
                    b.append('"');
                }
            }
            return b.append('"');
        }
    }
}
