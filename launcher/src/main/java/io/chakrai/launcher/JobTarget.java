package io.chakrai.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a job submitted through Flink's REST API goes, and what it reads and writes (a picocli
 * mixin).
 */
public final class JobTarget {
    @Option(
            names = "--flink",
            defaultValue = "http://localhost:8081",
            description = "JobManager REST URL (default: ${DEFAULT-VALUE})")
    String flink;

    @Option(
            names = "--jar",
            defaultValue = "jobs/target/chakrai-jobs-0.1.0-SNAPSHOT-job.jar",
            description = "the shaded job jar (default: ${DEFAULT-VALUE})")
    Path jar;

    @Option(
            names = "--kafka-bootstrap",
            defaultValue = "${env:CHAKRAI_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka as the job sees it (default: ${DEFAULT-VALUE})")
    String kafka;

    @Option(
            names = "--db-url",
            defaultValue = "${env:CHAKRAI_DB_URL:-jdbc:postgresql://localhost:5432/chakrai}",
            description =
                    "PostgreSQL as the job sees it (default: ${DEFAULT-VALUE}); the password comes from the "
                            + "cluster's CHAKRAI_DB_PASSWORD")
    String dbUrl;
}
