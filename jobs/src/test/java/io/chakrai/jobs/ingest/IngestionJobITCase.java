package io.chakrai.jobs.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.IngestionOptions;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingestion job on a real Flink MiniCluster, a real Kafka broker and a real PostgreSQL. */
class IngestionJobITCase {
    static JobStack stack;
    static int userA;
    static int userB;
    static int deviceA;
    static int deviceB;
    static final Instant START =
            Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_jobs_test");
        int[] a = stack.userWithDevice("a@x.org", "heart_rate,hrv");
        int[] b = stack.userWithDevice("b@x.org", "heart_rate,hrv");
        userA = a[0];
        deviceA = a[1];
        userB = b[0];
        deviceB = b[1];
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A fresh topic pair and consumer group per test. */
    private static IngestionOptions freshConfig() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IngestionOptions cfg = new IngestionOptions();
        cfg.source.kafkaBootstrap = stack.kafka.bootstrapServers();
        cfg.source.readingsTopic = "readings-" + suffix;
        cfg.source.deadLetterTopic = "readings-dlq-" + suffix;
        cfg.groupId = "ingest-" + suffix;
        cfg.source.startingOffsets = "committed";
        cfg.source.dbUrl = stack.pg.jdbcUrl();
        cfg.source.dbUser = stack.pg.user();
        cfg.source.dbPassword = "";
        cfg.source.checkpointIntervalMs = 500;
        cfg.jdbcBatchSize = 500;
        cfg.jdbcBatchIntervalMs = 100;
        cfg.source.maxOutOfOrdernessSeconds = 30;
        cfg.source.idlenessSeconds = 60;
        stack.kafka.createTopics(
                List.of(
                        new NewTopic(cfg.source.readingsTopic, 2, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY),
                        new NewTopic(cfg.source.deadLetterTopic, 1, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY)));
        return cfg;
    }

    /**
     * Readings of one user's device, one a second from {@code first}, in a shuffled (out-of-order)
     * order.
     */
    private static List<String> readings(int user, int device, int first, int count) {
        List<String> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            out.add(
                    ReadingCodec.toRecord(
                            new BiometricReading(
                                    user,
                                    device,
                                    i % 2 == 0 ? "heart_rate" : "hrv",
                                    i % 2 == 0 ? 60 + i % 40 : 30 + i % 50,
                                    i % 2 == 0 ? "bpm" : "ms",
                                    0.95,
                                    0.9,
                                    START.plusSeconds(i / 2),
                                    null)));
        }
        java.util.Collections.shuffle(out, new java.util.Random(first));
        return out;
    }

    private static void produce(String topic, List<String> values) {
        stack.produce(topic, values, null, "k");
    }

    private static long rows(int device) throws SQLException {
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT count(*), count(DISTINCT (data_type, \"timestamp\")) "
                                        + "FROM biometric_readings WHERE device_id = "
                                        + device)) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "duplicate natural keys");
            return rs.getLong(1);
        }
    }

    private static List<JsonNode> deadLetters(String topic, int expected) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String v : stack.consume(topic, expected, Duration.ofSeconds(60))) {
            out.add(json.readTree(v));
        }
        return out;
    }

    private static JobClient startJob(IngestionOptions cfg, Path checkpoints, String restoreFrom)
            throws Exception {
        return JobStack.startJob(
                IngestionJob.NAME,
                checkpoints,
                restoreFrom,
                env -> IngestionJob.buildFrom(env, cfg));
    }

    private static Optional<Path> latestCheckpoint(Path dir) throws Exception {
        return JobStack.latestCheckpoint(dir);
    }

    @Test
    void storesEveryGoodReadingOnceAndDeadLettersPoisonWithoutStopping(@TempDir Path checkpoints)
            throws Exception {
        IngestionOptions cfg = freshConfig();
        List<String> good = readings(userA, deviceA, 0, 2_000);
        List<String> poison =
                List.of(
                        "{this is not json",
                        ReadingCodec.toRecord(
                                new BiometricReading(
                                        userA,
                                        deviceA,
                                        "heart_rate",
                                        900,
                                        "bpm",
                                        1,
                                        1,
                                        START,
                                        null)),
                        "{\"user_id\":"
                                + userA
                                + ",\"device_id\":"
                                + deviceA
                                + ",\"data_type\":\"mood_ring\",\"value\":1,"
                                + "\"timestamp\":\""
                                + START
                                + "\"}",
                        // a well-formed reading for user A on user B's device: would violate the
                        // ownership rule
                        ReadingCodec.toRecord(
                                new BiometricReading(
                                        userA, deviceB, "hrv", 40, "ms", 1, 1, START, null)));
        List<String> all = new ArrayList<>(good.subList(0, 1_000));
        all.addAll(poison);
        all.addAll(good.subList(1_000, 2_000));
        produce(cfg.source.readingsTopic, all);

        JobClient job = startJob(cfg, checkpoints, null);
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(deviceA) >= 2_000);
            List<JsonNode> dlq = deadLetters(cfg.source.deadLetterTopic, 4);
            assertEquals(4, dlq.size(), dlq.toString());
            List<String> reasons =
                    dlq.stream().map(d -> d.get("reason").asText()).sorted().toList();
            assertTrue(
                    reasons.get(0).startsWith("data_type: unknown data type 'mood_ring'"),
                    reasons.toString());
            assertTrue(
                    reasons.get(1)
                            .startsWith(
                                    "device_id: device "
                                            + deviceB
                                            + " is not registered to user "
                                            + userA),
                    reasons.toString());
            assertTrue(reasons.get(2).startsWith("record: is not valid JSON"), reasons.toString());
            assertTrue(
                    reasons.get(3).startsWith("value: heart_rate of 900 bpm"), reasons.toString());
            assertEquals(
                    "{this is not json",
                    dlq.stream()
                            .filter(d -> d.get("reason").asText().startsWith("record"))
                            .findFirst()
                            .orElseThrow()
                            .get("value")
                            .asText());
            assertEquals(
                    org.apache.flink.api.common.JobStatus.RUNNING,
                    job.getJobStatus().get(),
                    "the job must keep running after poison records");
            assertEquals(2_000, rows(deviceA));
            assertEquals(0, rows(deviceB));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aReadingTheDatabaseRefusesGoesToTheDeadLetterTopicAndEveryoneElsesAreStored(
            @TempDir Path checkpoints) throws Exception {
        IngestionOptions cfg = freshConfig();
        // a rule the codec does not know about: as if a constraint had been added after the API
        // accepted it
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "ALTER TABLE biometric_readings ADD CONSTRAINT test_no_123_25 CHECK (value <> 123.25)");
        }
        Instant t0 = START.plusSeconds(50_000);
        List<String> first = new ArrayList<>();
        // refused by the codec: text and times PostgreSQL could not store, metadata too large
        first.add(
                "{\"user_id\":"
                        + userA
                        + ",\"device_id\":"
                        + deviceA
                        + ",\"data_type\":\"heart_rate\",\"value\":70,"
                        + "\"timestamp\":\""
                        + t0
                        + "\",\"metadata\":{\"note\":\"a\\u0000b\"}}");
        first.add(
                "{\"user_id\":"
                        + userA
                        + ",\"device_id\":"
                        + deviceA
                        + ",\"data_type\":\"heart_rate\",\"value\":70,"
                        + "\"timestamp\":\"+294277-01-01T00:00:00Z\"}");
        first.add(
                "{\"user_id\":"
                        + userA
                        + ",\"device_id\":"
                        + deviceA
                        + ",\"data_type\":\"heart_rate\",\"value\":70,"
                        + "\"timestamp\":\""
                        + t0
                        + "\",\"metadata\":{\"x\":\""
                        + "y".repeat(5_000)
                        + "\"}}");
        // refused only by the database, in the middle of a batch of good ones
        for (int i = 0; i < 300; i++) {
            double v = i == 150 ? 123.25 : 61;
            first.add(
                    ReadingCodec.toRecord(
                            new BiometricReading(
                                    userA,
                                    deviceA,
                                    "heart_rate",
                                    v,
                                    "bpm",
                                    1,
                                    1,
                                    t0.plusSeconds(i),
                                    null)));
        }
        long beforeA = rows(deviceA);
        long beforeB = rows(deviceB);
        produce(cfg.source.readingsTopic, first);
        JobClient job = startJob(cfg, checkpoints, null);
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> rows(deviceA) - beforeA >= 299);
            // another person's readings sent after the refused one are stored within seconds
            produce(cfg.source.readingsTopic, readings(userB, deviceB, 40_000, 200));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> rows(deviceB) - beforeB >= 200);
            List<JsonNode> dlq = deadLetters(cfg.source.deadLetterTopic, 4);
            List<String> reasons =
                    dlq.stream().map(d -> d.get("reason").asText()).sorted().toList();
            assertEquals(4, reasons.size(), reasons.toString());
            assertTrue(
                    reasons.get(0).startsWith("database refused the row (SQLSTATE 23514)"),
                    reasons.toString());
            assertTrue(reasons.get(0).contains("test_no_123_25"), reasons.toString());
            assertTrue(
                    reasons.get(1).startsWith("metadata/note: contains a NUL character"),
                    reasons.toString());
            assertTrue(reasons.get(2).startsWith("metadata: is larger than"), reasons.toString());
            assertTrue(
                    reasons.get(3).startsWith("timestamp: must lie between"), reasons.toString());
            JsonNode refused =
                    dlq.stream()
                            .filter(d -> d.get("reason").asText().startsWith("database"))
                            .findFirst()
                            .orElseThrow();
            assertEquals(Integer.toString(userA), refused.get("key").asText());
            assertEquals(
                    123.25,
                    new ObjectMapper()
                            .readTree(refused.get("value").asText())
                            .get("value")
                            .asDouble());
            assertEquals(299, rows(deviceA) - beforeA);
            assertEquals(
                    org.apache.flink.api.common.JobStatus.RUNNING,
                    job.getJobStatus().get(),
                    "the job must keep running after a row the database refuses");
        } finally {
            job.cancel().get();
            try (Connection c = stack.db.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE biometric_readings DROP CONSTRAINT test_no_123_25");
            }
        }
    }

    @Test
    void restartFromTheLastCheckpointMidStreamLosesAndDoublesNothing(@TempDir Path checkpoints)
            throws Exception {
        IngestionOptions cfg = freshConfig();
        int device = deviceB;
        int user = userB;
        long before = rows(device);
        produce(cfg.source.readingsTopic, readings(user, device, 10_000, 3_000));

        JobClient first = startJob(cfg, checkpoints, null);
        // mid-stream: some readings stored, at least one checkpoint complete
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                rows(device) - before > 0
                                        && latestCheckpoint(checkpoints).isPresent());
        produce(cfg.source.readingsTopic, readings(user, device, 13_000, 2_000));
        first.cancel().get();
        Path checkpoint = latestCheckpoint(checkpoints).orElseThrow();

        // readings that arrive while the job is down
        produce(cfg.source.readingsTopic, readings(user, device, 15_000, 3_000));
        // A new consumer group told to start at the *end* of the topic: only the checkpoint's
        // offsets
        // can bring back the readings produced before and during the outage.
        cfg.groupId = cfg.groupId + "-restarted";
        cfg.source.startingOffsets = "latest";
        JobClient second = startJob(cfg, checkpoints, checkpoint.toUri().toString());
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(device) - before >= 8_000);
            // a checkpoint past every record has completed (its offsets are committed) and so has
            // flushed the
            // sink: anything doubled would show up now as more than 8,000
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    stack.kafka.committedOffsets(
                                                    cfg.groupId, cfg.source.readingsTopic)
                                            >= 8_000);
            assertEquals(8_000, rows(device) - before);
        } finally {
            second.cancel().get();
        }
    }
}
