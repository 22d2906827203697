package io.chakrai.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller, one node), run in-process with the
 * same {@link KafkaRaftServer} that {@code kafka-server-start.sh} runs. Its log directory is formatted
 * once and kept, so a restart keeps topics, messages and consumer offsets.
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
     * @param logDir         where the log lives; {@code null} for a temporary one (deleted at exit)
     * @param port           client port, 0 for any free one
     * @param controllerPort KRaft controller port, 0 for any free one
     * @param partitions     default partitions of new topics
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort, int partitions) throws IOException {
        int brokerPort = port == 0 ? Ports.freePort() : port;
        int quorumPort = controllerPort == 0 ? Ports.freePort() : controllerPort;
        Ports.requireFree("localhost", brokerPort, "Kafka", "--kafka-port / CHAKRAI_KAFKA_PORT");
        Ports.requireFree("localhost", quorumPort, "the Kafka controller", "--kafka-controller-port / CHAKRAI_KAFKA_CONTROLLER_PORT");
        Path dir = logDir != null ? logDir : Files.createTempDirectory("chakrai-kafka");
        Files.createDirectories(dir);
        if (logDir == null) {
            dir.toFile().deleteOnExit();
        }

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + quorumPort);
        props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + quorumPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(partitions));
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.retention.hours", "168");
        props.put("message.max.bytes", Integer.toString(8 * 1024 * 1024));

        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by Chakrai's embedded stack at every start");
        }
        format(config, dir);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "localhost:" + brokerPort;
        LOG.info("Kafka (KRaft) ready on {} (log {})", bootstrap, logDir == null ? "temporary" : dir.toAbsolutePath());
        return new EmbeddedKafka(server, bootstrap);
    }

    /** Formats the log directory unless it already is (kafka-storage.sh format --ignore-formatted). */
    private static void format(Path config, Path dir) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        // a formatted log keeps its cluster id: formatting again with a new one would not match it
        String clusterId = Uuid.randomUuid().toString();
        Path meta = dir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties existing = new Properties();
            try (var in = Files.newInputStream(meta)) {
                existing.load(in);
            }
            clusterId = existing.getProperty("cluster.id", clusterId);
        }
        int rc = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("kafka storage format failed: " + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                    // an existing topic (a data directory from before) gets the stated settings too
                    if (topic.configs() != null && !topic.configs().isEmpty()) {
                        List<AlterConfigOp> ops = topic.configs().entrySet().stream()
                                .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                                .toList();
                        try {
                            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), ops))
                                    .all().get();
                        } catch (ExecutionException alter) {
                            throw new IllegalStateException("cannot configure topic " + topic.name(), alter.getCause());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * The offsets consumer group {@code groupId} has committed on {@code topic}, summed over its
     * partitions (0 when nothing is committed). A Flink Kafka source commits them when a checkpoint
     * completes, so tests wait on this, not on time, for "a checkpoint holds these records".
     */
    public long committedOffsets(String groupId, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    /** The end offsets of {@code topic}, summed over its partitions: how many records it has ever held. */
    public long endOffsets(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            partitions.forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(ask).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    /**
     * Whether consumer group {@code groupId} has committed past every record of {@code topic} whose value matches
     * (false while there is none): "a checkpoint of that job holds this record", for a test to wait on.
     */
    public boolean committedPast(String groupId, String topic, Predicate<String> value) {
        Map<TopicPartition, Long> last = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(java.time.Duration.ofMillis(500))) {
                    if (r.value() != null && value.test(r.value())) {
                        last.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
                    }
                }
            }
            if (last.isEmpty()) {
                return false;
            }
            var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            return last.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() > e.getValue());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka stopped");
    }
}
