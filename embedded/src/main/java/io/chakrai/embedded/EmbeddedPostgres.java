package io.chakrai.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server from embedded binaries (zonky), no install and no Docker. Started
 * with {@code wal_level=logical} so Debezium can read its changes. When a data directory is given
 * it is kept between runs, so a restart keeps the data.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String USER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final String database;

    private EmbeddedPostgres(
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * Starts a server.
     *
     * @param dataDir where the cluster lives; {@code null} for a throw-away cluster (tests)
     * @param port the port, 0 for any free one
     * @param database created when missing
     */
    public static EmbeddedPostgres start(Path dataDir, int port, String database)
            throws IOException {
        if (dataDir != null) {
            stopOrphan(dataDir);
        }
        int chosen = port == 0 ? Ports.freePort() : port;
        Ports.requireFree("localhost", chosen, "PostgreSQL", "--pg-port / CHAKRAI_PG_PORT");
        var builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setPort(chosen)
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_wal_senders", "4")
                        .setServerConfig("max_replication_slots", "4")
                        .setServerConfig("max_connections", "200")
                        // readings are durable in Kafka before they reach PostgreSQL, and the job
                        // replays them
                        // idempotently after a crash, so commit latency can be traded for
                        // throughput
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_wal_size", "2GB");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            // a stack with a data dir stops its services itself, in order (PostgreSQL last):
            // zonky's own shutdown hook
            // would stop PostgreSQL at once, beside ours, while the jobs and the API still write
            // (Ctrl-C). A stack
            // killed before it can stop is found by stopOrphan at the next start.
            builder.setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false);
        }
        var server = builder.start();
        EmbeddedPostgres pg = new EmbeddedPostgres(server, database);
        pg.createDatabaseIfMissing();
        LOG.info(
                "PostgreSQL 17 ready on port {} (database {}, data {})",
                chosen,
                database,
                dataDir == null ? "temporary" : dataDir.toAbsolutePath());
        return pg;
    }

    /**
     * A server left running on {@code dataDir} by a process that died without stopping it (kill -9
     * of the launcher): found by the pid PostgreSQL writes into {@code postmaster.pid}, checked to
     * be a postgres process on this very data directory, and shut down (SIGTERM, then SIGKILL after
     * 30 s) so this start owns its data. A pid file whose process is gone is left to PostgreSQL,
     * which replaces it.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (RuntimeException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            LOG.info(
                    "PostgreSQL data directory {} has a stale pid file (process {} is gone); PostgreSQL will replace it",
                    dataDir,
                    pid);
            return;
        }
        String command =
                process.get()
                        .info()
                        .commandLine()
                        .orElse(process.get().info().command().orElse(""));
        Path dir = lines.size() > 1 ? Path.of(lines.get(1).trim()) : null;
        if (!command.contains("postgres")
                || dir == null
                || !dir.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
            throw new IOException(
                    "the PostgreSQL data directory "
                            + dataDir
                            + " is in use by process "
                            + pid
                            + " ("
                            + command
                            + "), which is not a PostgreSQL left by Chakrai on it; stop it or use another --data-dir");
        }
        LOG.warn(
                "found PostgreSQL (pid {}, port {}) still running on {} from a Chakrai that did not stop cleanly; "
                        + "shutting it down before starting again",
                pid,
                lines.size() > 3 ? lines.get(3).trim() : "?",
                dataDir);
        process.get().destroy();
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("PostgreSQL pid {} did not stop within 30 s; killing it", pid);
            process.get().destroyForcibly();
            try {
                process.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new IOException(
                        "cannot stop the orphaned PostgreSQL (pid " + pid + ")", again);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException("cannot stop the orphaned PostgreSQL (pid " + pid + ")", e);
        }
        LOG.info("the orphaned PostgreSQL (pid {}) has stopped", pid);
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection c =
                        DriverManager.getConnection(server.getJdbcUrl(USER, "postgres"), USER, "");
                Statement s = c.createStatement()) {
            var rs =
                    s.executeQuery(
                            "SELECT 1 FROM pg_database WHERE datname = '"
                                    + database.replace("'", "''")
                                    + "'");
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
