package io.chakrai.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server from embedded binaries (zonky), no install and no Docker.
 * Started with {@code wal_level=logical} so Debezium can read its changes. When a data directory
 * is given it is kept between runs, so a restart keeps the data.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String USER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final String database;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * Starts a server.
     *
     * @param dataDir  where the cluster lives; {@code null} for a throw-away cluster (tests)
     * @param port     the port, 0 for any free one
     * @param database created when missing
     */
    public static EmbeddedPostgres start(Path dataDir, int port, String database) throws IOException {
        int chosen = port == 0 ? Ports.freePort() : port;
        Ports.requireFree("localhost", chosen, "PostgreSQL", "--pg-port / CHAKRAI_PG_PORT");
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(chosen)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_connections", "200")
                // readings are durable in Kafka before they reach PostgreSQL, and the job replays them
                // idempotently after a crash, so commit latency can be traded for throughput
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        var server = builder.start();
        EmbeddedPostgres pg = new EmbeddedPostgres(server, database);
        pg.createDatabaseIfMissing();
        LOG.info("PostgreSQL 17 ready on port {} (database {}, data {})", chosen, database,
                dataDir == null ? "temporary" : dataDir.toAbsolutePath());
        return pg;
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection c = DriverManager.getConnection(server.getJdbcUrl(USER, "postgres"), USER, "");
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + database, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    @Override
    public void close() throws IOException {
        server.close();
        LOG.info("PostgreSQL stopped");
    }
}
