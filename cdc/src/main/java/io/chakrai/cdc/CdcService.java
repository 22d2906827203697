package io.chakrai.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-data-capture service: Debezium's embedded engine reads PostgreSQL's logical
 * replication stream (pgoutput, publication {@code chakrai_cdc}, slot {@code chakrai_cdc}) and
 * writes every change to Kafka topic {@code cdc.public.<table>}, keyed by primary key, in
 * Debezium's JSON without schemas (the contract is {@code io.chakrai.models.groups.GroupChanges}).
 *
 * <p>At least once, never lost: a batch's offsets are committed (to the offset file, then to the
 * slot, which keeps the WAL from there) only after Kafka acknowledged every record of the batch
 * (acks=all, idempotent). After a restart the engine resumes from the committed position; consumers
 * deduplicate by row id.
 */
public final class CdcService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdcService.class);
    public static final String TOPIC_PREFIX = "cdc";
    public static final String SLOT = "chakrai_cdc";
    public static final String PUBLICATION = "chakrai_cdc";
    public static final List<String> TABLES =
            List.of(
                    "therapy_groups",
                    "group_participants",
                    "group_messages",
                    "crisis_escalations",
                    "content_usage_tracking",
                    "stress_answers",
                    "erased_users");

    /**
     * A published one-row table the service updates every {@link #HEARTBEAT_MS}, so the slot's
     * position moves (V16).
     */
    static final String HEARTBEAT_TABLE = "cdc_heartbeat";

    static final long HEARTBEAT_MS = 5_000;

    /**
     * Where to read and write. {@code pollMs} is how long the connector waits to fill a batch
     * (latency).
     */
    public record Settings(
            String dbHost,
            int dbPort,
            String database,
            String dbUser,
            String dbPassword,
            String kafkaBootstrap,
            Path offsetFile,
            int partitions,
            short replication,
            long pollMs) {
        public static Settings fromEnv(Map<String, String> env) {
            return new Settings(
                    env.getOrDefault("CHAKRAI_DB_HOST", "localhost"),
                    Integer.parseInt(env.getOrDefault("CHAKRAI_DB_PORT", "5432")),
                    env.getOrDefault("CHAKRAI_DB_NAME", "chakrai"),
                    env.getOrDefault("CHAKRAI_DB_USER", "postgres"),
                    env.getOrDefault("CHAKRAI_DB_PASSWORD", ""),
                    env.getOrDefault("CHAKRAI_KAFKA_BOOTSTRAP", "localhost:9092"),
                    Path.of(
                            env.getOrDefault(
                                    "CHAKRAI_CDC_OFFSETS", "/var/lib/chakrai/cdc/offsets.dat")),
                    Integer.parseInt(env.getOrDefault("CHAKRAI_CDC_PARTITIONS", "3")),
                    Short.parseShort(env.getOrDefault("CHAKRAI_CDC_REPLICATION", "1")),
                    Long.parseLong(env.getOrDefault("CHAKRAI_CDC_POLL_MS", "20")));
        }

        String jdbcUrl() {
            return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + database;
        }
    }

    private final Settings settings;
    private final KafkaProducer<String, String> producer;
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile boolean closing;
    private final ExecutorService runner =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "cdc-engine");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicLong events = new AtomicLong();
    private final AtomicReference<Instant> lastEvent = new AtomicReference<>();
    private final AtomicReference<String> failure = new AtomicReference<>();

    private CdcService(Settings s) {
        this.settings = s;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.engine =
                DebeziumEngine.create(Json.class)
                        .using(engineProperties(s))
                        .notifying(this::handleBatch)
                        .using(
                                (success, message, error) -> {
                                    if (!success) {
                                        failure.set(message);
                                        LOG.error("the CDC engine stopped: {}", message, error);
                                    }
                                })
                        .build();
    }

    static Properties engineProperties(Settings s) {
        Properties p = new Properties();
        p.setProperty("name", "chakrai-cdc");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", s.offsetFile().toString());
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", s.dbHost());
        p.setProperty("database.port", Integer.toString(s.dbPort()));
        p.setProperty("database.user", s.dbUser());
        p.setProperty("database.password", s.dbPassword());
        p.setProperty("database.dbname", s.database());
        p.setProperty("topic.prefix", TOPIC_PREFIX);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("publication.name", PUBLICATION);
        // the schema migrations create the publication (V13); the service never changes it
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("slot.name", SLOT);
        p.setProperty(
                "table.include.list",
                String.join(
                        ",",
                        java.util.stream.Stream.concat(
                                        TABLES.stream(),
                                        java.util.stream.Stream.of(HEARTBEAT_TABLE))
                                .map(t -> "public." + t)
                                .toList()));
        // with only unpublished tables (the readings) writing, the slot would keep all their WAL: a
        // heartbeat row
        // change every few seconds moves its confirmed position past it
        p.setProperty("heartbeat.interval.ms", Long.toString(HEARTBEAT_MS));
        p.setProperty(
                "heartbeat.action.query",
                "UPDATE " + HEARTBEAT_TABLE + " SET beat_at = now() WHERE id = 1");
        p.setProperty("decimal.handling.mode", "double");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("poll.interval.ms", Long.toString(s.pollMs()));
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        p.setProperty("converter.schemas.enable", "false");
        return p;
    }

    /** Creates the topics (if missing), then starts the engine. */
    public static CdcService start(Settings s) throws Exception {
        Files.createDirectories(s.offsetFile().toAbsolutePath().getParent());
        createTopics(s);
        CdcService c = new CdcService(s);
        c.runner.execute(c.engine);
        LOG.info(
                "CDC: PostgreSQL {} (slot {}, publication {}) → Kafka {} topics {}.public.*",
                s.jdbcUrl(),
                SLOT,
                PUBLICATION,
                s.kafkaBootstrap(),
                TOPIC_PREFIX);
        return c;
    }

    static void createTopics(Settings s) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrap()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : TABLES) {
                // a week, like the readings: consumers are live (API fan-out) or checkpointed (the
                // group job)
                topics.add(
                        new NewTopic(TOPIC_PREFIX + ".public." + t, s.partitions(), s.replication())
                                .configs(
                                        Map.of(
                                                "retention.ms",
                                                Long.toString(7L * 24 * 3600 * 1000))));
            }
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private void handleBatch(
            List<ChangeEvent<String, String>> records,
            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> r : records) {
            // heartbeats (the engine's own and the heartbeat row's changes) only move the position:
            // no topic needs them
            if (r.value() == null
                    || r.destination() == null
                    || r.destination().startsWith("__debezium-heartbeat")
                    || r.destination().endsWith(".public." + HEARTBEAT_TABLE)) {
                continue;
            }
            sent.add(producer.send(new ProducerRecord<>(r.destination(), r.key(), r.value())));
        }
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // nothing of this batch is committed: the engine stops and, restarted, sends it
                // again
                throw new IllegalStateException(
                        "Kafka did not take a change event: " + e.getCause(), e.getCause());
            }
        }
        for (ChangeEvent<String, String> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
        events.addAndGet(sent.size());
        if (!sent.isEmpty()) {
            lastEvent.set(Instant.now());
        }
    }

    /** Change events written to Kafka since start. */
    public long events() {
        return events.get();
    }

    /** Why the engine stopped, or null while it runs. */
    public String failure() {
        return failure.get();
    }

    public Instant lastEvent() {
        return lastEvent.get();
    }

    /** Whether the replication slot exists and is streaming now. */
    public boolean slotActive() throws SQLException {
        return slot(settings.jdbcUrl(), settings.dbUser(), settings.dbPassword()).active();
    }

    /**
     * The replication slot as PostgreSQL sees it: active, and bytes of WAL not yet confirmed by the
     * engine.
     */
    public record Slot(boolean exists, boolean active, long lagBytes) {}

    public static Slot slot(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
                                        + "FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, SLOT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Slot(true, rs.getBoolean(1), rs.getLong(2))
                        : new Slot(false, false, 0);
            }
        }
    }

    /** Waits until the slot streams (the engine is ready to see changes). */
    public void awaitStreaming(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (failure.get() != null) {
                throw new IllegalStateException("CDC failed: " + failure.get());
            }
            if (slotActive()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the CDC replication slot did not become active within "
                        + timeout.toSeconds()
                        + " s");
    }

    @Override
    public void close() throws Exception {
        closing = true;
        engine.close();
        runner.shutdown();
        runner.awaitTermination(30, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
        LOG.info("CDC stopped after {} change events", events.get());
    }

    /** The CDC service alone (docker-compose): settings from the environment. */
    public static void main(String[] args) throws Exception {
        CdcService s = start(Settings.fromEnv(System.getenv()));
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        s.close();
                                    } catch (Exception e) {
                                        LOG.warn("while stopping CDC: {}", e.toString());
                                    }
                                },
                                "cdc-shutdown"));
        // the engine runs on a daemon thread: wait for it, or the JVM would exit (and stop it) as
        // soon as main returns
        s.runner.shutdown();
        s.runner.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        if (s.failure() != null && !s.closing) {
            // stopped on its own (Kafka or PostgreSQL gone for too long): exit non-zero, so a
            // supervisor restarts it
            LOG.error("the CDC engine stopped: {}", s.failure());
            System.exit(1);
        }
    }
}
