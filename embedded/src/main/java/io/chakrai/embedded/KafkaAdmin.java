package io.chakrai.embedded;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics and consumer-group offsets of any Kafka cluster, through its Admin API: the embedded
 * broker's, a three-broker cluster's or a real one's.
 */
public final class KafkaAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAdmin.class);
    private final String bootstrapServers;

    public KafkaAdmin(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info(
                            "created topic {} ({} partitions)",
                            topic.name(),
                            topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + topic.name(), e.getCause());
                    }
                    // an existing topic (a data directory from before) gets the stated settings too
                    if (topic.configs() != null && !topic.configs().isEmpty()) {
                        List<AlterConfigOp> ops =
                                topic.configs().entrySet().stream()
                                        .map(
                                                c ->
                                                        new AlterConfigOp(
                                                                new ConfigEntry(
                                                                        c.getKey(), c.getValue()),
                                                                AlterConfigOp.OpType.SET))
                                        .toList();
                        try {
                            admin.incrementalAlterConfigs(
                                            Map.of(
                                                    new ConfigResource(
                                                            ConfigResource.Type.TOPIC,
                                                            topic.name()),
                                                    ops))
                                    .all()
                                    .get();
                        } catch (ExecutionException alter) {
                            throw new IllegalStateException(
                                    "cannot configure topic " + topic.name(), alter.getCause());
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
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin
                    .listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()
                    .stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the offsets of group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    /**
     * Gives consumer group {@code to} the offsets group {@code from} has committed on {@code
     * topic}, when {@code to} has none there yet: a job that takes over another's reading starts
     * where that one stopped instead of at the topic's start. Returns how many partitions' offsets
     * were carried over (0 when there was nothing to carry, or {@code to} already had its own).
     */
    public int carryOverOffsets(String from, String to, String topic) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            boolean hasOwn =
                    admin
                            .listConsumerGroupOffsets(to)
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .entrySet()
                            .stream()
                            .anyMatch(
                                    e -> e.getKey().topic().equals(topic) && e.getValue() != null);
            if (hasOwn) {
                return 0;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(from)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .forEach(
                            (tp, o) -> {
                                if (tp.topic().equals(topic) && o != null) {
                                    offsets.put(tp, new OffsetAndMetadata(o.offset()));
                                }
                            });
            if (!offsets.isEmpty()) {
                admin.alterConsumerGroupOffsets(to, offsets).all().get();
                LOG.info(
                        "consumer group {} starts on {} where {} stopped ({} partitions)",
                        to,
                        topic,
                        from,
                        offsets.size());
            }
            return offsets.size();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot carry the offsets of group " + from + " over to " + to, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while carrying offsets over", e);
        }
    }

    /**
     * The end offsets of {@code topic}, summed over its partitions: how many records it has ever
     * held.
     */
    public long endOffsets(String topic) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            partitions.forEach(
                    p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(ask).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the end offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    /**
     * Whether consumer group {@code groupId} has committed past every record of {@code topic} whose
     * value matches (false while there is none): "a checkpoint of that job holds this record", for
     * a test to wait on.
     */
    public boolean committedPast(String groupId, String topic, Predicate<String> value) {
        Map<TopicPartition, Long> last = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> c =
                        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
                Admin admin =
                        Admin.create(
                                Map.of(
                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrapServers))) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(java.time.Duration.ofMillis(500))) {
                    if (r.value() != null && value.test(r.value())) {
                        last.merge(
                                new TopicPartition(r.topic(), r.partition()),
                                r.offset(),
                                Math::max);
                    }
                }
            }
            if (last.isEmpty()) {
                return false;
            }
            var committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            return last.entrySet().stream()
                    .allMatch(
                            e ->
                                    committed.get(e.getKey()) != null
                                            && committed.get(e.getKey()).offset() > e.getValue());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the offsets of group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    /**
     * Partitions of {@code topics} whose in-sync replicas are fewer than their replicas (a broker
     * down or still catching up): 0 once every replica has caught up.
     */
    public int underReplicated(Collection<String> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return (int)
                    admin.describeTopics(topics).allTopicNames().get().values().stream()
                            .flatMap(t -> t.partitions().stream())
                            .filter(p -> p.isr().size() < p.replicas().size())
                            .count();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        }
    }

    /** The brokers the cluster has now. */
    public int brokers() {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeCluster().nodes().get().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the cluster", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the cluster", e);
        }
    }
}
