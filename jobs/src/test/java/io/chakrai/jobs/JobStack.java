package io.chakrai.jobs;

import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.sql.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Real PostgreSQL (migrated) and Kafka for the job integration tests, plus the helpers they share.
 */
public final class JobStack implements AutoCloseable {
    public final EmbeddedPostgres pg;
    public final EmbeddedKafka kafka;
    public final PGSimpleDataSource db;

    public JobStack(String database) throws Exception {
        pg = EmbeddedPostgres.start(null, 0, database);
        kafka = EmbeddedKafka.start(null, 0, 0, 2);
        db = new PGSimpleDataSource();
        db.setURL(pg.jdbcUrl());
        db.setUser(pg.user());
        Migrations.apply(db);
    }

    public int insertReturningId(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A user with one device for the given data types; returns {userId, deviceId}. */
    public int[] userWithDevice(String email, String dataTypes) throws SQLException {
        int user =
                insertReturningId(
                        "INSERT INTO users (email, password_hash) VALUES ('"
                                + email
                                + "', 'x') RETURNING id");
        int device =
                insertReturningId(
                        "INSERT INTO biometric_devices (user_id, device_type, device_id, data_types) "
                                + "VALUES ("
                                + user
                                + ", 'garmin', '"
                                + email
                                + "', '{"
                                + dataTypes
                                + "}') RETURNING id");
        return new int[] {user, device};
    }

    /** Sends values; a timestamp per value (device time, as the API stamps records) when given. */
    public void produce(String topic, List<String> values, List<Long> timestamps, String key) {
        produce(topic, values, timestamps, key, List.of());
    }

    /** The same, each record with {@code headers}. */
    public void produce(
            String topic,
            List<String> values,
            List<Long> timestamps,
            String key,
            List<Header> headers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                timestamps == null ? null : timestamps.get(i),
                                key,
                                values.get(i),
                                headers));
            }
            producer.flush();
        }
    }

    /** Reads a topic from the start until {@code expected} records came or {@code wait} passed. */
    public List<String> consume(String topic, int expected, Duration wait) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "reader-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    /**
     * Runs a job on its own MiniCluster (parallelism 2, no restarts), optionally restored from a
     * checkpoint.
     */
    public static JobClient startJob(
            String name,
            Path checkpoints,
            String restoreFrom,
            Consumer<StreamExecutionEnvironment> graph)
            throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        graph.accept(env);
        return env.executeAsync(name);
    }

    public static Optional<Path> latestCheckpoint(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(
                            Comparator.comparingInt(
                                    p ->
                                            Integer.parseInt(
                                                    p.getFileName().toString().substring(4))));
        }
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        pg.close();
    }
}
