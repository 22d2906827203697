package io.chakrai.jobs.stress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.StressOptions;
import io.chakrai.models.readings.Arrival;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import io.chakrai.models.stress.EpisodeRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress graph as a job of its own on a Flink MiniCluster with real Kafka and PostgreSQL, on a
 * scripted day: calm → stress → recovery for one person, calm → exercise → calm for another.
 */
class StressGraphOnKafkaITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static JobStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_stress_test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /**
     * A scripted person: 60 min calm, then {@code episode} for 10 min, then 25 min calm; readings
     * every 10 s.
     */
    static List<BiometricReading> day(
            int user, int device, long seed, Activity episode, Instant start) {
        SimulatedPerson p = new SimulatedPerson(seed, 0, start);
        List<BiometricReading> out = new ArrayList<>();
        p.startActivity(Activity.REST, start, Duration.ofMinutes(60));
        for (int s = 0; s < 95 * 60; s += 10) {
            Instant t = start.plusSeconds(s);
            if (s == 60 * 60) {
                p.startActivity(episode, t, Duration.ofMinutes(10));
            } else if (s == 70 * 60) {
                p.startActivity(Activity.REST, t, Duration.ofMinutes(60));
            }
            for (SimulatedPerson.Sample x : p.step(t)) {
                out.add(
                        new BiometricReading(
                                user,
                                device,
                                x.type().wireName(),
                                x.value(),
                                x.type().unit(),
                                0.95,
                                0.9,
                                x.timestamp(),
                                null));
            }
        }
        return out;
    }

    /** When the plain rule (the same code the job runs) says the episode starts. */
    static List<Long> expectedOnsets(List<BiometricReading> readings) {
        // the prediction time is the end of the minute that completes the episode
        return EpisodeRun.onsetMinutes(readings, io.chakrai.models.stress.EpisodeThresholds.DEFAULT)
                .stream()
                .map(m -> m + 60_000L)
                .toList();
    }

    static StressOptions config(String topic, String predictions) {
        StressOptions c = new picocli.CommandLine(new StressOptions()).<StressOptions>getCommand();
        new picocli.CommandLine(c).parseArgs();
        c.source.kafkaBootstrap = stack.kafka.bootstrapServers();
        c.source.readingsTopic = topic;
        c.predictionsTopic = predictions;
        c.groupId = "stress-" + UUID.randomUUID();
        c.source.dbUrl = stack.pg.jdbcUrl();
        c.source.dbUser = stack.pg.user();
        c.source.dbPassword = "";
        c.source.checkpointIntervalMs = 500;
        c.source.idlenessSeconds = 2;
        return c;
    }

    static void produce(String topic, List<BiometricReading> readings) {
        stack.produce(
                topic,
                readings.stream().map(ReadingCodec::toRecord).toList(),
                readings.stream().map(r -> r.timestamp().toEpochMilli()).toList(),
                Integer.toString(readings.get(0).userId()));
    }

    /** As the API publishes readings that arrived as history (an import, a late sync). */
    static void produceHistory(String topic, List<BiometricReading> readings) {
        stack.produce(
                topic,
                readings.stream().map(ReadingCodec::toRecord).toList(),
                readings.stream().map(r -> r.timestamp().toEpochMilli()).toList(),
                Integer.toString(readings.get(0).userId()),
                List.of(new RecordHeader(Arrival.HISTORY_HEADER, new byte[] {1})));
    }

    static String topics(String prefix, int partitions) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        stack.kafka.createTopics(
                List.of(
                        new NewTopic(prefix + "-readings-" + suffix, partitions, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY),
                        new NewTopic(prefix + "-predictions-" + suffix, 2, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY)));
        return suffix;
    }

    /**
     * The stress graph as a job of its own: its own readings source, content usage and answers read
     * as {@code <group>-usage} and {@code <group>-answers}, PostgreSQL and Kafka out.
     */
    static void alone(StreamExecutionEnvironment env, StressOptions cfg) {
        cfg.source.checkpointing(env);
        StressGraph.attach(
                StressGraph.Inputs.ownSource(env, cfg, cfg.groupId, false),
                cfg,
                StressGraph.Sinks.of(cfg));
    }

    /**
     * The same stress period arriving as history (marked so by the API) is found and stored, with
     * its outcome, but offers no intervention.
     */
    @Test
    void aStressPeriodIsOnePredictionWithAnInterventionAndAnOutcomeWhileExerciseIsNone(
            @TempDir Path checkpoints) throws Exception {
        String s = topics("day", 2);
        int[] a =
                stack.userWithDevice(
                        "stressed@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        int[] b =
                stack.userWithDevice(
                        "runner@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        Instant start = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        List<BiometricReading> stressed = day(a[0], a[1], 1, Activity.STRESS, start);
        List<BiometricReading> runner = day(b[0], b[1], 2, Activity.EXERCISE, start);
        int[] h =
                stack.userWithDevice(
                        "historian@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        List<BiometricReading> history = day(h[0], h[1], 1, Activity.STRESS, start);
        // someone who streams calm today and then imports yesterday, with its stress
        int[] l =
                stack.userWithDevice(
                        "streams-then-imports@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        List<BiometricReading> calmToday = day(l[0], l[1], 3, Activity.REST, start);
        List<BiometricReading> yesterday =
                day(l[0], l[1], 1, Activity.STRESS, start.minus(1, ChronoUnit.DAYS)).stream()
                        .map(r -> r.asImported(1))
                        .toList();
        List<Long> imported = expectedOnsets(yesterday);
        assertEquals(1, imported.size());
        assertEquals(List.of(), expectedOnsets(calmToday));
        List<Long> expected = expectedOnsets(stressed);
        assertEquals(
                1, expected.size(), "the scripted stress period is one episode by the plain rule");
        assertEquals(List.of(), expectedOnsets(runner));
        produce("day-readings-" + s, stressed);
        produce("day-readings-" + s, runner);
        produceHistory("day-readings-" + s, history);
        produce("day-readings-" + s, calmToday);
        produceHistory("day-readings-" + s, yesterday);

        StressOptions cfg = config("day-readings-" + s, "day-predictions-" + s);
        JobClient job =
                JobStack.startJob(
                        "chakrai-stress-episodes", checkpoints, null, env -> alone(env, cfg));
        try {
            // each person's scored predictions, so a timeout names whose outcome is missing
            await("scored predictions of the stressed, the historian and the importer")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                List<Long> scored = new ArrayList<>();
                                for (int u : new int[] {a[0], h[0], l[0]}) {
                                    scored.add(
                                            stack.count(
                                                    "SELECT count(*) FROM health_predictions WHERE user_id = "
                                                            + u
                                                            + " AND actual_outcome IS NOT NULL"));
                                }
                                return scored;
                            },
                            org.hamcrest.Matchers.equalTo(List.of(1L, 1L, 1L)));
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM health_predictions WHERE user_id = "
                                    + a[0]
                                    + " AND prediction_type = 'stress_episode' AND timeframe = '15min' AND predicted_value >= 50"
                                    + " AND 'heart_rate_elevated' = ANY (trigger_factors) AND intervention_triggered"
                                    + " AND accuracy = 1 AND target_time = prediction_time + interval '15 minutes'"
                                    + " AND prediction_time = to_timestamp("
                                    + expected.get(0) / 1000
                                    + ")"));
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM interventions WHERE user_id = "
                                    + a[0]
                                    + " AND prediction_id IS NOT NULL AND status = 'pending'"));
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM health_predictions WHERE user_id = "
                                    + h[0]
                                    + " AND prediction_type = 'stress_episode' AND NOT intervention_triggered"
                                    + " AND accuracy = 1 AND prediction_time = to_timestamp("
                                    + expected.get(0) / 1000
                                    + ")"),
                    "history's episode is found and scored");
            assertEquals(
                    0,
                    stack.count("SELECT count(*) FROM interventions WHERE user_id = " + h[0]),
                    "nothing is offered for an episode in history");
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM health_predictions WHERE user_id = "
                                    + l[0]
                                    + " AND prediction_type = 'stress_episode' AND NOT intervention_triggered"
                                    + " AND accuracy = 1 AND prediction_time = to_timestamp("
                                    + imported.get(0) / 1000
                                    + ")"),
                    "an import behind live minutes is judged in a lane of its own, not left out as late");
            assertEquals(
                    1,
                    stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + l[0]),
                    "and the calm live day gives nothing");
            assertEquals(
                    0,
                    stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + b[0]),
                    "exercise is not stress");
            List<JsonNode> both = new ArrayList<>();
            for (String event : stack.consume("day-predictions-" + s, 3, Duration.ofSeconds(20))) {
                both.add(JSON.readTree(event));
            }
            assertEquals(3, both.size());
            JsonNode past =
                    both.stream()
                            .filter(x -> x.get("user_id").asInt() == h[0])
                            .findFirst()
                            .orElseThrow();
            assertTrue(
                    past.path("intervention").isMissingNode() || past.path("intervention").isNull(),
                    past::toString);
            JsonNode e =
                    both.stream()
                            .filter(x -> x.get("user_id").asInt() == a[0])
                            .findFirst()
                            .orElseThrow();
            assertEquals(a[0], e.get("user_id").asInt());
            assertTrue(e.get("level").asInt() >= 50);
            assertTrue(e.get("recommendations").get(0).asText().contains("4-7-8"));
            assertEquals("breathing_478", e.at("/intervention/type").asText());
        } finally {
            job.cancel().get();
        }
    }

    /**
     * A content session as the change stream carries it once the content-effectiveness job has
     * measured it.
     */
    static String measuredSession(
            long id,
            int user,
            String type,
            Instant completed,
            double effectiveness,
            double hrChange) {
        return "{\"before\":null,\"after\":{\"id\":"
                + id
                + ",\"user_id\":"
                + user
                + ",\"content_id\":"
                + (100 + id)
                + ",\"content_type\":\""
                + type
                + "\",\"started_at\":\""
                + completed.minusSeconds(600)
                + "\",\"completed_at\":\""
                + completed
                + "\",\"completion_rate\":1.0,\"effectiveness\":"
                + effectiveness
                + ",\"hr_change\":"
                + hrChange
                + "},\"op\":\"u\",\"source\":{\"lsn\":"
                + id
                + "}}";
    }

    @Test
    void whatMeasurablyCalmedThisPersonIsWhatTheirInterventionOffers(@TempDir Path checkpoints)
            throws Exception {
        String s = topics("helps", 2);
        String usageTopic = "helps-usage-" + s;
        stack.kafka.createTopics(
                List.of(
                        new NewTopic(usageTopic, 1, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY)));
        int[] a =
                stack.userWithDevice(
                        "helped@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        Instant start = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        List<BiometricReading> stressed = day(a[0], a[1], 4, Activity.STRESS, start);
        assertEquals(1, expectedOnsets(stressed).size());
        // the day before: heart rate fell after each of three meditations, rose after two stories;
        // the second
        // change event of a session (a rating given later) must not count it twice
        Instant before = start.minus(1, ChronoUnit.DAYS);
        List<String> sessions =
                List.of(
                        measuredSession(1, a[0], "meditation", before.plusSeconds(3600), 0.86, -7),
                        measuredSession(2, a[0], "story", before.plusSeconds(7200), 0.38, 4),
                        measuredSession(3, a[0], "meditation", before.plusSeconds(10800), 0.79, -5),
                        measuredSession(4, a[0], "story", before.plusSeconds(14400), 0.41, 3),
                        measuredSession(4, a[0], "story", before.plusSeconds(14400), 0.41, 3),
                        measuredSession(5, a[0], "meditation", before.plusSeconds(18000), 0.81, -6),
                        // not measured yet: ignored
                        measuredSession(6, a[0], "worksheet", before.plusSeconds(19000), 0.99, -9)
                                .replace("\"effectiveness\":0.99", "\"effectiveness\":null"));
        stack.produce(
                usageTopic,
                sessions,
                sessions.stream().map(x -> before.toEpochMilli()).toList(),
                Integer.toString(a[0]));

        StressOptions cfg = config("helps-readings-" + s, "helps-predictions-" + s);
        cfg.usageTopic = usageTopic;
        cfg.explore = 0; // exploration is WhatHelpsTest's; here the measured best must win
        JobClient job =
                JobStack.startJob(
                        "chakrai-stress-episodes", checkpoints, null, env -> alone(env, cfg));
        try {
            // the job holds the sessions in its state once a checkpoint has committed their offsets
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    stack.kafka.committedOffsets(cfg.groupId + "-usage", usageTopic)
                                            >= sessions.size());
            produce("helps-readings-" + s, stressed);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    stack.count(
                                                    "SELECT count(*) FROM interventions WHERE user_id = "
                                                            + a[0])
                                            == 1);
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM interventions WHERE user_id = "
                                    + a[0]
                                    + " AND intervention_type = 'content_meditation' AND content LIKE '%heart rate fell by 6 bpm%3 times%'"),
                    "the meditation, with its evidence");
            List<String> events =
                    stack.consume("helps-predictions-" + s, 1, Duration.ofSeconds(20));
            assertEquals(
                    "content_meditation",
                    JSON.readTree(events.get(0)).at("/intervention/type").asText());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aPromotedPersonalModelJudgesTheMinutesAndTheRulesGatesStillKeepExerciseOut(
            @TempDir Path checkpoints) throws Exception {
        // a per-minute model on each person's own z-scores (frozen after an hour of calibration):
        // stress is heart
        // rate well above their own and RMSSD well below
        java.util.Random r = new java.util.Random(8);
        int n = 600;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] who = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3 == 0 ? 1 : 0;
            x[i] =
                    y[i] == 1
                            ? new double[] {
                                3 + r.nextGaussian(), 1 + r.nextGaussian(), -2.5 + r.nextGaussian()
                            }
                            : new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            who[i] = "p" + i % 12;
        }
        io.chakrai.models.ml.TrainedModel model =
                io.chakrai.models.ml.TrainedModel.train(
                        new io.chakrai.models.ml.FeatureTable(
                                io.chakrai.models.ml.MinuteFeatureVector.NAMES,
                                x,
                                y,
                                who,
                                "synthetic-z"),
                        io.chakrai.models.ml.ModelKind.LOGISTIC_REGRESSION,
                        1);
        model.markPerPersonRunning(60);
        io.chakrai.models.ml.ModelRegistry registry =
                new io.chakrai.models.ml.ModelRegistry(stack.db);
        int version = registry.register("stress_minute_it", model, "{}", "synthetic-z", "test");
        registry.promote("stress_minute_it", version);

        String s = topics("model", 2);
        int[] a =
                stack.userWithDevice(
                        "modelled@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        int[] b =
                stack.userWithDevice(
                        "modelled-runner@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        Instant start = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        produce("model-readings-" + s, day(a[0], a[1], 5, Activity.STRESS, start));
        produce("model-readings-" + s, day(b[0], b[1], 6, Activity.EXERCISE, start));
        StressOptions cfg = config("model-readings-" + s, "model-predictions-" + s);
        cfg.modelName = "stress_minute_it";
        assertEquals(
                "stress_minute_it v" + version,
                MinuteModel.resolve(cfg).orElseThrow().label(),
                "the production version");
        JobClient job =
                JobStack.startJob(
                        "chakrai-stress-episodes", checkpoints, null, env -> alone(env, cfg));
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    stack.count(
                                                    "SELECT count(*) FROM health_predictions WHERE user_id = "
                                                            + a[0]
                                                            + " AND actual_outcome IS NOT NULL")
                                            >= 1);
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM health_predictions WHERE user_id = "
                                    + a[0]
                                    + " AND prediction_type = 'stress_episode' AND 'model:stress_minute_it v"
                                    + version
                                    + "' = ANY (trigger_factors)"
                                    + " AND prediction_time BETWEEN to_timestamp("
                                    + start.plusSeconds(60 * 60).getEpochSecond()
                                    + ")"
                                    + " AND to_timestamp("
                                    + start.plusSeconds(72 * 60).getEpochSecond()
                                    + ")"),
                    "one episode, in the stress period, found by the model");
            assertEquals(
                    1,
                    stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + a[0]));
            assertEquals(
                    0,
                    stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + b[0]),
                    "exercise is not stress");
        } finally {
            job.cancel().get();
        }
        // no such model: the rule, not a failure
        cfg.modelName = "no_such_model";
        assertTrue(MinuteModel.resolve(cfg).isEmpty());
    }

    @Test
    void restartedFromACheckpointMidEpisodeItNeitherRepeatsNorDropsThePrediction(
            @TempDir Path checkpoints) throws Exception {
        // four partitions, three of which never receive a record: after the restore they must be
        // detected as
        // idle, or event time stays behind and the episode's outcome never comes
        String s = topics("restart", 4);
        int[] a =
                stack.userWithDevice(
                        "restart@x.org",
                        "heart_rate,hrv,steps,activity,skin_temperature,sleep_stage");
        Instant start = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        List<BiometricReading> all = day(a[0], a[1], 3, Activity.STRESS, start);
        List<Long> expected = expectedOnsets(all);
        assertEquals(1, expected.size());
        // first part: up to two minutes into the stress period, so the pattern is half-way when the
        // job stops
        long cut = start.plus(Duration.ofMinutes(62)).toEpochMilli();
        List<BiometricReading> before =
                all.stream().filter(r -> r.timestamp().toEpochMilli() < cut).toList();
        List<BiometricReading> after =
                all.stream().filter(r -> r.timestamp().toEpochMilli() >= cut).toList();
        produce("restart-readings-" + s, before);

        StressOptions cfg = config("restart-readings-" + s, "restart-predictions-" + s);
        JobClient first =
                JobStack.startJob(
                        "chakrai-stress-episodes", checkpoints, null, env -> alone(env, cfg));
        // a checkpoint that holds every record of the first part: its completion commits their
        // offsets
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                stack.kafka.committedOffsets(cfg.groupId, "restart-readings-" + s)
                                        >= before.size());
        first.cancel().get();
        Path checkpoint = JobStack.latestCheckpoint(checkpoints).orElseThrow();
        assertEquals(
                0, stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + a[0]));

        produce("restart-readings-" + s, after);
        cfg.groupId = cfg.groupId + "-restarted";
        cfg.source.startingOffsets = "latest"; // only the checkpoint can say where to continue
        JobClient second =
                JobStack.startJob(
                        "chakrai-stress-episodes",
                        checkpoints,
                        checkpoint.toUri().toString(),
                        env -> alone(env, cfg));
        try {
            // generous: on an oversubscribed machine the restore and the idle partitions' timeout
            // take a while
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    stack.count(
                                                    "SELECT count(*) FROM health_predictions WHERE user_id = "
                                                            + a[0]
                                                            + " AND actual_outcome IS NOT NULL")
                                            >= 1);
            // the restored job has read everything (its offsets are committed): nothing more can
            // come
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    stack.kafka.committedOffsets(
                                                    cfg.groupId, "restart-readings-" + s)
                                            >= all.size());
            assertEquals(
                    1,
                    stack.count("SELECT count(*) FROM health_predictions WHERE user_id = " + a[0]));
            assertEquals(
                    1,
                    stack.count(
                            "SELECT count(*) FROM health_predictions WHERE user_id = "
                                    + a[0]
                                    + " AND prediction_time = to_timestamp("
                                    + expected.get(0) / 1000
                                    + ")"),
                    "the same prediction as an uninterrupted run");
            assertEquals(
                    1, stack.count("SELECT count(*) FROM interventions WHERE user_id = " + a[0]));
        } finally {
            second.cancel().get();
        }
    }
}
