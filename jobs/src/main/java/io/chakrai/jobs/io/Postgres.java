package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;

/** What every job's PostgreSQL sink shares: the driver and credentials, and batches retried five times. */
public final class Postgres {
    private Postgres() {
    }

    public static JdbcConnectionOptions connection(String url, String user, String password) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url).withDriverName("org.postgresql.Driver").withUsername(user).withPassword(password).build();
    }

    public static JdbcConnectionOptions connection(SourceOptions o) {
        return connection(o.dbUrl, o.dbUser, o.dbPassword);
    }

    /** A batch is written when it holds {@code size} rows or {@code intervalMs} have passed; failures retried 5 times. */
    public static JdbcExecutionOptions batches(int size, long intervalMs) {
        return JdbcExecutionOptions.builder().withBatchSize(size).withBatchIntervalMs(intervalMs).withMaxRetries(5).build();
    }
}
