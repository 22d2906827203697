package io.chakrai.jobs.io;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL sink that no single row can stop. Rows are written in batches (one statement per
 * batch, committed together); when PostgreSQL refuses a batch because of what is in it (a data
 * exception, a constraint, a limit: SQLSTATE classes 22, 23, 54) the batch is split in halves until
 * the refused rows are found, and each of those goes to {@link DeadLetters} with the database's
 * reason while every other row is stored. Anything else (connection lost, server down) is retried
 * with back-off and then fails the task, so Flink restarts it from its checkpoint: infrastructure
 * faults stop the job, data never does.
 *
 * <p>Batches are written when full, every {@code intervalMs}, and at every checkpoint ({@link
 * #flush}), and dead letters are acknowledged by Kafka before a checkpoint completes: at-least-once
 * for both. The statement must therefore be idempotent (an upsert on a natural key), since a row
 * written just before a failure is written again after the restart.
 *
 * @param <T> the row type
 */
public final class ResilientJdbcSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ResilientJdbcSink.class);

    /** Binds one row to the statement's parameters. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /**
     * How a batch reaches the database on the writer's connection, inside its transaction
     * (committed or rolled back by the sink). It may keep what it prepares on a connection until
     * {@link #forget}.
     */
    public interface BatchWrite<T> extends Serializable {
        void write(Connection c, List<T> rows) throws SQLException;

        /**
         * Once per new connection, committed on its own (e.g. creating a session's staging table).
         */
        default void prepare(Connection c) throws SQLException {}

        /** The connection is gone: drop what was prepared on it. */
        default void forget() {}
    }

    /** One prepared statement, executed as a JDBC batch of bound rows. */
    public static final class Statements<T> implements BatchWrite<T> {
        private static final long serialVersionUID = 1L;
        private final String sql;
        private final Binder<T> binder;
        private transient PreparedStatement statement;
        private transient Connection on;

        public Statements(String sql, Binder<T> binder) {
            this.sql = sql;
            this.binder = binder;
        }

        @Override
        public void write(Connection c, List<T> rows) throws SQLException {
            if (statement == null || on != c) {
                statement = c.prepareStatement(sql);
                on = c;
            }
            try {
                for (T row : rows) {
                    binder.bind(statement, row);
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                statement.clearBatch();
                throw e;
            }
        }

        @Override
        public void forget() {
            statement = null;
            on = null;
        }
    }

    /** Where refused rows go; opened once per writer. */
    public interface DeadLetters<T> extends Serializable {
        Output<T> open();

        /**
         * An open dead-letter channel. {@link #flush} returns once everything sent is acknowledged.
         */
        interface Output<T> extends AutoCloseable {
            void send(T row, String reason);

            void flush() throws IOException;

            @Override
            void close();
        }
    }

    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private final BatchWrite<T> batchWrite;
    private final int batchSize;
    private final long intervalMs;
    private final int maxRetries;
    private final DeadLetters<T> deadLetters;
    private Guard<T> guard;

    public ResilientJdbcSink(
            String name,
            String url,
            String user,
            String password,
            String sql,
            Binder<T> binder,
            int batchSize,
            long intervalMs,
            DeadLetters<T> deadLetters) {
        this(
                name,
                url,
                user,
                password,
                new Statements<>(sql, binder),
                batchSize,
                intervalMs,
                deadLetters);
    }

    public ResilientJdbcSink(
            String name,
            String url,
            String user,
            String password,
            BatchWrite<T> batchWrite,
            int batchSize,
            long intervalMs,
            DeadLetters<T> deadLetters) {
        if (batchSize < 1 || intervalMs < 1) {
            throw new IllegalArgumentException("batch size and interval must be positive");
        }
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
        this.batchWrite = batchWrite;
        this.batchSize = batchSize;
        this.intervalMs = intervalMs;
        this.maxRetries = 5;
        this.deadLetters = deadLetters;
    }

    /**
     * Decides, inside each batch's transaction and before it is written, which rows may be stored
     * at all.
     */
    @FunctionalInterface
    public interface Guard<T> extends Serializable {
        List<T> admit(Connection c, List<T> rows) throws SQLException;
    }

    /**
     * Every batch passes {@code guard} first, in the same transaction (e.g. dropping rows of erased
     * people).
     */
    public ResilientJdbcSink<T> guardedBy(Guard<T> guard) {
        this.guard = guard;
        return this;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext ctx) {
        return new Writer(
                ctx.getProcessingTimeService(),
                ctx.metricGroup().counter("rowsRefusedByDatabase"),
                ctx.metricGroup().counter("rowsWritten"));
    }

    /**
     * Whether PostgreSQL refused the statement because of the data in it (so splitting the batch
     * finds the culprit), rather than because it could not run it at all. A batch failure carries
     * the server's error in its next-exception chain.
     */
    static boolean isDataError(SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String cls = s.getSQLState().length() >= 2 ? s.getSQLState().substring(0, 2) : "";
                if (cls.equals("22") || cls.equals("23") || cls.equals("54")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The server's own words for a refusal: SQLSTATE and the first line of its message. */
    static String reason(SQLException e) {
        SQLException best = e;
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && !s.getSQLState().startsWith("0")) {
                best = s;
            }
        }
        String msg =
                Optional.ofNullable(best.getMessage())
                        .orElse("refused")
                        .lines()
                        .findFirst()
                        .orElse("refused");
        return "database refused the row (SQLSTATE " + best.getSQLState() + "): " + msg;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException s
                && s.getNextException() != null
                && s.getNextException() != s) {
            return s.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private final class Writer implements SinkWriter<T> {
        private final ProcessingTimeService time;
        private final Counter refused;
        private final Counter written;
        private final List<T> buffer = new ArrayList<>();
        private final DeadLetters.Output<T> letters;
        private Connection connection;
        private boolean timerSet;

        Writer(ProcessingTimeService time, Counter refused, Counter written) {
            this.time = time;
            this.refused = refused;
            this.written = written;
            this.letters = deadLetters.open();
        }

        @Override
        public void write(T row, Context context) throws IOException, InterruptedException {
            buffer.add(row);
            if (buffer.size() >= batchSize) {
                writeBuffer();
            } else if (!timerSet) {
                timerSet = true;
                time.registerTimer(
                        time.getCurrentProcessingTime() + intervalMs,
                        ts -> {
                            timerSet = false;
                            writeBuffer();
                        });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writeBuffer();
            letters.flush();
        }

        private void writeBuffer() throws IOException, InterruptedException {
            if (buffer.isEmpty()) {
                return;
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    open();
                    writeOrSplit(buffer);
                    written.inc(buffer.size());
                    buffer.clear();
                    return;
                } catch (SQLException e) {
                    closeConnection();
                    if (attempt >= maxRetries) {
                        throw new IOException(
                                name
                                        + ": writing a batch of "
                                        + buffer.size()
                                        + " rows failed "
                                        + (attempt + 1)
                                        + " times",
                                e);
                    }
                    LOG.warn(
                            "{}: batch of {} rows failed (SQLSTATE {}), retry {} of {}",
                            name,
                            buffer.size(),
                            e.getSQLState(),
                            attempt + 1,
                            maxRetries);
                    Thread.sleep(Math.min(5_000L, 100L << attempt));
                }
            }
        }

        /**
         * Writes the rows in one committed batch, or finds and dead-letters the ones the database
         * refuses.
         */
        private void writeOrSplit(List<T> batch) throws SQLException {
            try {
                List<T> rows = guard == null ? batch : guard.admit(connection, batch);
                if (!rows.isEmpty()) {
                    batchWrite.write(connection, rows);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (!isDataError(e)) {
                    throw e;
                }
                if (batch.size() == 1) {
                    refused.inc();
                    String why = reason(e);
                    LOG.warn(
                            "{}: a row was refused by the database and sent to the dead-letter topic ({})",
                            name,
                            why.length() > 120 ? why.substring(0, 120) : why);
                    letters.send(batch.get(0), why);
                    return;
                }
                int mid = batch.size() / 2;
                writeOrSplit(batch.subList(0, mid));
                writeOrSplit(batch.subList(mid, batch.size()));
            }
        }

        private void open() throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, user, password);
                connection.setAutoCommit(false);
                batchWrite.forget();
                batchWrite.prepare(connection);
                connection.commit();
            }
        }

        private void closeConnection() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException e) {
                LOG.debug("{}: closing a broken connection: {}", name, e.getSQLState());
            }
            connection = null;
            batchWrite.forget();
        }

        @Override
        public void close() {
            closeConnection();
            letters.close();
        }
    }
}
