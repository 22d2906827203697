package io.chakrai.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned migrations in {@code sql/migrations} (shipped as {@code db/migration}) with
 * Flyway.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Months of biometric_readings partitions kept ready ahead of now. */
    public static final int PARTITION_MONTHS_AHEAD = 12;

    private Migrations() {}

    /**
     * Brings the schema up to date (a no-op when it already is) and makes sure the coming months
     * have their readings partitions. Safe to call at every start, from several processes.
     */
    public static MigrateResult apply(DataSource dataSource) {
        MigrateResult result =
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
        LOG.info(
                "schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion != null
                        ? result.targetSchemaVersion
                        : result.initialSchemaVersion,
                result.migrationsExecuted);
        int created = ensureReadingPartitions(dataSource, LocalDate.now(), PARTITION_MONTHS_AHEAD);
        if (created > 0) {
            LOG.info("created {} monthly biometric_readings partitions", created);
        }
        return result;
    }

    /**
     * Creates the monthly readings partitions from {@code from}'s month for {@code months} months;
     * returns how many were new.
     */
    public static int ensureReadingPartitions(DataSource dataSource, LocalDate from, int months) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT ensure_biometric_partitions(?, ?)")) {
            ps.setObject(1, from);
            ps.setInt(2, months);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create biometric_readings partitions", e);
        }
    }
}
