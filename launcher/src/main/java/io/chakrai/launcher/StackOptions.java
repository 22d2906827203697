package io.chakrai.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Every port and path of the embedded stack: a flag, else an environment variable, else the
 * default.
 */
public final class StackOptions {
    @Option(
            names = "--data-dir",
            defaultValue = "${env:CHAKRAI_DATA_DIR:-.chakrai}",
            description =
                    "PostgreSQL data, Kafka log, Flink checkpoints and generated secrets (default: ${DEFAULT-VALUE})")
    public Path dataDir;

    @Option(
            names = "--host",
            defaultValue = "${env:CHAKRAI_BIND_HOST:-localhost}",
            description = "address the API and the Flink UI listen on (default: ${DEFAULT-VALUE})")
    public String host;

    @Option(
            names = "--pg-port",
            defaultValue = "${env:CHAKRAI_PG_PORT:-5432}",
            description = "PostgreSQL (default: ${DEFAULT-VALUE})")
    public int pgPort;

    @Option(
            names = "--kafka-port",
            defaultValue = "${env:CHAKRAI_KAFKA_PORT:-9092}",
            description = "Kafka clients (default: ${DEFAULT-VALUE})")
    public int kafkaPort;

    @Option(
            names = "--kafka-controller-port",
            defaultValue = "${env:CHAKRAI_KAFKA_CONTROLLER_PORT:-9093}",
            description = "Kafka KRaft controller (default: ${DEFAULT-VALUE})")
    public int kafkaControllerPort;

    @Option(
            names = "--flink-port",
            defaultValue = "${env:CHAKRAI_FLINK_PORT:-8081}",
            description = "Flink Web UI and REST API (default: ${DEFAULT-VALUE})")
    public int flinkPort;

    @Option(
            names = "--api-port",
            defaultValue = "${env:CHAKRAI_API_PORT:-7070}",
            description = "the API (default: ${DEFAULT-VALUE})")
    public int apiPort;

    @Option(
            names = "--parallelism",
            defaultValue = "${env:CHAKRAI_PARALLELISM:-2}",
            description = "Flink job parallelism (default: ${DEFAULT-VALUE})")
    public int parallelism;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "partitions of biometric.readings (default: ${DEFAULT-VALUE})")
    public int partitions;

    @Option(names = "--no-simulator", description = "do not start the device simulator")
    public boolean noSimulator;

    @Option(
            names = "--sim-users",
            defaultValue = "${env:CHAKRAI_SIM_USERS:-20}",
            description = "simulated wearers (default: ${DEFAULT-VALUE})")
    public int simUsers;

    @Option(
            names = "--sim-interval-ms",
            defaultValue = "5000",
            description =
                    "how often each simulated watch reports heart rate (default: ${DEFAULT-VALUE})")
    public long simIntervalMs;

    @Option(
            names = "--sim-history-days",
            defaultValue = "${env:CHAKRAI_SIM_HISTORY_DAYS:-2}",
            description =
                    "days of history each new simulated wearer uploads first, a reading of each kind a minute, with "
                            + "content sessions, so risk, patterns, episodes and what helps are there at once; 0: none (default: ${DEFAULT-VALUE})")
    public int simHistoryDays;

    @Option(
            names = "--sim-mood-history-days",
            defaultValue = "${env:CHAKRAI_SIM_MOOD_HISTORY_DAYS:-21}",
            description =
                    "days of coarser history before that (a reading of each kind every 5 minutes, the same daily "
                            + "figures) with PHQ-9 / GAD-7 answered every 2-5 days, so the risk job has fortnights before answers "
                            + "and `train --dataset PLATFORM_RISK` something to learn from; 0: none (default: ${DEFAULT-VALUE})")
    public int simMoodHistoryDays;

    @Option(
            names = "--sim-questionnaire-hours",
            defaultValue = "12",
            description =
                    "live, each simulated wearer answers PHQ-9 / GAD-7 this often (default: ${DEFAULT-VALUE})")
    public int simQuestionnaireHours;

    @Option(
            names = "--sim-chatters",
            defaultValue = "${env:CHAKRAI_SIM_CHATTERS:-16}",
            description = "simulated group members who chat (default: ${DEFAULT-VALUE})")
    public int simChatters;

    @Option(
            names = "--sim-chat-interval-ms",
            defaultValue = "3000",
            description =
                    "a simulated group line this often, across all groups (default: ${DEFAULT-VALUE})")
    public long simChatIntervalMs;

    @Option(
            names = "--escalation-ack-seconds",
            defaultValue = "${env:CHAKRAI_ESCALATION_ACK_SECONDS:-300}",
            description =
                    "a crisis escalation nobody acknowledges this long goes to another facilitator and the clinicians, "
                            + "and its author is sent help again (default: ${DEFAULT-VALUE})")
    public long escalationAckSeconds;

    @Option(
            names = "--fresh-jobs",
            description = "start the Flink jobs without restoring their last checkpoint")
    public boolean freshJobs;
}
