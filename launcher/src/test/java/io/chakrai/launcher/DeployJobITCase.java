package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.lab.bench.ScriptedDay;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.lab.ml.LeaveOneSubjectOut;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.simulation.Activity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * A model trained, registered and promoted, deployed as a Flink job through the REST API onto the
 * running MiniCluster (as `chakrai deploy-job` does), and its scores read back through the API.
 */
class DeployJobITCase {
    @TempDir static Path data;
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(data);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** Stress raises heart rate and its spread and lowers RMSSD, with people's own offsets. */
    static FeatureTable trainingTable() {
        Random r = new Random(3);
        int n = 900;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            double off = (i % 9) * 1.5;
            x[i] =
                    new double[] {
                        65 + off + 20 * y[i] + r.nextGaussian() * 4,
                        2 + 2 * y[i] + r.nextDouble(),
                        50 - 20 * y[i] + r.nextGaussian() * 6
                    };
            s[i] = "P" + (i % 9);
        }
        return new FeatureTable(List.of("hr_mean", "hr_std", "rmssd"), x, y, s, "synthetic");
    }

    static long count(String sql) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void
            aPromotedModelDeployedThroughTheRestApiScoresEveryMinuteAndTheScoresAreReadableThroughTheApi()
                    throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        ModelRegistry registry = new ModelRegistry(ds);
        int version =
                registry.register(
                        "stress_minute",
                        LeaveOneSubjectOut.finalModel(
                                trainingTable(), ModelKind.LOGISTIC_REGRESSION, 1, 3),
                        "{}",
                        "synthetic",
                        "test");
        registry.promote("stress_minute", version);

        ApiClient api = new ApiClient(stack.apiUrl());
        String token = api.login("erin@deploy.test", "erin's long password");
        int device =
                api.device(
                        token,
                        "garmin",
                        "G-E",
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        Instant start = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.json(device, 5, start, 20, Activity.STRESS, 10, 5))
                        .status());

        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        assertTrue(
                Files.exists(jar),
                "the job jar is built before the launcher's tests: " + jar.toAbsolutePath());
        DeployJobCommand deploy = new DeployJobCommand();
        new CommandLine(deploy)
                .parseArgs(
                        "--flink",
                        stack.flink().webUrl(),
                        "--jar",
                        jar.toString(),
                        "--model-name",
                        "stress_minute",
                        "--model-version",
                        Integer.toString(version),
                        "--bounded",
                        "--kafka-bootstrap",
                        stack.kafka().bootstrapServers(),
                        "--db-url",
                        stack.postgres().jdbcUrl());
        String job = deploy.deploy();
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("FINISHED", "FAILED", "CANCELED").contains(rest.state(job)));
        assertEquals("FINISHED", rest.state(job), "the backfill ran to the end of the topic");

        // one score per minute with readings (35 minutes), marked with the version
        assertEquals(
                35,
                count(
                        "SELECT count(*) FROM model_scores WHERE model_name = 'stress_minute' AND model_version = "
                                + version
                                + " AND user_id = (SELECT id FROM users WHERE email = 'erin@deploy.test')"));
        JsonNode scores =
                api.call(
                                "GET",
                                "/api/v2/prediction/model-scores?model=stress_minute&limit=100",
                                token,
                                null)
                        .body();
        assertEquals(35, scores.get("scores").size());
        double calm =
                scores.get("scores").findValuesAsText("probability").stream()
                        .mapToDouble(Double::parseDouble)
                        .min()
                        .orElseThrow();
        double stressed =
                scores.get("scores").findValuesAsText("probability").stream()
                        .mapToDouble(Double::parseDouble)
                        .max()
                        .orElseThrow();
        assertTrue(calm < 0.3 && stressed > 0.7, "calm " + calm + ", stressed " + stressed);
        String other = api.login("frank@deploy.test", "frank's long password");
        assertEquals(
                0,
                api.call("GET", "/api/v2/prediction/model-scores?model=stress_minute", other, null)
                        .body()
                        .get("scores")
                        .size());
    }

    /**
     * Heart rate every 10 s and one RMSSD per minute, with values that differ per person and
     * minute.
     */
    static String minutes(int device, Instant from, int first, int count, int person) {
        StringBuilder b = new StringBuilder("[");
        for (int m = first; m < first + count; m++) {
            for (int s = 0; s < 60; s += 10) {
                b.append(b.length() > 1 ? "," : "")
                        .append("{\"device_id\":")
                        .append(device)
                        .append(",\"data_type\":\"heart_rate\",\"value\":")
                        .append(hr(person, m, s))
                        .append(",\"timestamp\":\"")
                        .append(from.plusSeconds(m * 60L + s))
                        .append("\"}");
            }
            b.append(",{\"device_id\":")
                    .append(device)
                    .append(",\"data_type\":\"hrv\",\"value\":")
                    .append(rmssd(person, m))
                    .append(",\"timestamp\":\"")
                    .append(from.plusSeconds(m * 60L + 30))
                    .append("\"}");
        }
        return b.append("]").toString();
    }

    static double hr(int person, int minute, int second) {
        return 60 + 3 * person + (minute % 7) * 4 + second / 10.0;
    }

    static double rmssd(int person, int minute) {
        return 55 - 2 * person - (minute % 7) * 5;
    }

    /** The features the scoring job computes for one person's minute, from what was posted. */
    static double[] features(int person, int minute) {
        double[] v = new double[6];
        for (int s = 0; s < 60; s += 10) {
            v[s / 10] = hr(person, minute, s);
        }
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double sd =
                Math.sqrt(
                        java.util.Arrays.stream(v)
                                .map(x -> (x - mean) * (x - mean))
                                .average()
                                .orElseThrow());
        return new double[] {mean, sd, rmssd(person, minute)};
    }

    @Test
    void replacingARunningModelJobSwitchesVersionsWithoutLosingOrDoublingAMinute()
            throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        ModelRegistry registry = new ModelRegistry(ds);
        io.chakrai.models.ml.TrainedModel m1 =
                LeaveOneSubjectOut.finalModel(trainingTable(), ModelKind.LOGISTIC_REGRESSION, 1, 3);
        io.chakrai.models.ml.TrainedModel m2 =
                LeaveOneSubjectOut.finalModel(trainingTable(), ModelKind.RANDOM_FOREST, 2, 3);
        int v1 = registry.register("stress_switch", m1, "{}", "synthetic", "test");
        int v2 = registry.register("stress_switch", m2, "{}", "synthetic", "test");

        // people whose readings land on every partition of the topic, so event time moves on all of
        // them
        ApiClient api = new ApiClient(stack.apiUrl());
        int partitions = 4;
        java.util.Map<Integer, int[]> byPartition =
                new java.util.TreeMap<>(); // partition -> {user, device}
        for (int i = 0; byPartition.size() < partitions && i < 40; i++) {
            String creds =
                    "{\"email\":\"switch"
                            + i
                            + "@deploy.test\",\"password\":\"a long enough password "
                            + i
                            + "\"}";
            api.call("POST", "/api/v2/auth/register", null, creds);
            JsonNode login = api.call("POST", "/api/v2/auth/token", null, creds).body();
            String token = login.get("access_token").asText();
            int user = login.get("user_id").asInt();
            int partition =
                    org.apache.kafka.common.utils.Utils.toPositive(
                                    org.apache.kafka.common.utils.Utils.murmur2(
                                            Integer.toString(user)
                                                    .getBytes(
                                                            java.nio.charset.StandardCharsets
                                                                    .UTF_8)))
                            % partitions;
            if (!byPartition.containsKey(partition)) {
                byPartition.put(
                        partition,
                        new int[] {
                            user,
                            api.device(token, "garmin", "G-S" + i, "[\"heart_rate\",\"hrv\"]"),
                            i
                        });
                tokens.put(user, token);
            }
        }
        assertEquals(partitions, byPartition.size(), "one person per partition");
        // the newest readings of this class's tests (others end earlier or are on one partition
        // only), so no other
        // test's data moves event time on every partition past minute 9 before the switch
        Instant from = Instant.now().minus(25, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);

        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        String old = deployCommand(jar, "stress_switch", v1, null).deploy();
        await().atMost(Duration.ofSeconds(60)).until(() -> rest.state(old).equals("RUNNING"));
        for (int[] p : byPartition.values()) {
            assertEquals(
                    202,
                    api.call(
                                    "POST",
                                    "/api/v2/biometric/readings",
                                    tokens.get(p[0]),
                                    minutes(p[1], from, 0, 10, p[2]))
                            .status());
        }
        // event time reaches minute 10 minus 30 s: minutes 0-8 close under v1, minute 9 stays open
        // in the job's state
        String ours =
                " AND user_id IN ("
                        + byPartition.values().stream()
                                .map(p -> Integer.toString(p[0]))
                                .collect(java.util.stream.Collectors.joining(","))
                        + ")";
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                count(
                                                "SELECT count(*) FROM model_scores WHERE model_name = "
                                                        + "'stress_switch' AND model_version = "
                                                        + v1
                                                        + ours)
                                        == 9L * partitions);

        String replacement = deployCommand(jar, "stress_switch", v2, old).deploy();
        assertEquals("FINISHED", rest.state(old), "the old version stopped with a savepoint");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rest.state(replacement).equals("RUNNING"));
        for (int[] p : byPartition.values()) {
            assertEquals(
                    202,
                    api.call(
                                    "POST",
                                    "/api/v2/biometric/readings",
                                    tokens.get(p[0]),
                                    minutes(p[1], from, 10, 10, p[2]))
                            .status());
        }
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                count(
                                                "SELECT count(*) FROM model_scores WHERE model_name = "
                                                        + "'stress_switch' AND model_version = "
                                                        + v2
                                                        + ours)
                                        == 10L * partitions);
        // a job submitted as a jar checkpoints into the cluster's directory and keeps its last
        // checkpoint when cancelled, to resume from (flink run -s), as the stack's own jobs do
        Path jobCheckpoints =
                data.toAbsolutePath()
                        .resolve("checkpoints")
                        .resolve("submitted")
                        .resolve(replacement);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FlinkCluster.latestCheckpoint(jobCheckpoints).isPresent());
        rest.cancel(replacement);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rest.state(replacement).equals("CANCELED"));
        assertTrue(
                FlinkCluster.latestCheckpoint(jobCheckpoints).isPresent(),
                "the cancelled job's last checkpoint is kept");

        for (int[] p : byPartition.values()) {
            java.util.Map<Integer, int[]> seen = new java.util.TreeMap<>();
            try (Connection c =
                            DriverManager.getConnection(
                                    stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT extract(epoch FROM window_start)::bigint, "
                                            + "model_version, probability FROM model_scores WHERE model_name = 'stress_switch' AND user_id = "
                                            + p[0])) {
                while (rs.next()) {
                    int minute = (int) ((rs.getLong(1) - from.getEpochSecond()) / 60);
                    int version = rs.getInt(2);
                    io.chakrai.models.ml.TrainedModel m = version == v1 ? m1 : m2;
                    double want = m.probabilities(new double[][] {features(p[2], minute)})[0];
                    assertEquals(
                            want,
                            rs.getDouble(3),
                            1e-4,
                            "minute " + minute + " v" + version + ": every reading of it counted");
                    assertTrue(
                            seen.put(minute, new int[] {version}) == null,
                            "minute " + minute + " scored twice");
                }
            }
            assertEquals(19, seen.size(), "minutes 0-18 all scored: " + seen.keySet());
            for (int minute = 0; minute < 19; minute++) {
                assertEquals(minute < 9 ? v1 : v2, seen.get(minute)[0], "minute " + minute);
            }
        }
    }

    @Test
    void theStressJobIsReplacedByOneWithAModelDetectorAndItsOpenEpisodeCarriesOn()
            throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        int version =
                new ModelRegistry(ds)
                        .register(
                                "stress_minute_swap",
                                LeaveOneSubjectOut.finalModel(
                                        trainingTable(), ModelKind.LOGISTIC_REGRESSION, 1, 3),
                                "{}",
                                "synthetic",
                                "test");
        ApiClient api = new ApiClient(stack.apiUrl());
        String token = api.login("ines@deploy.test", "ines's long password");
        int device =
                api.device(
                        token,
                        "garmin",
                        "G-I",
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        String ines = " AND user_id = (SELECT id FROM users WHERE email = 'ines@deploy.test')";
        Instant start =
                Instant.now().minus(100, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        // an hour at rest (the personal baseline), then stress under the rule: an episode opens
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.json(device, 1000, start, 60, Activity.STRESS, 8, 0))
                        .status());
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    count(
                                                    "SELECT count(*) FROM health_predictions WHERE prediction_type = 'stress_episode'"
                                                            + ines)
                                            == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            FlinkRest r = new FlinkRest(stack.flink().webUrl());
            throw new AssertionError(
                    "analytics job "
                            + r.state(stack.analyticsJob().toString())
                            + "; readings stored "
                            + count("SELECT count(*) FROM biometric_readings WHERE true" + ines)
                            + "; predictions "
                            + count("SELECT count(*) FROM health_predictions WHERE true" + ines)
                            + ": "
                            + text(
                                    "SELECT string_agg("
                                            + "prediction_type || ' ' || prediction_time || ' ' || trigger_factors::text, '; ') FROM health_predictions "
                                            + "WHERE true"
                                            + ines),
                    e);
        }

        // the rule's job stops with a savepoint; the same job with a model as its detector starts
        // from it
        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        DeployJobCommand deploy = new DeployJobCommand();
        new CommandLine(deploy)
                .parseArgs(
                        "--flink",
                        stack.flink().webUrl(),
                        "--jar",
                        jar.toString(),
                        "--job",
                        "stress",
                        "--model-name",
                        "stress_minute_swap",
                        "--model-version",
                        Integer.toString(version),
                        "--kafka-bootstrap",
                        stack.kafka().bootstrapServers(),
                        "--db-url",
                        stack.postgres().jdbcUrl(),
                        "--savepoint-dir",
                        data.resolve("savepoints").toUri().toString(),
                        "--replace",
                        stack.analyticsJob().toString(),
                        "--job-arg=--idleness-s=10");
        String replacement = deploy.deploy();
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        assertEquals("FINISHED", rest.state(stack.analyticsJob().toString()));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rest.state(replacement).equals("RUNNING"));
        assertTrue(
                rest.config(replacement).contains("model stress_minute_swap v" + version),
                "the Flink UI names the detector");

        // the stress goes on (the model says so too): still one episode, not a second onset from a
        // blank state; then
        // calm long enough for its target time to pass, and the restored pending prediction gets
        // its outcome
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.steady(device, start, 68, 74, 104, 18))
                        .status());
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.steady(device, start, 74, 98, 63, 52))
                        .status());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                count(
                                                "SELECT count(*) FROM health_predictions WHERE prediction_type = 'stress_episode' AND actual_outcome IS NOT NULL"
                                                        + ines)
                                        == 1);
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM health_predictions WHERE prediction_type = 'stress_episode'"
                                + ines),
                "the open episode carried on across the switch");
    }

    static final java.util.Map<Integer, String> tokens = new java.util.HashMap<>();

    static String text(String sql) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static DeployJobCommand deployCommand(Path jar, String model, int version, String replace)
            throws Exception {
        DeployJobCommand deploy = new DeployJobCommand();
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--flink",
                                stack.flink().webUrl(),
                                "--jar",
                                jar.toString(),
                                "--model-name",
                                model,
                                "--model-version",
                                Integer.toString(version),
                                "--kafka-bootstrap",
                                stack.kafka().bootstrapServers(),
                                "--db-url",
                                stack.postgres().jdbcUrl(),
                                "--savepoint-dir",
                                data.resolve("savepoints").toUri().toString()));
        if (replace != null) {
            args.addAll(List.of("--replace", replace));
        }
        new CommandLine(deploy).parseArgs(args.toArray(String[]::new));
        return deploy;
    }

    @Test
    void theRiskReassessmentBackfillsEveryDayAndItsAssessmentsAreReadableThroughTheApi()
            throws Exception {
        ApiClient api = new ApiClient(stack.apiUrl());
        String token = api.login("gita@deploy.test", "gita's long password");
        int device =
                api.device(
                        token, "oura", "O-G", "[\"heart_rate\",\"hrv\",\"steps\",\"sleep_stage\"]");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        List<java.time.LocalDate> days =
                List.of(today.minusDays(4), today.minusDays(3), today.minusDays(2));
        for (java.time.LocalDate d : days) {
            StringBuilder b = new StringBuilder("[");
            Instant midnight = d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            for (int m = 0; m < 24 * 60; m += 30) {
                b.append(b.length() > 1 ? "," : "")
                        .append("{\"device_id\":")
                        .append(device)
                        .append(",\"data_type\":\"heart_rate\",\"value\":")
                        .append(58 + m % 17)
                        .append(",\"timestamp\":\"")
                        .append(midnight.plusSeconds(m * 60L))
                        .append("\"}")
                        .append(",{\"device_id\":")
                        .append(device)
                        .append(",\"data_type\":\"steps\",\"value\":250")
                        .append(",\"timestamp\":\"")
                        .append(midnight.plusSeconds(m * 60L + 5))
                        .append("\"}");
            }
            for (int m = 0; m < 6 * 60; m++) {
                b.append(",{\"device_id\":")
                        .append(device)
                        .append(",\"data_type\":\"sleep_stage\",\"value\":2")
                        .append(",\"timestamp\":\"")
                        .append(midnight.plusSeconds(m * 60L + 10))
                        .append("\"}");
            }
            assertEquals(
                    202,
                    api.call("POST", "/api/v2/biometric/readings", token, b.append("]").toString())
                            .status());
        }

        ReassessCommand reassess = new ReassessCommand();
        new CommandLine(reassess)
                .parseArgs(
                        "--flink",
                        stack.flink().webUrl(),
                        "--jar",
                        Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar")
                                .toString(),
                        "--kafka-bootstrap",
                        stack.kafka().bootstrapServers(),
                        "--db-url",
                        stack.postgres().jdbcUrl());
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        String job = reassess.submit(rest);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("FINISHED", "FAILED", "CANCELED").contains(rest.state(job)));
        assertEquals("FINISHED", rest.state(job));

        JsonNode list =
                api.call("GET", "/api/v2/prediction/assessments", token, null)
                        .body()
                        .get("assessments");
        List<String> assessed = new java.util.ArrayList<>();
        for (JsonNode a : list) {
            assertEquals("daily", a.get("trigger").asText());
            assertEquals(
                    io.chakrai.models.assessment.RiskAssessment.MODEL_VERSION,
                    a.get("model_version").asText());
            assertEquals("biometric_only", a.get("assessment_type").asText());
            assertTrue(
                    a.at("/contributions/short_sleep").asDouble() > 0,
                    "6 h of sleep is short: " + a);
            assessed.add(a.get("assessed_day").asText());
        }
        assertEquals(
                List.of(days.get(2).toString(), days.get(1).toString(), days.get(0).toString()),
                assessed,
                "newest first, one per day");
        JsonNode current = api.call("GET", "/api/v2/prediction/current-risk", token, null).body();
        assertEquals(days.get(2).toString(), current.at("/assessment/assessed_day").asText());
        String other = api.login("frank@deploy.test", "frank's long password");
        assertEquals(
                0,
                api.call("GET", "/api/v2/prediction/assessments", other, null)
                        .body()
                        .get("assessments")
                        .size());
    }

    /**
     * People with their own resting levels, stress blocks in time order, as a wearable records
     * them.
     */
    static FeatureTable personalTable() {
        Random r = new Random(9);
        int people = 12;
        int per = 120;
        double[][] x = new double[people * per][];
        int[] y = new int[people * per];
        String[] s = new String[people * per];
        for (int p = 0; p < people; p++) {
            double rest = 55 + 4 * p; // 55 to 99 bpm at rest
            double rmssdRest = 70 - 3 * p;
            for (int t = 0; t < per; t++) {
                int i = p * per + t;
                y[i] = (t / 20) % 3 == 2 ? 1 : 0; // 20 calm minutes, 20 calm, 20 stressed, …
                x[i] =
                        new double[] {
                            t,
                            rest + 18 * y[i] + r.nextGaussian() * 3,
                            2 + 2 * y[i] + r.nextDouble(),
                            rmssdRest - 20 * y[i] + r.nextGaussian() * 5
                        };
                s[i] = "P" + p;
            }
        }
        return new FeatureTable(
                        List.of("minute", "hr_mean", "hr_std", "rmssd"),
                        x,
                        y,
                        s,
                        "synthetic-personal")
                .standardisedPerSubjectInTimeOrder("minute");
    }

    @Test
    void aPersonalBaselineModelScoresEachPersonAgainstTheirOwnRestingLevels() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        ModelRegistry registry = new ModelRegistry(ds);
        io.chakrai.models.ml.TrainedModel personal =
                LeaveOneSubjectOut.finalModel(personalTable(), ModelKind.LOGISTIC_REGRESSION, 1, 3);
        personal.markPerPersonRunning();
        int version =
                registry.register("stress_personal", personal, "{}", "synthetic-personal", "test");

        // someone whose heart rests at 95 bpm: 90 calm minutes, then 10 stressed (125 bpm, RMSSD
        // down)
        ApiClient api = new ApiClient(stack.apiUrl());
        String token = api.login("hana@deploy.test", "hana's long password");
        int device =
                api.device(
                        token,
                        "garmin",
                        "G-H",
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        Instant from = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        StringBuilder b = new StringBuilder("[");
        for (int m = 0; m < 100; m++) {
            boolean stressed = m >= 90;
            for (int sec = 0; sec < 60; sec += 10) {
                b.append(b.length() > 1 ? "," : "")
                        .append("{\"device_id\":")
                        .append(device)
                        .append(",\"data_type\":\"heart_rate\",\"value\":")
                        .append((stressed ? 125 : 95) + (m * 7 + sec) % 5)
                        .append(",\"timestamp\":\"")
                        .append(from.plusSeconds(m * 60L + sec))
                        .append("\"}");
            }
            b.append(",{\"device_id\":")
                    .append(device)
                    .append(",\"data_type\":\"hrv\",\"value\":")
                    .append((stressed ? 25 : 45) + m % 4)
                    .append(",\"timestamp\":\"")
                    .append(from.plusSeconds(m * 60L + 30))
                    .append("\"}");
        }
        assertEquals(
                202,
                api.call("POST", "/api/v2/biometric/readings", token, b.append("]").toString())
                        .status());

        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        DeployJobCommand deploy = deployCommand(jar, "stress_personal", version, null);
        new CommandLine(deploy)
                .parseArgs(
                        "--flink",
                        stack.flink().webUrl(),
                        "--jar",
                        jar.toString(),
                        "--model-name",
                        "stress_personal",
                        "--model-version",
                        Integer.toString(version),
                        "--bounded",
                        "--kafka-bootstrap",
                        stack.kafka().bootstrapServers(),
                        "--db-url",
                        stack.postgres().jdbcUrl());
        String job = deploy.deploy();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("FINISHED", "FAILED", "CANCELED").contains(rest.state(job)));
        assertEquals("FINISHED", rest.state(job));

        double[] p = new double[100];
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT extract(epoch FROM window_start)::bigint, "
                                        + "probability FROM model_scores WHERE model_name = 'stress_personal' AND user_id = "
                                        + "(SELECT id FROM users WHERE email = 'hana@deploy.test')")) {
            while (rs.next()) {
                p[(int) ((rs.getLong(1) - from.getEpochSecond()) / 60)] = rs.getDouble(2);
            }
        }
        // (the first 10 minutes are the warm-up, scored as the person's mean)
        double calm = java.util.Arrays.stream(p, 10, 90).max().orElseThrow();
        double stressed = java.util.Arrays.stream(p, 90, 100).min().orElseThrow();
        assertTrue(
                calm < 0.3,
                "a resting 95 bpm is this person's normal, not stress: "
                        + java.util.Arrays.toString(p));
        assertTrue(
                stressed > 0.7, "30 bpm above their own rest is: " + java.util.Arrays.toString(p));
    }
}
