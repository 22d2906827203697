package io.chakrai.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.cdc.CdcService;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.embedded.Ports;
import io.chakrai.jobs.analytics.AnalyticsJob;
import io.chakrai.jobs.groups.GroupDynamicsJob;
import io.chakrai.jobs.ingest.IngestionJob;
import io.chakrai.launcher.EmbeddedStack;
import io.chakrai.launcher.FlinkCluster;
import io.chakrai.launcher.FlinkRest;
import io.chakrai.launcher.Secrets;
import io.chakrai.models.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production shape on one machine, every service its own process, as docker-compose lays it
 * out: PostgreSQL; three Kafka brokers (replication 3, {@code min.insync.replicas} 2); a Flink
 * standalone cluster (one JobManager, two TaskManagers); two API instances; the CDC service; and
 * the platform's jobs (ingestion, analytics, group dynamics) submitted as the shaded job jar
 * through Flink's REST API. Services find each other by the same {@code CHAKRAI_*} keys as in
 * compose.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    /** Every job runs on both TaskManagers. */
    public static final int PARALLELISM = 2;

    /** Where everything listens and what it runs; 0 for a port: any free one. */
    public record Settings(
            Path dataDir,
            String host,
            int pgPort,
            int[] kafkaPorts,
            int[] kafkaControllerPorts,
            int flinkPort,
            int flinkRpcPort,
            int[] apiPorts,
            int partitions,
            int slotsPerTaskManager,
            String taskManagerMemory,
            Path jobJar,
            Map<String, List<String>> extraJobArgs) {}

    /**
     * A job as the cluster runs it: its name in the Web UI, its entry class in the job jar, its
     * arguments.
     */
    public record Job(String name, String entryClass, List<String> args) {}

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> jobIds = new LinkedHashMap<>();
    private final List<ChildJvm> apis = new ArrayList<>();
    private EmbeddedPostgres pg;
    private KafkaBrokers kafka;
    private FlinkStandalone flink;
    private ChildJvm cdc;
    private Settings settings;
    private String host;
    private int[] apiPorts;

    public static LocalCluster start(Settings s) throws Exception {
        LocalCluster c = new LocalCluster();
        try {
            c.startAll(s);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll(Settings s) throws Exception {
        settings = s;
        host = s.host();
        Path data = s.dataDir().toAbsolutePath();
        Files.createDirectories(data);
        Secrets secrets = Secrets.loadOrCreate(data);
        Path logConfig = writeLogConfig(data);
        String services = ClassPath.services();
        if (!Files.isRegularFile(s.jobJar())) {
            throw new IOException(
                    "the job jar "
                            + s.jobJar().toAbsolutePath()
                            + " is missing: build it with ./mvnw -DskipTests install");
        }

        LOG.info("[1/6] PostgreSQL (embedded binaries, its own process)");
        pg = EmbeddedPostgres.start(data.resolve("postgres"), s.pgPort(), "chakrai");
        started.push(pg);

        LOG.info(
                "[2/6] Kafka: three KRaft brokers, each its own JVM (replication 3, min.insync.replicas 2)");
        kafka =
                KafkaBrokers.start(
                        data.resolve("kafka"),
                        s.kafkaPorts(),
                        s.kafkaControllerPorts(),
                        s.partitions(),
                        services,
                        logConfig,
                        Duration.ofMinutes(2));
        started.push(kafka);
        kafka.admin()
                .createTopics(EmbeddedStack.topics(s.partitions(), (short) KafkaBrokers.NODES));

        LOG.info("[3/6] Flink standalone: a JobManager and two TaskManagers, each its own JVM");
        // the jobs read the database password from their TaskManager's environment, as in compose
        flink =
                FlinkStandalone.start(
                        host,
                        s.flinkPort(),
                        s.flinkRpcPort(),
                        data.resolve("flink"),
                        2,
                        s.slotsPerTaskManager(),
                        s.taskManagerMemory(),
                        ClassPath.flink(),
                        logConfig,
                        Map.of("CHAKRAI_DB_PASSWORD", pg.password()),
                        Duration.ofMinutes(2));
        started.push(flink);

        LOG.info("[4/6] the first API instance (it applies the schema migrations)");
        Map<String, String> apiEnv = new LinkedHashMap<>();
        apiEnv.put("CHAKRAI_API_HOST", host);
        apiEnv.put("CHAKRAI_DB_URL", pg.jdbcUrl());
        apiEnv.put("CHAKRAI_DB_USER", pg.user());
        apiEnv.put("CHAKRAI_DB_PASSWORD", pg.password());
        apiEnv.put("CHAKRAI_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        apiEnv.put("CHAKRAI_READINGS_TOPIC", Topics.READINGS);
        apiEnv.put("CHAKRAI_PREDICTIONS_TOPIC", Topics.PREDICTIONS);
        apiEnv.put("CHAKRAI_DLQ_TOPIC", Topics.DEAD_LETTERS);
        apiEnv.put("CHAKRAI_JWT_SECRET", secrets.jwtSecret());
        apiEnv.put("CHAKRAI_DEVICE_TOKEN_KEY", secrets.deviceTokenKey());
        apiEnv.put("CHAKRAI_FLINK_REST_URL", flink.restUrl());
        apiEnv.put("CHAKRAI_CDC_MAX_SLOT_LAG_BYTES", Long.toString(256L * 1024 * 1024));
        apiPorts = new int[s.apiPorts().length];
        for (int i = 0; i < apiPorts.length; i++) {
            apiPorts[i] = s.apiPorts()[i] == 0 ? Ports.freePort() : s.apiPorts()[i];
            Ports.requireFree(host, apiPorts[i], "API instance " + (i + 1), "--api-ports");
            Map<String, String> env = new LinkedHashMap<>(apiEnv);
            env.put("CHAKRAI_API_PORT", Integer.toString(apiPorts[i]));
            apis.add(
                    new ChildJvm(
                            "api-" + (i + 1),
                            data.resolve("services"),
                            List.of(
                                    "-Xms256m",
                                    "-Xmx1g",
                                    "-XX:+UseG1GC",
                                    "-Dlog4j2.configurationFile=" + logConfig.toUri()),
                            services,
                            "io.chakrai.api.ApiServer",
                            List.of(),
                            env));
        }
        apis.get(0).start();
        started.push(apis.get(0));
        awaitApi(0, Duration.ofMinutes(2));

        LOG.info("[5/6] the CDC service and the other API instances");
        Map<String, String> cdcEnv = new LinkedHashMap<>();
        cdcEnv.put("CHAKRAI_DB_HOST", "localhost");
        cdcEnv.put("CHAKRAI_DB_PORT", Integer.toString(pg.port()));
        cdcEnv.put("CHAKRAI_DB_NAME", pg.database());
        cdcEnv.put("CHAKRAI_DB_USER", pg.user());
        cdcEnv.put("CHAKRAI_DB_PASSWORD", pg.password());
        cdcEnv.put("CHAKRAI_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        cdcEnv.put("CHAKRAI_CDC_OFFSETS", data.resolve("cdc").resolve("offsets.dat").toString());
        cdcEnv.put("CHAKRAI_CDC_PARTITIONS", Integer.toString(s.partitions()));
        cdcEnv.put("CHAKRAI_CDC_REPLICATION", "3");
        cdcEnv.put("CHAKRAI_CDC_POLL_MS", "20");
        cdc =
                new ChildJvm(
                        "cdc",
                        data.resolve("services"),
                        List.of(
                                "-Xms128m",
                                "-Xmx512m",
                                "-XX:+UseG1GC",
                                "-Dlog4j2.configurationFile=" + logConfig.toUri()),
                        services,
                        "io.chakrai.cdc.CdcService",
                        List.of(),
                        cdcEnv);
        cdc.start();
        started.push(cdc);
        for (int i = 1; i < apis.size(); i++) {
            apis.get(i).start();
            started.push(apis.get(i));
        }
        awaitCdcSlot(Duration.ofMinutes(2));
        for (int i = 1; i < apis.size(); i++) {
            awaitApi(i, Duration.ofMinutes(2));
        }

        LOG.info(
                "[6/6] the jobs: the shaded job jar uploaded to the JobManager and run through its REST API");
        submitJobs(data.resolve("flink").resolve("jobs.properties"));
    }

    /**
     * The platform's jobs with this cluster's addresses (the same flags compose passes, and the
     * embedded stack's tuning).
     */
    public List<Job> jobs() {
        List<String> common =
                List.of(
                        "--kafka-bootstrap",
                        kafka.bootstrapServers(),
                        "--readings-topic",
                        Topics.READINGS,
                        "--dlq-topic",
                        Topics.DEAD_LETTERS,
                        "--db-url",
                        pg.jdbcUrl(),
                        "--db-user",
                        pg.user(),
                        "--checkpoint-interval-ms",
                        "5000");
        List<Job> jobs = new ArrayList<>();
        jobs.add(job(IngestionJob.NAME, IngestionJob.class, common, "--idleness-s", "60"));
        jobs.add(
                job(
                        AnalyticsJob.NAME,
                        AnalyticsJob.class,
                        common,
                        "--idleness-s",
                        "10",
                        "--predictions-topic",
                        Topics.PREDICTIONS));
        jobs.add(
                job(
                        GroupDynamicsJob.NAME,
                        GroupDynamicsJob.class,
                        common,
                        "--idleness-s",
                        "10",
                        "--max-out-of-orderness-s",
                        "2"));
        return jobs;
    }

    /** The arguments the cluster runs job {@code name} with. */
    public List<String> jobArgs(String name) {
        return jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow().args();
    }

    private Job job(String name, Class<?> entry, List<String> common, String... own) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(own));
        args.addAll(settings.extraJobArgs().getOrDefault(name, List.of()));
        return new Job(name, entry.getName(), args);
    }

    /**
     * Uploads the job jar and runs every job, each from the newest checkpoint its previous run left
     * (the ids of the last run are kept in {@code jobs.properties}), then waits until all of them
     * run.
     */
    private void submitJobs(Path registry) throws Exception {
        FlinkRest rest = flink.rest();
        String jarId = rest.upload(settings.jobJar());
        Properties previous = new Properties();
        if (Files.isRegularFile(registry)) {
            try (InputStream in = Files.newInputStream(registry)) {
                previous.load(in);
            }
        }
        Path checkpoints =
                settings.dataDir().toAbsolutePath().resolve("flink").resolve("checkpoints");
        for (Job j : jobs()) {
            String old = previous.getProperty(j.name());
            Optional<Path> restore =
                    old == null
                            ? Optional.empty()
                            : FlinkCluster.latestCheckpoint(checkpoints.resolve(old));
            String id =
                    rest.run(
                            jarId,
                            j.entryClass(),
                            j.args(),
                            restore.map(p -> p.toUri().toString()).orElse(null),
                            PARALLELISM);
            jobIds.put(j.name(), id);
            LOG.info(
                    "submitted {} as {}{}",
                    j.name(),
                    id,
                    restore.map(p -> ", restored from " + p).orElse(""));
        }
        Properties now = new Properties();
        now.putAll(jobIds);
        try (OutputStream out = Files.newOutputStream(registry)) {
            now.store(
                    out,
                    "the jobs ./chakrai cluster submitted last (their checkpoints are under checkpoints/<id>)");
        }
        awaitJobsRunning(Duration.ofMinutes(3));
    }

    /** Waits until every job and every one of its tasks is RUNNING. */
    public void awaitJobsRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!everyJobRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "the jobs did not all run within "
                                + timeout.toSeconds()
                                + " s: see "
                                + flink.restUrl());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Whether every job and every one of its tasks is RUNNING now (false while the JobManager does
     * not answer).
     */
    public boolean everyJobRunning() {
        FlinkRest rest = flink.rest();
        try {
            for (String id : jobIds.values()) {
                if (!allTasksRunning(rest.job(id))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every service process, for a supervisor to watch. */
    public List<ChildJvm> services() {
        List<ChildJvm> all = new ArrayList<>();
        for (int i = 1; i <= KafkaBrokers.NODES; i++) {
            all.add(kafka.node(i));
        }
        all.add(flink.jobManager());
        for (int i = 1; i <= flink.taskManagers(); i++) {
            all.add(flink.taskManager(i));
        }
        all.add(cdc);
        all.addAll(apis);
        return all;
    }

    /** Starts again every service that died on its own. */
    public void restartDead() throws IOException {
        for (ChildJvm c : services()) {
            c.restartIfDead();
        }
    }

    static boolean allTasksRunning(JsonNode job) {
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private void awaitApi(int i, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!apis.get(i).isAlive()) {
                throw new IOException(
                        apis.get(i).name() + " exited while starting; see " + apis.get(i).log());
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(apiUrl(i) + "/health/api"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(
                apis.get(i).name()
                        + " did not answer /health/api within "
                        + timeout.toSeconds()
                        + " s; see "
                        + apis.get(i).log());
    }

    private void awaitCdcSlot(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!cdc.isAlive()) {
                throw new IOException("the CDC service exited while starting; see " + cdc.log());
            }
            CdcService.Slot slot = CdcService.slot(pg.jdbcUrl(), pg.user(), pg.password());
            if (slot != null && slot.active()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IOException(
                "the CDC replication slot was not active within "
                        + timeout.toSeconds()
                        + " s; see "
                        + cdc.log());
    }

    /**
     * One log4j2 configuration for every service: INFO to its own log, the chattiest libraries
     * quieter.
     */
    static Path writeLogConfig(Path data) throws IOException {
        Path f = data.resolve("log4j2-services.properties");
        Files.writeString(
                f,
                String.join(
                        "\n",
                        "# written by ./chakrai cluster: each service's output goes to its own log under the data directory",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.console.ref = console",
                        "appender.console.type = Console",
                        "appender.console.name = console",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                        "logger.kafkaclients.name = org.apache.kafka.clients",
                        "logger.kafkaclients.level = WARN",
                        "logger.kafkacommon.name = org.apache.kafka.common",
                        "logger.kafkacommon.level = WARN",
                        "logger.pekko.name = org.apache.pekko",
                        "logger.pekko.level = WARN",
                        "logger.flinkmetrics.name = org.apache.flink.runtime.metrics",
                        "logger.flinkmetrics.level = ERROR",
                        ""));
        return f;
    }

    public String apiUrl(int i) {
        return "http://" + (host.equals("0.0.0.0") ? "localhost" : host) + ":" + apiPorts[i];
    }

    public int apiInstances() {
        return apis.size();
    }

    public EmbeddedPostgres postgres() {
        return pg;
    }

    public KafkaBrokers kafka() {
        return kafka;
    }

    public FlinkStandalone flink() {
        return flink;
    }

    public String summary() {
        StringBuilder b =
                new StringBuilder(
                        "\n  Chakrai cluster is running (every service its own process; logs under "
                                + settings.dataDir().toAbsolutePath()
                                + ").\n");
        for (int i = 0; i < apis.size(); i++) {
            b.append("    API ")
                    .append(i + 1)
                    .append("          ")
                    .append(apiUrl(i))
                    .append("   (health: /health)\n");
        }
        b.append("    Flink Web UI   ")
                .append(flink.restUrl())
                .append("   (1 JobManager, ")
                .append(flink.taskManagers())
                .append(" TaskManagers; jobs ")
                .append(String.join(", ", jobIds.keySet()))
                .append(")\n");
        b.append("    Kafka          ")
                .append(kafka.bootstrapServers())
                .append("   (3 brokers, replication 3, min.insync.replicas 2)\n");
        b.append("    CDC            Debezium on slot ")
                .append(CdcService.SLOT)
                .append(" → Kafka cdc.public.*\n");
        b.append("    PostgreSQL     ")
                .append(pg.jdbcUrl())
                .append("   (user ")
                .append(pg.user())
                .append(")\n");
        b.append("  Press Ctrl-C to stop.\n");
        return b.toString();
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
