package io.chakrai.launcher.cluster;

import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.KafkaAdmin;
import io.chakrai.embedded.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of three KRaft nodes, each broker and controller in its own JVM ({@code
 * kafka.Kafka}, what {@code kafka-server-start.sh} runs), each with its own log directory,
 * formatted once with one cluster id. Every topic is replicated to all three and a write needs two
 * of them ({@code min.insync.replicas=2}): one node can die without losing an acknowledged record
 * or stopping producers.
 */
public final class KafkaBrokers implements AutoCloseable {
    public static final int NODES = 3;
    private final List<ChildJvm> nodes;
    private final String bootstrap;

    private KafkaBrokers(List<ChildJvm> nodes, String bootstrap) {
        this.nodes = nodes;
        this.bootstrap = bootstrap;
    }

    /** Formats (first time) and starts the nodes; returns once all three serve as one cluster. */
    public static KafkaBrokers start(
            Path dir,
            int[] clientPorts,
            int[] controllerPorts,
            int partitions,
            String classPath,
            Path logConfig,
            Duration timeout)
            throws Exception {
        int[] client = new int[NODES];
        int[] controller = new int[NODES];
        for (int i = 0; i < NODES; i++) {
            client[i] = clientPorts[i] == 0 ? Ports.freePort() : clientPorts[i];
            controller[i] = controllerPorts[i] == 0 ? Ports.freePort() : controllerPorts[i];
            Ports.requireFree("localhost", client[i], "Kafka broker " + (i + 1), "--kafka-ports");
            Ports.requireFree(
                    "localhost",
                    controller[i],
                    "Kafka controller " + (i + 1),
                    "--kafka-controller-ports");
        }
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            voters.append(i == 0 ? "" : ",")
                    .append(i + 1)
                    .append("@localhost:")
                    .append(controller[i]);
        }
        String clusterId =
                EmbeddedKafka.clusterId(dir.resolve("node-1")).orElse(Uuid.randomUuid().toString());
        List<ChildJvm> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Path logs = dir.resolve("node-" + (i + 1));
            Files.createDirectories(logs);
            Path config = logs.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                properties(i + 1, client[i], controller[i], voters.toString(), logs, partitions)
                        .store(out, "written by ./chakrai cluster at every start");
            }
            EmbeddedKafka.format(config, clusterId);
            nodes.add(
                    new ChildJvm(
                            "kafka-" + (i + 1),
                            dir,
                            List.of(
                                    "-Xms256m",
                                    "-Xmx768m",
                                    "-XX:+UseG1GC",
                                    "-Dlog4j2.configurationFile=" + logConfig.toUri()),
                            classPath,
                            "kafka.Kafka",
                            List.of(config.toString()),
                            Map.of()));
        }
        String bootstrap =
                java.util.Arrays.stream(client)
                        .mapToObj(p -> "localhost:" + p)
                        .collect(Collectors.joining(","));
        KafkaBrokers brokers = new KafkaBrokers(nodes, bootstrap);
        try {
            for (ChildJvm n : nodes) {
                n.start();
            }
            brokers.awaitBrokers(NODES, timeout);
            return brokers;
        } catch (Exception | Error e) {
            brokers.close();
            throw e;
        }
    }

    static Properties properties(
            int nodeId,
            int clientPort,
            int controllerPort,
            String voters,
            Path logDir,
            int partitions) {
        // every topic, the internal ones included, on all three; an acknowledged write is on two at
        // least
        Properties p =
                EmbeddedKafka.nodeProperties(
                        nodeId, voters, clientPort, controllerPort, logDir, partitions, NODES);
        // a node that dies is noticed within seconds, not the default 9 s + 18 s
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "1000");
        return p;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public KafkaAdmin admin() {
        return new KafkaAdmin(bootstrap);
    }

    /** Node {@code i} (1-based). */
    public ChildJvm node(int i) {
        return nodes.get(i - 1);
    }

    /** Waits until the cluster reports {@code n} brokers. */
    public void awaitBrokers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (ChildJvm node : nodes) {
                if (!node.isAlive()) {
                    throw new IOException(
                            node.name() + " exited while starting; see " + node.log());
                }
            }
            try {
                if (admin().brokers() >= n) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IOException(
                "Kafka did not report " + n + " brokers within " + timeout.toSeconds() + " s",
                last);
    }

    /** Waits until every replica of {@code topics} is in sync again (after a node came back). */
    public void awaitInSync(List<String> topics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (admin().underReplicated(topics) == 0) {
                    return;
                }
            } catch (RuntimeException e) {
                // a leader moving: ask again
            }
            Thread.sleep(100);
        }
        throw new IOException(
                "replicas of " + topics + " not in sync within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() throws InterruptedException {
        // all at once: one by one, the last would wait for a controller quorum that is gone
        nodes.forEach(ChildJvm::terminate);
        for (ChildJvm n : nodes) {
            n.close();
        }
    }
}
