package io.chakrai.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.jobs.analytics.AnalyticsJob;
import io.chakrai.jobs.config.AnalyticsOptions;
import io.chakrai.jobs.config.StressOptions;
import io.chakrai.jobs.stress.StressGraph;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.Json;
import io.chakrai.models.Topics;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.PredictionCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures mid-stream on the cluster: readings posted through every API instance by simulated
 * wearers (calm, then stress bouts), while TaskManagers and a Kafka broker are killed with SIGKILL
 * and brought back. Then: exactly the posted number of rows in {@code biometric_readings}; the
 * stress job's predictions the same as an undisturbed run of the same graph over the same topic; a
 * prediction for someone posting through one instance on their socket at another.
 *
 * <p>Wearers advance together, a minute of their time per round (every request of a round answered
 * before the next), so a partition never holds one person's readings a minute behind another's: the
 * job's results then depend on the readings alone, not on when a failure struck.
 */
public final class FailoverRun {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRun.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    static final String TYPES =
            "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]";

    /**
     * The last minutes of the stream, which the running job has not closed yet (no later reading),
     * are not compared.
     */
    static final Duration OPEN_END = Duration.ofMinutes(5);

    /**
     * What to do: readings in all, wearers, kills of each kind, concurrent HTTP clients, how long a
     * killed broker stays down, and the pace (readings a second; 0: as fast as the cluster takes
     * them) — paced, the stream outlasts the failures, each of which is waited out before the next.
     */
    public record Plan(
            long readings,
            int people,
            int taskManagerKills,
            int brokerKills,
            int clients,
            Duration brokerDown,
            int ratePerSecond) {}

    /**
     * One failure, in seconds after the kill: when it was noticed (a job left RUNNING, or the
     * controller dropped the broker; -1: not seen), when the process was back in the cluster (the
     * new TaskManager registered with the JobManager, or the broker listed again), and when
     * everything ran again (every job's tasks RUNNING, on whichever TaskManager had the slots, or
     * every replica in sync).
     */
    public record Recovery(
            String what, long atReading, double noticedS, double backS, double recoveredS) {}

    public record Result(
            long posted,
            long stored,
            long retried,
            double streamS,
            double storedS,
            int livePredictions,
            int referencePredictions,
            List<String> differences,
            List<Recovery> recoveries,
            List<String> crossInstance) {
        public boolean exact() {
            return posted == stored;
        }

        public boolean identical() {
            return differences.isEmpty();
        }

        /** Whether every kill struck while readings were still being posted. */
        public boolean killsInsideStream() {
            return recoveries.stream().allMatch(x -> x.atReading() >= 0 && x.atReading() < posted);
        }
    }

    private record Wearer(
            int index,
            int api,
            String email,
            String password,
            int device,
            int userId,
            SimulatedPerson body,
            String[] token) {}

    private final LocalCluster cluster;
    private final Plan plan;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final List<Recovery> recoveries = Collections.synchronizedList(new ArrayList<>());

    public FailoverRun(LocalCluster cluster, Plan plan) {
        this.cluster = cluster;
        this.plan = plan;
    }

    public Result run() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int minutes = (int) Math.ceil((double) plan.readings() / (plan.people() * 65.0));
        Instant start =
                Instant.now()
                        .minus(minutes + 10L, ChronoUnit.MINUTES)
                        .truncatedTo(ChronoUnit.MINUTES);
        List<Wearer> wearers = signUp(run, start);
        // someone posting through instance 1 watched on instance 2, and the other way round
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < Math.min(2, cluster.apiInstances()); i++) {
            Wearer w = wearers.get(i);
            int other = (w.api() + 1) % cluster.apiInstances();
            sockets.add(
                    Socket.open(cluster.apiUrl(other), w.token()[0], w.userId(), w.api(), other));
        }
        Thread chaos = new Thread(this::chaos, "failover-chaos");
        chaos.setDaemon(true);
        long t0 = System.nanoTime();
        chaos.start();
        Instant end = stream(wearers, start);
        double streamS = (System.nanoTime() - t0) / 1e9;
        chaos.join(Duration.ofMinutes(10).toMillis());
        LOG.info(
                "streamed {} readings in {} s ({} retried requests); waiting for PostgreSQL",
                posted.get(),
                Math.round(streamS),
                retried.get());

        Set<Integer> devices = new HashSet<>();
        Set<Integer> users = new HashSet<>();
        wearers.forEach(
                w -> {
                    devices.add(w.device());
                    users.add(w.userId());
                });
        long stored = awaitStored(devices, posted.get(), Duration.ofMinutes(15));
        double storedS = (System.nanoTime() - t0) / 1e9;
        // the stress graph as the cluster runs it (in the analytics job): its consumer group, and
        // its settings for the
        // undisturbed run
        AnalyticsOptions analytics =
                AnalyticsOptions.parse(cluster.jobArgs(AnalyticsJob.NAME).toArray(String[]::new));
        StressOptions stress = analytics.stress();
        awaitConsumed(analytics.groupId(), Duration.ofMinutes(10));
        long cutoff = end.minus(OPEN_END).toEpochMilli();
        Map<String, String> live = livePredictions(users, cutoff);
        Map<String, String> reference = referencePredictions(stress, users, cutoff);
        List<String> differences = differences(live, reference);
        List<String> cross = new ArrayList<>();
        for (Socket s : sockets) {
            cross.add(s.describe(Duration.ofSeconds(60)));
            s.close();
        }
        return new Result(
                posted.get(),
                stored,
                retried.get(),
                streamS,
                storedS,
                live.size(),
                reference.size(),
                differences,
                List.copyOf(recoveries),
                cross);
    }

    /**
     * What wearer {@code index} does in minute {@code m} of the stream: calm for 45 minutes and
     * more (the personal baseline), then 12-minute stress bouts every 37 minutes, each wearer at
     * their own phase.
     */
    static Activity activity(int index, long m) {
        int phase = Math.floorMod(index * 7, 30);
        long calm = 45L + phase;
        return m >= calm && (m - calm) % 37 < 12 ? Activity.STRESS : Activity.REST;
    }

    private List<Wearer> signUp(String run, Instant start) throws Exception {
        List<Wearer> out = new ArrayList<>();
        for (int i = 0; i < plan.people(); i++) {
            int api = i % cluster.apiInstances();
            ApiClient client = new ApiClient(cluster.apiUrl(api));
            String email = "failover-" + run + "-" + i + "@chakrai.local";
            String password = "failover-password-" + run;
            String token = client.login(email, password);
            int device = client.device(token, "garmin", "FAILOVER-" + run + "-" + i, TYPES);
            int userId = ApiClient.userId(token);
            out.add(
                    new Wearer(
                            i,
                            api,
                            email,
                            password,
                            device,
                            userId,
                            new SimulatedPerson(1_000L + i, 0, start),
                            new String[] {token}));
        }
        LOG.info(
                "{} wearers signed up through {} API instances",
                out.size(),
                cluster.apiInstances());
        return out;
    }

    /**
     * Rounds of one minute of every wearer's time, a request each, until exactly {@code
     * plan.readings()} are accepted.
     */
    private Instant stream(List<Wearer> wearers, Instant start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(plan.clients());
        try {
            Instant minute = start;
            long remaining = plan.readings();
            long lastReport = System.nanoTime();
            long began = System.nanoTime();
            while (remaining > 0) {
                List<Future<Integer>> sent = new ArrayList<>();
                for (Wearer w : wearers) {
                    w.body()
                            .startActivity(
                                    activity(
                                            w.index(), Duration.between(start, minute).toMinutes()),
                                    minute,
                                    Duration.ofMinutes(2));
                    ArrayNode batch =
                            minuteOf(w, minute, (int) Math.min(remaining, Integer.MAX_VALUE));
                    if (batch.isEmpty()) {
                        continue;
                    }
                    remaining -= batch.size();
                    String body = batch.toString();
                    sent.add(pool.submit(() -> post(w, body, batch.size())));
                }
                for (Future<Integer> f : sent) {
                    posted.addAndGet(f.get());
                }
                minute = minute.plus(Duration.ofMinutes(1));
                if (plan.ratePerSecond() > 0) {
                    // the pace: a load generator's rate limit, not a wait for a condition
                    long due = began + (long) (posted.get() * 1e9 / plan.ratePerSecond());
                    if (due > System.nanoTime()) {
                        Thread.sleep((due - System.nanoTime()) / 1_000_000);
                    }
                }
                if (System.nanoTime() - lastReport > 5e9) {
                    LOG.info("posted {} of {} readings", posted.get(), plan.readings());
                    lastReport = System.nanoTime();
                }
            }
            return minute;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A wearer's readings of one minute (a heart rate a second, the rest once a minute), at most
     * {@code max}.
     */
    private static ArrayNode minuteOf(Wearer w, Instant minute, int max) {
        ArrayNode batch = JSON.createArrayNode();
        for (int s = 0; s < 60 && batch.size() < max; s++) {
            for (SimulatedPerson.Sample x : w.body().step(minute.plusSeconds(s))) {
                if (batch.size() >= max) {
                    break;
                }
                x.addTo(batch, w.device());
            }
        }
        return batch;
    }

    /**
     * POSTs a batch until it is accepted (a 5xx or a dropped connection is retried, as an app
     * would).
     */
    private int post(Wearer w, String body, int n) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        cluster.apiUrl(w.api())
                                                                + "/api/v2/biometric/readings"))
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Authorization", "Bearer " + w.token()[0])
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    return n;
                }
                if (r.statusCode() == 401) {
                    w.token()[0] =
                            new ApiClient(cluster.apiUrl(w.api())).login(w.email(), w.password());
                } else if (r.statusCode() < 500 && r.statusCode() != 429) {
                    throw new IOException(
                            "readings refused: HTTP " + r.statusCode() + " " + r.body());
                }
                LOG.info("HTTP {} from API {}, retrying", r.statusCode(), w.api() + 1);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("readings refused")) {
                    throw e;
                }
                LOG.info("API {}: {}, retrying", w.api() + 1, e.toString());
            }
            if (attempt >= 60) {
                throw new IOException("a batch was not accepted after " + attempt + " attempts");
            }
            retried.incrementAndGet();
            Thread.sleep(Math.min(2_000, 100L * attempt));
        }
    }

    /** The kills, in order, each at its share of the stream, each waited out before the next. */
    private void chaos() {
        List<double[]> at = new ArrayList<>();
        // TaskManagers first (each back within seconds), then the brokers (a broker's replicas take
        // longer to catch up),
        // so that every kill falls inside the stream
        int kills = plan.taskManagerKills() + plan.brokerKills();
        for (int i = 1; i <= plan.taskManagerKills(); i++) {
            at.add(new double[] {(double) i / (kills + 1.5), 0, i});
        }
        for (int i = 1; i <= plan.brokerKills(); i++) {
            at.add(new double[] {(plan.taskManagerKills() + i) / (kills + 1.5), 1, i});
        }
        at.sort((a, b) -> Double.compare(a[0], b[0]));
        try {
            for (double[] k : at) {
                while (posted.get() < k[0] * plan.readings()) {
                    Thread.sleep(50);
                }
                if (posted.get() >= plan.readings()) {
                    LOG.warn(
                            "the stream ended before the next kill was due (the previous recovery took longer): it is "
                                    + "done after the stream; slow the stream with a lower rate to keep every kill inside it");
                }
                if (k[1] == 0) {
                    killTaskManager(1 + ((int) k[2] - 1) % cluster.flink().taskManagers());
                } else {
                    killBroker(1 + ((int) k[2]) % KafkaBrokers.NODES);
                }
            }
        } catch (Exception e) {
            LOG.error("failure injection stopped: {}", e.toString());
            recoveries.add(new Recovery("failure injection stopped: " + e, -1, -1, -1, -1));
        }
    }

    private void killTaskManager(int i) throws Exception {
        ChildJvm tm = cluster.flink().taskManager(i);
        String before = cluster.flink().registration(i);
        long at = posted.get();
        LOG.info("kill -9 TaskManager {} at {} readings", i, at);
        long t0 = System.nanoTime();
        tm.kill();
        tm.start();
        double noticed = -1;
        double back = -1;
        double recovered = -1;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (back < 0 || recovered < 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "TaskManager " + i + " or its jobs not back within 5 minutes");
            }
            boolean running = cluster.everyJobRunning();
            double t = (System.nanoTime() - t0) / 1e9;
            if (noticed < 0 && !running) {
                noticed = t;
            } else if (noticed < 0 && t > 30) {
                // no job ever left RUNNING (none had a task there): nothing to recover
                noticed = -1;
                recovered = t;
            } else if (noticed >= 0 && recovered < 0 && running) {
                recovered = t;
            }
            String now = back < 0 ? cluster.flink().registration(i) : null;
            if (now != null && !now.equals(before)) {
                // the new process has registered with the JobManager (its own RPC address)
                back = t;
            }
            Thread.sleep(50);
        }
        LOG.info(
                "TaskManager {}: failure noticed after {} s, registered again after {} s, every job running again after {} s",
                i,
                noticed,
                back,
                recovered);
        recoveries.add(new Recovery("taskmanager-" + i, at, noticed, back, recovered));
    }

    /**
     * Kills a broker and leaves it down for {@code plan.brokerDown()} (long enough for the
     * controller to notice and move its partitions' leadership: producers and consumers must fail
     * over), then brings it back.
     */
    private void killBroker(int i) throws Exception {
        ChildJvm node = cluster.kafka().node(i);
        long at = posted.get();
        LOG.info("kill -9 Kafka broker {} at {} readings", i, at);
        long t0 = System.nanoTime();
        node.kill();
        double noticed = -1;
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.kafka().admin().brokers() < KafkaBrokers.NODES) {
                noticed = (System.nanoTime() - t0) / 1e9;
                break;
            }
            Thread.sleep(50);
        }
        long downUntil = t0 + plan.brokerDown().toNanos();
        if (System.nanoTime() < downUntil) {
            // the outage itself: how long the broker stays dead is part of the plan, not a wait for
            // a condition
            Thread.sleep((downUntil - System.nanoTime()) / 1_000_000);
        }
        node.start();
        cluster.kafka().awaitBrokers(KafkaBrokers.NODES, Duration.ofMinutes(2));
        double back = (System.nanoTime() - t0) / 1e9;
        cluster.kafka()
                .awaitInSync(
                        List.of(Topics.READINGS, Topics.PREDICTIONS, "__consumer_offsets"),
                        Duration.ofMinutes(3));
        double inSync = (System.nanoTime() - t0) / 1e9;
        LOG.info(
                "Kafka broker {}: death noticed after {} s, restarted after {} s, back in the cluster after {} s, every replica "
                        + "in sync after {} s",
                i,
                noticed,
                plan.brokerDown().toSeconds(),
                back,
                inSync);
        recoveries.add(new Recovery("kafka-" + i, at, noticed, back, inSync));
    }

    private long awaitStored(Set<Integer> devices, long expected, Duration timeout)
            throws Exception {
        var pg = cluster.postgres();
        try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement count =
                        db.prepareStatement(
                                "SELECT count(*) FROM biometric_readings WHERE device_id = ANY (?)")) {
            count.setArray(1, db.createArrayOf("integer", devices.toArray()));
            long deadline = System.nanoTime() + timeout.toNanos();
            long n = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
                if (n >= expected) {
                    break;
                }
                Thread.sleep(250);
            }
            return n;
        }
    }

    /**
     * Until the job's consumer group has committed (a checkpoint completed) at the end of the
     * readings topic.
     */
    private void awaitConsumed(String group, Duration timeout) throws Exception {
        var admin = cluster.kafka().admin();
        long end = admin.endOffsets(Topics.READINGS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (admin.committedOffsets(group, Topics.READINGS) < end) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        group
                                + " did not reach the end of "
                                + Topics.READINGS
                                + " within "
                                + timeout.toMinutes()
                                + " minutes");
            }
            Thread.sleep(250);
        }
    }

    /**
     * What the running job put on topic {@code predictions} for these people before the cutoff, by
     * natural key.
     */
    private Map<String, String> livePredictions(Set<Integer> users, long cutoff) {
        Map<String, String> out = new TreeMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(Topics.PREDICTIONS).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    Prediction pr = PredictionCodec.fromRecord(r.value());
                    if (users.contains(pr.userId()) && pr.predictionTime() < cutoff) {
                        String was =
                                out.put(
                                        PredictionCodec.naturalKey(pr),
                                        PredictionCodec.toRecord(pr));
                        if (was != null && !was.equals(PredictionCodec.toRecord(pr))) {
                            // delivered twice (at least once) but different: the job's state was
                            // not deterministic
                            out.put(PredictionCodec.naturalKey(pr) + " (second, different)", was);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The same graph over the same topic, bounded, in this process, undisturbed. */
    private Map<String, String> referencePredictions(
            StressOptions cfg, Set<Integer> users, long cutoff) throws Exception {
        cfg.source.dbPassword = cluster.postgres().password();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(LocalCluster.PARALLELISM);
        Map<String, String> out = new TreeMap<>();
        long t0 = System.nanoTime();
        try (var it =
                StressGraph.replay(env, cfg, "chakrai-failover-reference-" + UUID.randomUUID())
                        .executeAndCollect()) {
            while (it.hasNext()) {
                Prediction pr = it.next();
                if (users.contains(pr.userId()) && pr.predictionTime() < cutoff) {
                    out.put(PredictionCodec.naturalKey(pr), PredictionCodec.toRecord(pr));
                }
            }
        }
        LOG.info("the undisturbed run took {} s", Math.round((System.nanoTime() - t0) / 1e9));
        return out;
    }

    static List<String> differences(Map<String, String> live, Map<String, String> reference) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(live.keySet());
        keys.addAll(reference.keySet());
        for (String k : keys) {
            String a = live.get(k);
            String b = reference.get(k);
            if (a == null || !a.equals(b)) {
                out.add(
                        k
                                + ": running "
                                + (a == null ? "none" : a)
                                + " / undisturbed "
                                + (b == null ? "none" : b));
            }
        }
        return out;
    }

    /** A WebSocket at one API instance, for someone whose readings go through another. */
    static final class Socket implements WebSocket.Listener {
        private final List<JsonNode> predictions = Collections.synchronizedList(new ArrayList<>());
        private final StringBuilder buf = new StringBuilder();
        private WebSocket ws;
        private int userId;
        private int postsTo;
        private int watchedAt;

        static Socket open(String api, String token, int userId, int postsTo, int watchedAt)
                throws Exception {
            Socket s = new Socket();
            s.userId = userId;
            s.postsTo = postsTo;
            s.watchedAt = watchedAt;
            s.ws =
                    HttpClient.newHttpClient()
                            .newWebSocketBuilder()
                            .buildAsync(
                                    URI.create(
                                            api.replace("http", "ws")
                                                    + "/api/v2/ws?token="
                                                    + token),
                                    s)
                            .get(10, TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence d, boolean last) {
            buf.append(d);
            if (last) {
                try {
                    JsonNode e = JSON.readTree(buf.toString());
                    if ("stress_prediction".equals(e.path("type").asText())) {
                        predictions.add(e);
                    }
                } catch (IOException e) {
                    LOG.warn("unreadable socket event: {}", e.toString());
                }
                buf.setLength(0);
            }
            w.request(1);
            return CompletableFuture.completedFuture(null);
        }

        /**
         * How many stress predictions reached this socket (waiting up to {@code wait} for the
         * first).
         */
        String describe(Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (predictions.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            return "user "
                    + userId
                    + " posting through API "
                    + (postsTo + 1)
                    + ": "
                    + predictions.size()
                    + " stress_prediction events on a socket at API "
                    + (watchedAt + 1);
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
