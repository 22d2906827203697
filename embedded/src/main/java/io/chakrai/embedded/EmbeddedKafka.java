package io.chakrai.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller, one node), run in-process with
 * the same {@link KafkaRaftServer} that {@code kafka-server-start.sh} runs. Its log directory is
 * formatted once and kept, so a restart keeps topics, messages and consumer offsets.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats (if needed) and starts the broker.
     *
     * @param logDir where the log lives; {@code null} for a temporary one (deleted at exit)
     * @param port client port, 0 for any free one
     * @param controllerPort KRaft controller port, 0 for any free one
     * @param partitions default partitions of new topics
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort, int partitions)
            throws IOException {
        int brokerPort = port == 0 ? Ports.freePort() : port;
        int quorumPort = controllerPort == 0 ? Ports.freePort() : controllerPort;
        Ports.requireFree("localhost", brokerPort, "Kafka", "--kafka-port / CHAKRAI_KAFKA_PORT");
        Ports.requireFree(
                "localhost",
                quorumPort,
                "the Kafka controller",
                "--kafka-controller-port / CHAKRAI_KAFKA_CONTROLLER_PORT");
        Path dir = logDir != null ? logDir : Files.createTempDirectory("chakrai-kafka");
        Files.createDirectories(dir);
        if (logDir == null) {
            dir.toFile().deleteOnExit();
        }

        Properties props =
                nodeProperties(
                        1, "1@localhost:" + quorumPort, brokerPort, quorumPort, dir, partitions, 1);

        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by Chakrai's embedded stack at every start");
        }
        format(config, dir);

        KafkaRaftServer server =
                new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "localhost:" + brokerPort;
        LOG.info(
                "Kafka (KRaft) ready on {} (log {})",
                bootstrap,
                logDir == null ? "temporary" : dir.toAbsolutePath());
        return new EmbeddedKafka(server, bootstrap);
    }

    /**
     * One combined broker + controller node's settings: its listeners, the quorum's voters, its log
     * directory, and every topic (the internal ones too) replicated {@code replication} times, a
     * write needing all but one of them.
     */
    public static Properties nodeProperties(
            int nodeId,
            String voters,
            int brokerPort,
            int controllerPort,
            Path dir,
            int partitions,
            int replication) {
        String r = Integer.toString(replication);
        String minIsr = Integer.toString(Math.max(1, replication - 1));
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("controller.quorum.voters", voters);
        props.put(
                "listeners",
                "PLAINTEXT://localhost:"
                        + brokerPort
                        + ",CONTROLLER://localhost:"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(partitions));
        props.put("default.replication.factor", r);
        props.put("min.insync.replicas", minIsr);
        props.put("offsets.topic.replication.factor", r);
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", r);
        props.put("transaction.state.log.min.isr", minIsr);
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", r);
        props.put("share.coordinator.state.topic.min.isr", minIsr);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("unclean.leader.election.enable", "false");
        props.put("log.retention.hours", "168");
        props.put("message.max.bytes", Integer.toString(8 * 1024 * 1024));
        return props;
    }

    /**
     * Formats the log directory unless it already is (kafka-storage.sh format --ignore-formatted).
     */
    private static void format(Path config, Path dir) throws IOException {
        // a formatted log keeps its cluster id: formatting again with a new one would not match it
        format(config, clusterId(dir).orElse(Uuid.randomUuid().toString()));
    }

    /** The cluster id a formatted log directory carries, if it is formatted. */
    public static java.util.Optional<String> clusterId(Path dir) throws IOException {
        Path meta = dir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return java.util.Optional.empty();
        }
        Properties existing = new Properties();
        try (var in = Files.newInputStream(meta)) {
            existing.load(in);
        }
        return java.util.Optional.ofNullable(existing.getProperty("cluster.id"));
    }

    /**
     * {@code kafka-storage.sh format -t clusterId -c config --ignore-formatted}: every node of one
     * cluster is formatted with the same id.
     */
    public static void format(Path config, String clusterId) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(
                        new String[] {
                            "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"
                        },
                        new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException(
                    "kafka storage format failed: " + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Settings of a topic that replays dated history (a test's fixed calendar, an import): Kafka
     * retains by record time, so a week's retention would delete last year's readings as soon as a
     * segment rolls, and a backfill would silently see only the newest days. Such a topic keeps its
     * records until it is deleted.
     */
    public static final Map<String, String> KEEP_HISTORY = Map.of("retention.ms", "-1");

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates the topics that do not exist yet (and states the given settings on those that do).
     */
    public void createTopics(Collection<NewTopic> topics) {
        new KafkaAdmin(bootstrapServers).createTopics(topics);
    }

    /** See {@link KafkaAdmin#committedOffsets}. */
    public long committedOffsets(String groupId, String topic) {
        return new KafkaAdmin(bootstrapServers).committedOffsets(groupId, topic);
    }

    /** See {@link KafkaAdmin#endOffsets}. */
    public long endOffsets(String topic) {
        return new KafkaAdmin(bootstrapServers).endOffsets(topic);
    }

    /** See {@link KafkaAdmin#committedPast}. */
    public boolean committedPast(String groupId, String topic, Predicate<String> value) {
        return new KafkaAdmin(bootstrapServers).committedPast(groupId, topic, value);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka stopped");
    }
}
