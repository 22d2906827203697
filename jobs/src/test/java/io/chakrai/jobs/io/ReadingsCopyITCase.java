package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.jobs.JobStack;
import io.chakrai.models.readings.BiometricReading;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COPY way into biometric_readings: text survives CSV exactly, and a replay or a duplicate is
 * stored once.
 */
class ReadingsCopyITCase {
    static JobStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_copy_test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static void write(List<BiometricReading> rows) throws Exception {
        ReadingsJdbcSink.CopyIn copy = new ReadingsJdbcSink.CopyIn();
        try (Connection c = stack.db.getConnection()) {
            c.setAutoCommit(false);
            copy.prepare(c);
            c.commit();
            copy.write(c, rows);
            c.commit();
        }
    }

    @Test
    void metadataWithQuotesCommasNewlinesAndBackslashesIsStoredAsSentAndDuplicatesOnce()
            throws Exception {
        int[] a = stack.userWithDevice("copy@x.org", "heart_rate,hrv");
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String tricky =
                new ObjectMapper()
                        .createObjectNode()
                        .put("note", "a \"quoted\", comma\nnew line \\ back\tslash é 😀")
                        .put("empty", "")
                        .toString();
        BiometricReading one =
                new BiometricReading(a[0], a[1], "heart_rate", 71.5, "bpm", 0.95, 0.9, t, tricky);
        BiometricReading two = new BiometricReading(a[0], a[1], "hrv", 42.25, "ms", 1, 1, t, null);
        write(List.of(one, two, one));
        write(List.of(one, two));
        assertEquals(
                2, stack.count("SELECT count(*) FROM biometric_readings WHERE user_id = " + a[0]));
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT metadata::text, value, quality FROM biometric_readings WHERE user_id = "
                                        + a[0]
                                        + " AND data_type = 'heart_rate'")) {
            rs.next();
            ObjectMapper m = new ObjectMapper();
            assertEquals(m.readTree(tricky), m.readTree(rs.getString(1)));
            assertEquals(71.5, rs.getDouble(2), 1e-9);
            assertEquals(0.95, rs.getDouble(3), 1e-9);
        }
        assertEquals(
                1,
                stack.count(
                        "SELECT count(*) FROM biometric_readings WHERE user_id = "
                                + a[0]
                                + " AND data_type = 'hrv' AND metadata IS NULL AND value = 42.25"));

        // a batch of new readings only goes straight into the table (no duplicate to fall back on):
        // stored as sent too
        BiometricReading three =
                new BiometricReading(
                        a[0], a[1], "heart_rate", 64, "bpm", 0.5, 0.5, t.plusSeconds(1), tricky);
        BiometricReading four =
                new BiometricReading(a[0], a[1], "hrv", 38.5, "ms", 1, 1, t.plusSeconds(1), null);
        write(List.of(three, four));
        assertEquals(
                4, stack.count("SELECT count(*) FROM biometric_readings WHERE user_id = " + a[0]));
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT metadata::text, value FROM biometric_readings WHERE user_id = "
                                        + a[0]
                                        + " AND data_type = 'heart_rate' AND value = 64")) {
            rs.next();
            assertEquals(
                    new ObjectMapper().readTree(tricky),
                    new ObjectMapper().readTree(rs.getString(1)));
        }
        // and a replay of all four after that: nothing doubled
        write(List.of(four, three, two, one));
        assertEquals(
                4, stack.count("SELECT count(*) FROM biometric_readings WHERE user_id = " + a[0]));
    }
}
