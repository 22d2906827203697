package io.chakrai.jobs.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.ContentOptions;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Sessions reported hours late, measured from the readings stored in PostgreSQL. */
class LateSessionsITCase {
    static JobStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_late_sessions");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static void store(int user, int device, Instant t0, int from, int to, double hr, double rmssd)
            throws Exception {
        try (Connection c = stack.db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO biometric_readings "
                                        + "(user_id, device_id, data_type, value, unit, \"timestamp\") VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int m = from; m < to; m++) {
                for (String type : List.of("heart_rate", "hrv")) {
                    ps.setInt(1, user);
                    ps.setInt(2, device);
                    ps.setString(3, type);
                    ps.setDouble(4, type.equals("heart_rate") ? hr + (m % 2) : rmssd);
                    ps.setString(5, type.equals("heart_rate") ? "bpm" : "ms");
                    ps.setTimestamp(6, Timestamp.from(t0.plusSeconds(m * 60L + 7)));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    @Test
    void aSessionReportedADayLateIsMeasuredFromTheStoredReadingsAndOneWithoutReadingsIsNot()
            throws Exception {
        int[] a = stack.userWithDevice("late@x.org", "heart_rate,hrv");
        int[] b = stack.userWithDevice("late-none@x.org", "heart_rate,hrv");
        Instant t0 = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        store(a[0], a[1], t0, 0, 15, 78, 30);
        store(a[0], a[1], t0, 25, 45, 70, 39);
        // another person's readings in the same minutes must not count; their own session five
        // hours later has none
        store(b[0], b[1], t0, 0, 45, 100, 10);
        SourceOptions o = new CommandLine(new ContentOptions()).<ContentOptions>getCommand().source;
        new CommandLine(o).parseArgs();
        o.dbUrl = stack.pg.jdbcUrl();
        o.dbUser = stack.pg.user();
        o.dbPassword = "";
        long start = t0.plusSeconds(15 * 60).toEpochMilli();
        long end = t0.plusSeconds(25 * 60).toEpochMilli();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Measured> out = new ArrayList<>();
        env.fromData(
                        new Usage(21, a[0], 1, start, end, "meditation", Double.NaN, Double.NaN),
                        new Usage(
                                22,
                                b[0],
                                1,
                                start + 5 * 3_600_000L,
                                end + 5 * 3_600_000L,
                                "story",
                                Double.NaN,
                                Double.NaN))
                .keyBy(Usage::userId)
                .process(new MeasureFromStore(o))
                .executeAndCollect()
                .forEachRemaining(out::add);
        assertEquals(1, out.size(), out.toString());
        Measured m = out.get(0);
        assertEquals(21, m.usageId());
        assertEquals(-8, m.hrChange(), 0.6);
        assertEquals(9, m.rmssdChange(), 0.01);
        assertTrue(m.body() > 0.8, m.toString());
    }
}
