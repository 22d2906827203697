package io.chakrai.jobs.config;

import io.chakrai.models.Topics;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * What every job that reads the readings topic shares: Kafka, PostgreSQL, checkpoints and event
 * time. A picocli mixin of each job's config; each option defaults to an environment variable (the
 * names docker-compose and the embedded stack use) and then to a local default.
 */
public final class SourceOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--kafka-bootstrap",
            defaultValue = "${env:CHAKRAI_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    public String kafkaBootstrap;

    @Option(
            names = "--readings-topic",
            defaultValue = "${env:CHAKRAI_READINGS_TOPIC:-" + Topics.READINGS + "}",
            description = "topic of incoming readings (default: ${DEFAULT-VALUE})")
    public String readingsTopic;

    @Option(
            names = "--dlq-topic",
            defaultValue = "${env:CHAKRAI_DLQ_TOPIC:-" + Topics.DEAD_LETTERS + "}",
            description =
                    "where records a job cannot use and rows the database refuses go, with the reason "
                            + "(default: ${DEFAULT-VALUE})")
    public String deadLetterTopic;

    @Option(
            names = "--starting-offsets",
            defaultValue = "committed",
            description =
                    "where a job without checkpoint state starts reading: committed (the group's offsets, "
                            + "else the beginning), earliest or latest. A job restored from a checkpoint or savepoint "
                            + "always continues from the offsets in it.")
    public String startingOffsets;

    @Option(
            names = "--db-url",
            defaultValue = "${env:CHAKRAI_DB_URL:-jdbc:postgresql://localhost:5432/chakrai}",
            description = "PostgreSQL JDBC URL (default: ${DEFAULT-VALUE})")
    public String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:CHAKRAI_DB_USER:-postgres}")
    public String dbUser;

    /** From the environment only, so it never shows in a process list or the Flink UI. */
    public String dbPassword = System.getenv().getOrDefault("CHAKRAI_DB_PASSWORD", "");

    @Option(
            names = "--checkpoint-interval-ms",
            defaultValue = "${env:CHAKRAI_CHECKPOINT_INTERVAL_MS:-5000}")
    public long checkpointIntervalMs;

    @Option(
            names = "--max-out-of-orderness-s",
            defaultValue = "30",
            description =
                    "how late a reading may arrive behind the newest one and still count as on time")
    public long maxOutOfOrdernessSeconds;

    @Option(
            names = "--idleness-s",
            defaultValue = "60",
            description =
                    "a partition without readings for this long stops holding back event time")
    public long idlenessSeconds;

    public SourceOptions() {}

    /** Everything but the password. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap", kafkaBootstrap);
        m.put("readings.topic", readingsTopic);
        m.put("dlq.topic", deadLetterTopic);
        m.put("starting.offsets", startingOffsets);
        m.put("db.url", dbUrl);
        m.put("db.user", dbUser);
        m.put("checkpoint.interval.ms", Long.toString(checkpointIntervalMs));
        m.put("max.out.of.orderness.s", Long.toString(maxOutOfOrdernessSeconds));
        m.put("idleness.s", Long.toString(idlenessSeconds));
        return m;
    }

    /** The job's PostgreSQL as a data source (for the model registry and one-off reads). */
    public DataSource dataSource() {
        return dataSource(dbUrl, dbUser, dbPassword);
    }

    /** The same for an operator that keeps only the address and credentials. */
    public static DataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /**
     * Exactly-once checkpoints every {@link #checkpointIntervalMs}, kept when the job is cancelled
     * (so its next start, or a replacement, resumes from the newest).
     */
    public void checkpointing(StreamExecutionEnvironment env) {
        env.enableCheckpointing(checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig()
                .setExternalizedCheckpointRetention(
                        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
}
