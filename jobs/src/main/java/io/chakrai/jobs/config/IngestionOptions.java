package io.chakrai.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The ingestion job's settings: the shared source options plus its dead-letter topic, group and
 * JDBC batching.
 */
public final class IngestionOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(
            names = "--group-id",
            defaultValue = "${env:CHAKRAI_INGEST_GROUP:-chakrai-ingestion}",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE})")
    public String groupId;

    @Option(names = "--jdbc-batch-size", defaultValue = "5000")
    public int jdbcBatchSize;

    @Option(names = "--jdbc-batch-interval-ms", defaultValue = "200")
    public long jdbcBatchIntervalMs;

    @Option(
            names = "--parallelism",
            defaultValue = "0",
            description =
                    "subtasks of the job, each writing its own COPY stream; up to the topic's partitions (0: the "
                            + "cluster's default) (default: ${DEFAULT-VALUE})")
    public int parallelism;

    public IngestionOptions() {}

    /** Everything but the password, for the log and the Flink UI's job parameters. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.put("group.id", groupId);
        m.put("jdbc.batch.size", Integer.toString(jdbcBatchSize));
        m.put("jdbc.batch.interval.ms", Long.toString(jdbcBatchIntervalMs));
        m.put("parallelism", parallelism == 0 ? "cluster default" : Integer.toString(parallelism));
        return m;
    }
}
