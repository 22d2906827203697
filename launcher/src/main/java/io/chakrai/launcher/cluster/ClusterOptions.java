package io.chakrai.launcher.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Every port and path of {@code ./chakrai cluster}: a flag, else an environment variable, else the
 * default.
 */
public final class ClusterOptions {
    @Option(
            names = "--data-dir",
            defaultValue = "${env:CHAKRAI_CLUSTER_DATA_DIR:-.chakrai-cluster}",
            description = "every service's data and log (default: ${DEFAULT-VALUE})")
    public Path dataDir;

    @Option(
            names = "--host",
            defaultValue = "localhost",
            description = "address the APIs and the Flink UI listen on (default: ${DEFAULT-VALUE})")
    public String host;

    @Option(
            names = "--pg-port",
            defaultValue = "${env:CHAKRAI_PG_PORT:-5432}",
            description = "PostgreSQL (default: ${DEFAULT-VALUE})")
    public int pgPort;

    @Option(
            names = "--kafka-ports",
            split = ",",
            defaultValue = "9092,9094,9096",
            description = "the three brokers' client ports (default: ${DEFAULT-VALUE})")
    public int[] kafkaPorts;

    @Option(
            names = "--kafka-controller-ports",
            split = ",",
            defaultValue = "9093,9095,9097",
            description = "their KRaft controller ports (default: ${DEFAULT-VALUE})")
    public int[] kafkaControllerPorts;

    @Option(
            names = "--flink-port",
            defaultValue = "${env:CHAKRAI_FLINK_PORT:-8081}",
            description = "Flink Web UI and REST API (default: ${DEFAULT-VALUE})")
    public int flinkPort;

    @Option(
            names = "--flink-rpc-port",
            defaultValue = "6123",
            description = "the JobManager's RPC port (default: ${DEFAULT-VALUE})")
    public int flinkRpcPort;

    @Option(
            names = "--api-ports",
            split = ",",
            defaultValue = "7070,7071",
            description = "one API instance per port (default: ${DEFAULT-VALUE})")
    public int[] apiPorts;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "partitions of biometric.readings (default: ${DEFAULT-VALUE})")
    public int partitions;

    @Option(
            names = "--slots",
            defaultValue = "10",
            description =
                    "task slots per TaskManager: 10 lets one TaskManager run every "
                            + "job (and deployed model jobs) while the other is down (default: ${DEFAULT-VALUE})")
    public int slots;

    @Option(
            names = "--taskmanager-memory",
            defaultValue = "1600m",
            description =
                    "each TaskManager's process size, as taskmanager.memory.process.size (default: ${DEFAULT-VALUE})")
    public String taskManagerMemory;

    @Option(
            names = "--jar",
            defaultValue = "jobs/target/chakrai-jobs-0.1.0-SNAPSHOT-job.jar",
            description = "the shaded job jar (default: ${DEFAULT-VALUE})")
    public Path jar;

    public LocalCluster.Settings settings(Map<String, List<String>> extraJobArgs) {
        if (kafkaPorts.length != KafkaBrokers.NODES
                || kafkaControllerPorts.length != KafkaBrokers.NODES) {
            throw new IllegalArgumentException(
                    "--kafka-ports and --kafka-controller-ports take three ports each");
        }
        if (apiPorts.length < 1) {
            throw new IllegalArgumentException("--api-ports takes at least one port");
        }
        return new LocalCluster.Settings(
                dataDir,
                host,
                pgPort,
                kafkaPorts,
                kafkaControllerPorts,
                flinkPort,
                flinkRpcPort,
                apiPorts,
                partitions,
                slots,
                taskManagerMemory,
                jar,
                extraJobArgs);
    }
}
