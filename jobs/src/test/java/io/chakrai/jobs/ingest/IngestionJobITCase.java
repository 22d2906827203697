package io.chakrai.jobs.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.jobs.config.IngestionConfig;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.sql.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The ingestion job on a real Flink MiniCluster, a real Kafka broker and a real PostgreSQL. */
class IngestionJobITCase {
    static EmbeddedPostgres pg;
    static EmbeddedKafka kafka;
    static PGSimpleDataSource db;
    static int userA;
    static int userB;
    static int deviceA;
    static int deviceB;
    static final Instant START = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "chakrai_jobs_test");
        kafka = EmbeddedKafka.start(null, 0, 0, 2);
        db = new PGSimpleDataSource();
        db.setURL(pg.jdbcUrl());
        db.setUser(pg.user());
        Migrations.apply(db);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            userA = insertReturningId(s, "INSERT INTO users (email, password_hash) VALUES ('a@x.org', 'x') RETURNING id");
            userB = insertReturningId(s, "INSERT INTO users (email, password_hash) VALUES ('b@x.org', 'x') RETURNING id");
            deviceA = insertReturningId(s, "INSERT INTO biometric_devices (user_id, device_type, device_id, data_types) "
                    + "VALUES (" + userA + ", 'garmin', 'g-1', '{heart_rate,hrv}') RETURNING id");
            deviceB = insertReturningId(s, "INSERT INTO biometric_devices (user_id, device_type, device_id, data_types) "
                    + "VALUES (" + userB + ", 'oura', 'o-1', '{heart_rate,hrv}') RETURNING id");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        pg.close();
    }

    private static int insertReturningId(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A fresh topic pair and consumer group per test. */
    private static IngestionConfig freshConfig() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IngestionConfig cfg = new IngestionConfig();
        cfg.kafkaBootstrap = kafka.bootstrapServers();
        cfg.readingsTopic = "readings-" + suffix;
        cfg.deadLetterTopic = "readings-dlq-" + suffix;
        cfg.groupId = "ingest-" + suffix;
        cfg.startingOffsets = "committed";
        cfg.dbUrl = pg.jdbcUrl();
        cfg.dbUser = pg.user();
        cfg.dbPassword = "";
        cfg.checkpointIntervalMs = 500;
        cfg.jdbcBatchSize = 500;
        cfg.jdbcBatchIntervalMs = 100;
        cfg.maxOutOfOrdernessSeconds = 30;
        kafka.createTopics(List.of(new NewTopic(cfg.readingsTopic, 2, (short) 1),
                new NewTopic(cfg.deadLetterTopic, 1, (short) 1)));
        return cfg;
    }

    /** Readings of one user's device, one a second from {@code first}, in a shuffled (out-of-order) order. */
    private static List<String> readings(int user, int device, int first, int count) {
        List<String> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            out.add(ReadingCodec.toRecord(new BiometricReading(user, device, i % 2 == 0 ? "heart_rate" : "hrv",
                    i % 2 == 0 ? 60 + i % 40 : 30 + i % 50, i % 2 == 0 ? "bpm" : "ms", 0.95, 0.9,
                    START.plusSeconds(i / 2), null)));
        }
        java.util.Collections.shuffle(out, new java.util.Random(first));
        return out;
    }

    private static void produce(String topic, List<String> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, "k", v));
            }
            producer.flush();
        }
    }

    private static long rows(int device) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (data_type, \"timestamp\")) "
                     + "FROM biometric_readings WHERE device_id = " + device)) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "duplicate natural keys");
            return rs.getLong(1);
        }
    }

    private static List<JsonNode> deadLetters(String topic, int expected) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(json.readTree(r.value()));
                }
            }
        }
        return out;
    }

    private static JobClient startJob(IngestionConfig cfg, Path checkpoints, String restoreFrom) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        IngestionJob.buildFrom(env, cfg);
        return env.executeAsync(IngestionJob.NAME);
    }

    private static Optional<Path> latestCheckpoint(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))));
        }
    }

    @Test
    void storesEveryGoodReadingOnceAndDeadLettersPoisonWithoutStopping(@TempDir Path checkpoints) throws Exception {
        IngestionConfig cfg = freshConfig();
        List<String> good = readings(userA, deviceA, 0, 2_000);
        List<String> poison = List.of(
                "{this is not json",
                ReadingCodec.toRecord(new BiometricReading(userA, deviceA, "heart_rate", 900, "bpm", 1, 1, START, null)),
                "{\"user_id\":" + userA + ",\"device_id\":" + deviceA + ",\"data_type\":\"mood_ring\",\"value\":1,"
                        + "\"timestamp\":\"" + START + "\"}",
                // a well-formed reading for user A on user B's device: would violate the ownership rule
                ReadingCodec.toRecord(new BiometricReading(userA, deviceB, "hrv", 40, "ms", 1, 1, START, null)));
        List<String> all = new ArrayList<>(good.subList(0, 1_000));
        all.addAll(poison);
        all.addAll(good.subList(1_000, 2_000));
        produce(cfg.readingsTopic, all);

        JobClient job = startJob(cfg, checkpoints, null);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(deviceA) >= 2_000);
            List<JsonNode> dlq = deadLetters(cfg.deadLetterTopic, 4);
            assertEquals(4, dlq.size(), dlq.toString());
            List<String> reasons = dlq.stream().map(d -> d.get("reason").asText()).sorted().toList();
            assertTrue(reasons.get(0).startsWith("data_type: unknown data type 'mood_ring'"), reasons.toString());
            assertTrue(reasons.get(1).startsWith("device_id: device " + deviceB + " is not registered to user " + userA),
                    reasons.toString());
            assertTrue(reasons.get(2).startsWith("record: is not valid JSON"), reasons.toString());
            assertTrue(reasons.get(3).startsWith("value: heart_rate of 900 bpm"), reasons.toString());
            assertEquals("{this is not json", dlq.stream().filter(d -> d.get("reason").asText().startsWith("record"))
                    .findFirst().orElseThrow().get("value").asText());
            assertEquals(org.apache.flink.api.common.JobStatus.RUNNING, job.getJobStatus().get(),
                    "the job must keep running after poison records");
            assertEquals(2_000, rows(deviceA));
            assertEquals(0, rows(deviceB));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void restartFromTheLastCheckpointMidStreamLosesAndDoublesNothing(@TempDir Path checkpoints) throws Exception {
        IngestionConfig cfg = freshConfig();
        int device = deviceB;
        int user = userB;
        long before = rows(device);
        produce(cfg.readingsTopic, readings(user, device, 10_000, 3_000));

        JobClient first = startJob(cfg, checkpoints, null);
        // mid-stream: some readings stored, at least one checkpoint complete
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows(device) - before > 0 && latestCheckpoint(checkpoints).isPresent());
        produce(cfg.readingsTopic, readings(user, device, 13_000, 2_000));
        first.cancel().get();
        Path checkpoint = latestCheckpoint(checkpoints).orElseThrow();

        // readings that arrive while the job is down
        produce(cfg.readingsTopic, readings(user, device, 15_000, 3_000));
        // A new consumer group told to start at the *end* of the topic: only the checkpoint's offsets
        // can bring back the readings produced before and during the outage.
        cfg.groupId = cfg.groupId + "-restarted";
        cfg.startingOffsets = "latest";
        JobClient second = startJob(cfg, checkpoints, checkpoint.toUri().toString());
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(device) - before >= 8_000);
            Thread.sleep(2_000); // anything still in flight would show up as more than 8,000
            assertEquals(8_000, rows(device) - before);
        } finally {
            second.cancel().get();
        }
    }
}
