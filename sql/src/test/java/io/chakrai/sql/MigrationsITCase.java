package io.chakrai.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationsITCase {
    static EmbeddedPostgres pg;
    static PGSimpleDataSource ds;
    static MigrateResult first;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "chakrai_migrations_test");
        ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        ds.setUser(pg.user());
        first = Migrations.apply(ds);
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void appliesEveryMigrationToAnEmptyDatabase() throws SQLException {
        assertTrue(
                first.migrationsExecuted >= 2, "migrations executed: " + first.migrationsExecuted);
        Set<String> tables = new HashSet<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t :
                List.of(
                        "users",
                        "biometric_devices",
                        "biometric_readings",
                        "health_predictions",
                        "therapy_groups",
                        "group_participants",
                        "group_messages",
                        "mental_health_assessments",
                        "voice_health_analysis",
                        "therapeutic_content",
                        "content_usage_tracking",
                        "interventions")) {
            assertTrue(tables.contains(t), "missing table " + t);
        }
    }

    @Test
    void secondStartChangesNothing() {
        MigrateResult again = Migrations.apply(ds);
        assertEquals(0, again.migrationsExecuted);
        assertEquals(
                0,
                Migrations.ensureReadingPartitions(
                        ds, LocalDate.now(), Migrations.PARTITION_MONTHS_AHEAD));
    }

    @Test
    void readingsHaveA64BitIdAndARangePartitionForThisMonth() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            ResultSet rs =
                    s.executeQuery(
                            "SELECT data_type FROM information_schema.columns "
                                    + "WHERE table_name = 'biometric_readings' AND column_name = 'id'");
            rs.next();
            assertEquals("bigint", rs.getString(1));
            rs =
                    s.executeQuery(
                            "SELECT partstrat FROM pg_partitioned_table "
                                    + "WHERE partrelid = 'biometric_readings'::regclass");
            rs.next();
            assertEquals("r", rs.getString(1));
            String month =
                    String.format(
                            "biometric_readings_%d_%02d",
                            LocalDate.now().getYear(), LocalDate.now().getMonthValue());
            rs = s.executeQuery("SELECT to_regclass('" + month + "') IS NOT NULL");
            rs.next();
            assertTrue(rs.getBoolean(1), "no partition " + month);
        }
    }

    @Test
    void theNaturalKeyRefusesADuplicateReading() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email, password_hash) VALUES ('nk@example.org', 'x')");
            s.execute(
                    "INSERT INTO biometric_devices (user_id, device_type, device_id) "
                            + "SELECT id, 'oura', 'ring-1' FROM users WHERE email = 'nk@example.org'");
            String insert =
                    "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                            + "SELECT d.user_id, d.id, 'heart_rate', 61, 'bpm', now() - interval '1 hour' "
                            + "FROM biometric_devices d WHERE d.device_id = 'ring-1'";
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("CREATE TEMP TABLE t AS SELECT now() - interval '1 hour' AS ts");
            String fixed = insert.replace("now() - interval '1 hour'", "(SELECT ts FROM t)");
            s.execute(fixed);
            assertThrows(SQLException.class, () -> s.execute(fixed));
        }
    }
}
