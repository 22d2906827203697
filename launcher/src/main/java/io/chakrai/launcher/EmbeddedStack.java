package io.chakrai.launcher;

import io.chakrai.api.ApiConfig;
import io.chakrai.api.ApiServer;
import io.chakrai.api.health.PipelineHealth;
import io.chakrai.cdc.CdcService;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.embedded.KafkaAdmin;
import io.chakrai.jobs.analytics.AnalyticsJob;
import io.chakrai.jobs.config.AnalyticsOptions;
import io.chakrai.jobs.config.ContentOptions;
import io.chakrai.jobs.config.GroupOptions;
import io.chakrai.jobs.config.IngestionOptions;
import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.config.StressOptions;
import io.chakrai.jobs.groups.GroupDynamicsJob;
import io.chakrai.jobs.ingest.IngestionJob;
import io.chakrai.launcher.sim.DeviceSimulator;
import io.chakrai.launcher.sim.GroupChatSimulator;
import io.chakrai.models.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The whole system in one process, started in dependency order: PostgreSQL, Kafka, Flink with the
 * ingestion job, the API, the device simulator. Closing stops them in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedPostgres pg;
    private EmbeddedKafka kafka;
    private FlinkCluster flink;
    private ApiServer api;
    private DeviceSimulator simulator;
    private CdcService cdc;
    private GroupChatSimulator chat;
    private JobID groupJob;
    private JobID ingestionJob;
    private JobID analyticsJob;
    private Secrets secrets;
    private String host;
    private Path dataDir;
    private ApiConfig apiConfig;
    private int partitions;

    /**
     * The platform's own topics ({@link Topics#OWN}), each replicated {@code replication} times,
     * their retention stated, not defaulted. The CDC service creates its own.
     */
    public static List<NewTopic> topics(int partitions, short replication) {
        return Topics.OWN.stream()
                .map(
                        t ->
                                new NewTopic(
                                                t.name(),
                                                t.partitioned() ? partitions : 1,
                                                replication)
                                        .configs(
                                                Map.of(
                                                        "retention.ms",
                                                        Long.toString(t.retentionMs()))))
                .toList();
    }

    public static EmbeddedStack start(StackOptions o) throws Exception {
        EmbeddedStack s = new EmbeddedStack();
        try {
            s.startAll(o);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void startAll(StackOptions o) throws Exception {
        Path data = o.dataDir.toAbsolutePath();
        dataDir = data;
        host = o.host;
        partitions = o.partitions;
        secrets = Secrets.loadOrCreate(data);

        LOG.info("[1/6] starting PostgreSQL (embedded binaries, wal_level=logical)");
        pg = EmbeddedPostgres.start(data.resolve("postgres"), o.pgPort, "chakrai");
        started.push(pg);

        LOG.info("[2/6] starting Kafka (KRaft, in-process)");
        kafka =
                EmbeddedKafka.start(
                        data.resolve("kafka"), o.kafkaPort, o.kafkaControllerPort, o.partitions);
        started.push(kafka);
        kafka.createTopics(topics(o.partitions, (short) 1));

        // Flink first, so the API can watch its jobs; the jobs come after the API, which applies
        // the schema
        // migrations they need
        LOG.info("[3/6] starting Flink (MiniCluster with Web UI)");
        // slots for the platform jobs (the ingestion job with a subtask per partition) and for
        // model jobs deployed later
        // (deploy-job)
        flink =
                FlinkCluster.start(
                        o.host,
                        o.flinkPort,
                        data.resolve("checkpoints"),
                        6 * o.parallelism + o.partitions,
                        o.parallelism);
        started.push(flink);

        LOG.info("[4/6] starting the API (schema migrations first), then the ingestion job");
        apiConfig =
                new ApiConfig(
                        o.host,
                        o.apiPort,
                        pg.jdbcUrl(),
                        pg.user(),
                        pg.password(),
                        kafka.bootstrapServers(),
                        Topics.READINGS,
                        Topics.PREDICTIONS,
                        secrets.jwtSecret(),
                        ApiConfig.tokenTtl(System.getenv()),
                        secrets.deviceTokenKey(),
                        10_000,
                        8L * 1024 * 1024,
                        10,
                        java.time.Duration.ofSeconds(o.escalationAckSeconds));
        api = ApiServer.start(apiConfig, pipelineHealth());
        started.push(api);
        IngestionOptions ingest = ingestionConfig();
        ingestionJob =
                flink.submit(
                        IngestionJob.NAME,
                        !o.freshJobs,
                        env -> IngestionJob.buildFrom(env, ingest));

        LOG.info(
                "[5/6] starting change-data-capture (Debezium: group and content-usage tables → Kafka cdc.public.*), then the "
                        + "analytics job (stress episodes offering what measurably helped each person, daily risk, content effect: "
                        + "one readings source) and the group-dynamics job");
        cdc =
                CdcService.start(
                        new CdcService.Settings(
                                "localhost",
                                pg.port(),
                                pg.database(),
                                pg.user(),
                                pg.password(),
                                kafka.bootstrapServers(),
                                data.resolve("cdc").resolve("offsets.dat"),
                                o.partitions,
                                (short) 1,
                                20));
        started.push(cdc);
        cdc.awaitStreaming(Duration.ofSeconds(60));
        AnalyticsOptions analytics = analyticsConfig();
        // a data directory from before the analytics job: it reads on from where the stress job had
        // read (not the whole
        // topic again, which would replay a week of old predictions to people's sockets)
        new KafkaAdmin(kafka.bootstrapServers())
                .carryOverOffsets(PREVIOUS_STRESS_GROUP, analytics.groupId(), Topics.READINGS);
        analyticsJob =
                flink.submit(
                        AnalyticsJob.NAME,
                        !o.freshJobs,
                        env -> AnalyticsJob.buildFrom(env, analytics));
        GroupOptions groups = groupConfig();
        groupJob =
                flink.submit(
                        GroupDynamicsJob.NAME,
                        !o.freshJobs,
                        env -> GroupDynamicsJob.buildFrom(env, groups));

        if (o.noSimulator) {
            LOG.info("[6/6] device simulator off (--no-simulator)");
        } else {
            LOG.info("[6/6] starting the device simulator and simulated group members");
            simulator =
                    DeviceSimulator.start(
                            apiUrl(),
                            o.simUsers,
                            o.simIntervalMs,
                            o.simHistoryDays,
                            o.simMoodHistoryDays,
                            o.simQuestionnaireHours,
                            secrets.simulatorPassword());
            started.push(simulator);
            if (o.simChatters > 0) {
                chat =
                        GroupChatSimulator.start(
                                apiUrl(),
                                o.simChatters,
                                o.simChatIntervalMs,
                                secrets.simulatorPassword());
                started.push(chat);
            }
        }
    }

    /**
     * What the API's {@code /health} watches: this stack's jobs, their consumer groups, the dead
     * letters.
     */
    private PipelineHealth.Settings pipelineHealth() throws Exception {
        return new PipelineHealth.Settings(
                        flink.webUrl(),
                        List.of(
                                new PipelineHealth.Job(
                                        IngestionJob.NAME, ingestionConfig().groupId),
                                new PipelineHealth.Job(
                                        AnalyticsJob.NAME, AnalyticsOptions.DEFAULT_GROUP),
                                new PipelineHealth.Job(
                                        GroupDynamicsJob.NAME,
                                        groupConfig().groupId,
                                        Topics.GROUP_MESSAGES)),
                        Topics.READINGS,
                        Topics.DEAD_LETTERS,
                        Duration.ofMinutes(2),
                        2_000_000)
                .withCdcSlot(MAX_SLOT_LAG_BYTES);
    }

    /**
     * The consumer group of the stress job, which read the readings before the analytics job did.
     */
    static final String PREVIOUS_STRESS_GROUP = "chakrai-stress";

    /** WAL the CDC service may leave unconfirmed before /health calls it down. */
    static final long MAX_SLOT_LAG_BYTES = 256L * 1024 * 1024;

    /**
     * The analytics job's settings against this stack: the stress, risk and content graphs' own,
     * one consumer group.
     */
    public AnalyticsOptions analyticsConfig() {
        return new AnalyticsOptions(
                AnalyticsOptions.DEFAULT_GROUP, stressConfig(), riskConfig(), contentConfig());
    }

    /** The content-effectiveness graph's settings against this stack. */
    public ContentOptions contentConfig() {
        ContentOptions c = new ContentOptions();
        new CommandLine(c).parseArgs();
        pointAtThisStack(c.source);
        c.source.idlenessSeconds = 10;
        return c;
    }

    /** The group-dynamics job's settings against this stack. */
    public GroupOptions groupConfig() {
        GroupOptions c = new GroupOptions();
        new CommandLine(c).parseArgs();
        pointAtThisStack(c.source);
        c.source.idlenessSeconds = 10;
        // message times are the database's commit clock: little disorder
        c.source.maxOutOfOrdernessSeconds = 2;
        return c;
    }

    /** The ingestion job's settings against this stack. */
    public IngestionOptions ingestionConfig() {
        IngestionOptions c = new IngestionOptions();
        pointAtThisStack(c.source);
        c.groupId = "chakrai-ingestion";
        c.source.startingOffsets = "committed";
        c.jdbcBatchSize = 5_000;
        c.jdbcBatchIntervalMs = 200;
        // a subtask (and a COPY stream into PostgreSQL) per partition: the sink waits on the
        // database, so more streams
        // than cores still help (docs/benchmarks.md)
        c.parallelism =
                Integer.parseInt(
                        System.getenv()
                                .getOrDefault(
                                        "CHAKRAI_INGEST_PARALLELISM",
                                        Integer.toString(partitions)));
        c.source.maxOutOfOrdernessSeconds = 30;
        c.source.idlenessSeconds = 60;
        return c;
    }

    /**
     * The stress-episode graph's settings against this stack: its defaults, with this stack's
     * addresses.
     */
    public StressOptions stressConfig() {
        StressOptions c = new StressOptions();
        new CommandLine(c).parseArgs();
        pointAtThisStack(c.source);
        c.predictionsTopic = Topics.PREDICTIONS;
        // readings of a quiet partition must not hold event time back for long on a small system
        c.source.idlenessSeconds = 10;
        return c;
    }

    /** The daily re-assessment graph's settings against this stack. */
    public RiskOptions riskConfig() {
        RiskOptions c = new RiskOptions();
        new CommandLine(c).parseArgs();
        pointAtThisStack(c.source);
        c.source.idlenessSeconds = 10;
        return c;
    }

    /** This stack's Kafka, readings topic and PostgreSQL, and a checkpoint every 5 s. */
    private void pointAtThisStack(SourceOptions o) {
        o.kafkaBootstrap = kafka.bootstrapServers();
        o.readingsTopic = Topics.READINGS;
        o.deadLetterTopic = Topics.DEAD_LETTERS;
        o.dbUrl = pg.jdbcUrl();
        o.dbUser = pg.user();
        o.dbPassword = pg.password();
        o.checkpointIntervalMs = 5_000;
    }

    public String summary() throws Exception {
        String h = host.equals("0.0.0.0") ? "localhost" : host;
        return String.join(
                System.lineSeparator(),
                "",
                "  Chakrai is running.",
                "    API            http://"
                        + h
                        + ":"
                        + api.port()
                        + "   (health: /health, metrics: /metrics)",
                "    Flink Web UI   "
                        + flink.webUrl()
                        + "   (jobs "
                        + IngestionJob.NAME
                        + ", "
                        + AnalyticsJob.NAME
                        + " (stress, risk, content), "
                        + GroupDynamicsJob.NAME
                        + ")",
                "    CDC            Debezium on slot "
                        + CdcService.SLOT
                        + " → Kafka cdc.public.* ("
                        + String.join(", ", CdcService.TABLES)
                        + ")",
                "    Dashboard      "
                        + apiUrl()
                        + "/dashboard   (sign in as a simulated user: sim-001@chakrai.local, "
                        + "password in "
                        + dataDir.resolve("secrets.properties")
                        + ")",
                "    PostgreSQL     " + pg.jdbcUrl() + "   (user " + pg.user() + ")",
                "    Kafka          "
                        + kafka.bootstrapServers()
                        + "   (topics "
                        + Topics.READINGS
                        + ", "
                        + Topics.DEAD_LETTERS
                        + ", "
                        + Topics.PREDICTIONS
                        + ")",
                "    Simulator      " + (simulator == null ? "off" : "on: " + simulatorSummary()),
                "  Press Ctrl-C to stop.",
                "");
    }

    private String simulatorSummary() {
        return "wearers sim-001.. streaming"
                + (chat == null
                        ? ""
                        : "; group members sim-chat-001.. chatting (dashboard → Groups)");
    }

    public String apiUrl() {
        String h = host.equals("0.0.0.0") ? "localhost" : host;
        return "http://" + h + ":" + api.port();
    }

    public EmbeddedPostgres postgres() {
        return pg;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public FlinkCluster flink() {
        return flink;
    }

    public JobID ingestionJob() {
        return ingestionJob;
    }

    /**
     * Submits the ingestion job again from its last checkpoint (after it was cancelled or failed
     * for good).
     */
    public void restartIngestion() throws Exception {
        IngestionOptions ingest = ingestionConfig();
        ingestionJob =
                flink.submit(IngestionJob.NAME, true, env -> IngestionJob.buildFrom(env, ingest));
    }

    /**
     * The analytics job: the stress-episode, risk and content-effectiveness graphs on one readings
     * source.
     */
    public JobID analyticsJob() {
        return analyticsJob;
    }

    public JobID groupJob() {
        return groupJob;
    }

    public CdcService cdc() {
        return cdc;
    }

    /** The API's configuration, for starting another instance on this stack (with another port). */
    public ApiConfig apiConfig() {
        return apiConfig;
    }

    /** What the API's /health watches on this stack. */
    public PipelineHealth.Settings healthSettings() throws Exception {
        return pipelineHealth();
    }

    public DeviceSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
