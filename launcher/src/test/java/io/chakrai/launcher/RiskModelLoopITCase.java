package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.api.RiskModelGauges;
import io.chakrai.api.assessments.AssessmentRepository;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.jobs.assessment.RiskAssessmentJob;
import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.lab.ml.ModelsCommand;
import io.chakrai.lab.ml.TrainCommand;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskFeatures;
import io.chakrai.models.assessment.RiskInputs;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.simulation.SimulatedPerson;
import io.chakrai.sql.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * The learned risk model's whole loop, end to end on a MiniCluster with real PostgreSQL and Kafka:
 * simulated people with a latent mood stream nine weeks of readings and answer PHQ-9 / GAD-7 every
 * few days; the running risk job scores every day with the rule and stores the day's features;
 * {@code train --dataset PLATFORM_RISK} learns from the consenting people's first five weeks (split
 * by person and time, against the rule) and registers a model; a worse model registered as
 * challenger shadows the rule in the running job, unseen, and its promotion is refused on the
 * outcomes since; the trained model, shadowed over the same weeks by a backfill, beats the rule on
 * them and is promoted; the running job then scores new days with it, the rule kept beside as
 * reference.
 */
class RiskModelLoopITCase {
    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    static final int PEOPLE = 24;
    static final int CONSENTING = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedPostgres pg;
    static EmbeddedKafka kafka;
    static PGSimpleDataSource db;
    static String topic = "risk-loop-readings";
    static final List<int[]> people = new ArrayList<>(); // {user, device}
    static final List<SimulatedPerson> bodies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "riskloop");
        kafka = EmbeddedKafka.start(null, 0, 0, 2);
        db = new PGSimpleDataSource();
        db.setURL(pg.jdbcUrl());
        db.setUser(pg.user());
        Migrations.apply(db);
        kafka.createTopics(
                List.of(new NewTopic(topic, 2, (short) 1).configs(EmbeddedKafka.KEEP_HISTORY)));
        for (int i = 1; i <= PEOPLE; i++) {
            int user =
                    id(
                            "INSERT INTO users (email, password_hash) VALUES ('loop-"
                                    + i
                                    + "@example.org', 'x') RETURNING id");
            int device =
                    id(
                            "INSERT INTO biometric_devices (user_id, device_type, device_id, data_types) VALUES ("
                                    + user
                                    + ", 'garmin', 'loop-"
                                    + i
                                    + "', '{heart_rate,hrv,steps,sleep_stage}') RETURNING id");
            if (i <= CONSENTING) {
                id(
                        "INSERT INTO consents (user_id, kind, granted) VALUES ("
                                + user
                                + ", 'model_training', true) RETURNING id");
            }
            people.add(new int[] {user, device});
            bodies.add(new SimulatedPerson(1_000 + i, 0.2, START).withMood());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static int id(String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Days [from, to) of everyone: their answers first (stored as the API stores them, dated when
     * given), then their readings every ten minutes to Kafka — the risk job reads answers up to
     * each day's end, so they are there first.
     */
    static void days(int from, int to) throws Exception {
        AssessmentRepository answers = new AssessmentRepository(db);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Set<DataType> kept =
                Set.of(DataType.HEART_RATE, DataType.HRV, DataType.STEPS, DataType.SLEEP_STAGE);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            // day by day for everyone, as phones sync: event time moves on together, so no day
            // closes on a person early
            for (int d = from; d < to; d++) {
                for (int i = 0; i < PEOPLE; i++) {
                    int[] who = people.get(i);
                    SimulatedPerson body = bodies.get(i);
                    Instant at = answerTime(i, d);
                    if (at != null) {
                        int[][] a = body.questionnaires(at);
                        answers.save(
                                who[0],
                                RiskAssessment.assess(
                                        new RiskInputs(
                                                a[0],
                                                a[1],
                                                0,
                                                Double.NaN,
                                                Double.NaN,
                                                Double.NaN,
                                                Double.NaN,
                                                Double.NaN,
                                                Double.NaN)),
                                a[0],
                                a[1],
                                at);
                    }
                    for (long s = d * 86_400L; s < (d + 1) * 86_400L; s += 600) {
                        for (SimulatedPerson.Sample x : body.step(START.plusSeconds(s))) {
                            if (kept.contains(x.type())) {
                                BiometricReading r =
                                        new BiometricReading(
                                                who[0],
                                                who[1],
                                                x.type().wireName(),
                                                x.value(),
                                                x.type().unit(),
                                                0.95,
                                                0.9,
                                                x.timestamp(),
                                                null);
                                producer.send(
                                        new ProducerRecord<>(
                                                topic,
                                                null,
                                                x.timestamp().toEpochMilli(),
                                                Integer.toString(who[0]),
                                                ReadingCodec.toRecord(r)));
                            }
                        }
                    }
                }
            }
            producer.flush();
        }
    }

    /**
     * When person {@code i} answers on day {@code d}, if they do: every three or four days, between
     * 10:00 and 20:00.
     */
    static Instant answerTime(int i, int d) {
        SplittableRandom habit = new SplittableRandom(77L * (i + 1));
        for (int day = 2; day <= d; day += 3 + habit.nextInt(2)) {
            int second = habit.nextInt(36_000);
            if (day == d) {
                return START.plusSeconds(d * 86_400L + 36_000 + second);
            }
        }
        return null;
    }

    static RiskOptions options(boolean bounded) {
        RiskOptions o = new RiskOptions();
        new CommandLine(o).parseArgs();
        o.source.kafkaBootstrap = kafka.bootstrapServers();
        o.source.readingsTopic = topic;
        o.source.dbUrl = pg.jdbcUrl();
        o.source.dbUser = pg.user();
        o.source.dbPassword = "";
        o.source.checkpointIntervalMs = 1_000;
        o.source.idlenessSeconds = 1;
        o.groupId = "risk-loop-" + (bounded ? "backfill" : "live");
        o.bounded = bounded;
        o.modelRefreshSeconds = 1;
        return o;
    }

    static JobClient job(String name, RiskOptions o, Path checkpoints) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        RiskAssessmentJob.buildFrom(env, o);
        return env.executeAsync(name);
    }

    /**
     * Runs a command of the lab as `chakrai …` would, against the test's database; its exit code
     * and what it printed.
     */
    static Object[] command(Object cmd, String... args) {
        PrintStream was = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        CommandLine line = new CommandLine(cmd);
        try {
            code = line.execute(args);
        } finally {
            System.setOut(was);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(
                "$ chakrai " + line.getCommandName() + " " + String.join(" ", args) + "\n" + text);
        return new Object[] {code, text};
    }

    static long scores(String version) throws Exception {
        return count("SELECT count(*) FROM risk_scores WHERE model_version = '" + version + "'");
    }

    /**
     * A version's rows per assessed day, for a failure's message: which days are missing says why.
     */
    static String scoresByDay(String version) throws Exception {
        return queryText(
                "SELECT string_agg(d::text || '=' || n, ' ' ORDER BY d) FROM (SELECT assessed_day d, count(*) n "
                        + "FROM risk_scores WHERE model_version = '"
                        + version
                        + "' GROUP BY 1) x");
    }

    @Test
    void theRiskModelIsLearnedShadowedGatedAndPromotedInTheRunningJob(@TempDir Path tmp)
            throws Exception {
        JobClient live = job("risk-loop-live", options(false), tmp.resolve("live"));
        try {
            // five weeks: the rule scores every closed day (the 35th closes when the next day's
            // readings come)
            days(0, 35);
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> scores(RiskAssessment.MODEL_VERSION) == PEOPLE * 34L);
            assertEquals(0, count("SELECT count(*) FROM risk_scores WHERE role <> 'champion'"));
            JsonNode f = JSON.readTree(queryText("SELECT features::text FROM risk_scores LIMIT 1"));
            assertEquals(Set.copyOf(RiskFeatures.NAMES), Set.copyOf(iterable(f)));

            // the platform's own history → a model, evaluated by person and time against the rule
            String dbUrl = pg.jdbcUrl();
            Object[] trained =
                    command(
                            new TrainCommand(),
                            "--dataset",
                            "PLATFORM_RISK",
                            "--search",
                            "--register",
                            "--out",
                            tmp.resolve("reports").toString(),
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user());
            assertEquals(0, trained[0], (String) trained[1]);
            JsonNode report = JSON.readTree(tmp.resolve("reports/risk_phq9/report.json").toFile());
            int heldOut = report.at("/held_out/answers").asInt();
            assertTrue(heldOut >= 40, report.toPrettyString());
            assertEquals("risk-rule-1 (rule)", report.at("/held_out/scorers/0/name").asText());
            assertEquals(
                    4,
                    report.at("/held_out/scorers").size(),
                    "the rule and three kinds of model on the same answers");
            String html = Files.readString(tmp.resolve("reports/risk_phq9/report.html"));
            assertEquals(4, html.split("class=\"roc\"", -1).length - 1, "a ROC curve per scorer");
            assertTrue(html.contains("class=\"bin\""), "a calibration plot");
            Instant trainedUntil = Instant.parse(report.path("trained_until").asText());
            assertTrue(
                    trainedUntil.isBefore(START.plusSeconds(35 * 86_400L)),
                    trainedUntil.toString());
            // only the people who consent were read, and each one's audit trail says so
            assertEquals(
                    CONSENTING,
                    count(
                            "SELECT count(DISTINCT user_id) FROM audit_log WHERE why LIKE 'model training: risk_phq9%'"));
            assertEquals(
                    0,
                    count(
                            "SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.email IN "
                                    + "('loop-21@example.org', 'loop-22@example.org', 'loop-23@example.org', 'loop-24@example.org')"));
            ModelRegistry registry = new ModelRegistry(db);
            assertEquals(1, registry.list(RiskAssessment.LEARNED_MODEL).size());

            // a worse model (trained on the answers' opposites) registered beside it, and let
            // shadow the rule
            TrainedModel worse =
                    TrainedModel.train(inverted(registry), ModelKind.LOGISTIC_REGRESSION, 42);
            int v2 =
                    registry.register(
                            RiskAssessment.LEARNED_MODEL,
                            worse,
                            "{\"outcome\":\"PHQ9_GE10\",\"trained_until\":\""
                                    + trainedUntil
                                    + "\"}",
                            "test",
                            "test");
            assertEquals(
                    0,
                    command(
                            new ModelsCommand(),
                            "challenge",
                            "risk_phq9",
                            Integer.toString(v2),
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user())[0]);

            // four more weeks, answers and all: the running job scores them with the rule and,
            // unseen, the challenger
            // the job picks the challenger up at its next refresh (a second here), however busy the
            // machine: day by day,
            // each waited for, until a closed day is shadowed; every day after it is shadowed for
            // everyone
            LocalDate day0 = LocalDate.ofInstant(START, ZoneOffset.UTC);
            int firstShadowed = -1;
            for (int d = 35; d < 63; d++) {
                days(d, d + 1);
                if (firstShadowed < 0) {
                    LocalDate closed = day0.plusDays(d - 1);
                    await().atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofMillis(200))
                            .until(
                                    () ->
                                            count(
                                                            "SELECT count(*) FROM risk_scores WHERE model_version = '"
                                                                    + RiskAssessment.MODEL_VERSION
                                                                    + "' AND assessed_day = '"
                                                                    + closed
                                                                    + "'")
                                                    == PEOPLE);
                    if (count(
                                    "SELECT count(*) FROM risk_scores WHERE model_version = 'risk_phq9-v2' AND assessed_day = '"
                                            + closed
                                            + "'")
                            == PEOPLE) {
                        firstShadowed = d - 1;
                    }
                }
            }
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> scores(RiskAssessment.MODEL_VERSION) == PEOPLE * 62L);
            assertTrue(firstShadowed >= 0, "no day shadowed by the challenger");
            assertEquals(
                    PEOPLE * (62L - firstShadowed),
                    count(
                            "SELECT count(*) FROM risk_scores WHERE model_version = "
                                    + "'risk_phq9-v2' AND assessed_day >= '"
                                    + day0.plusDays(firstShadowed)
                                    + "'"),
                    "every day after the challenger was taken up is shadowed, for everyone: "
                            + scoresByDay("risk_phq9-v2"));
            assertEquals(
                    0,
                    count(
                            "SELECT count(*) FROM mental_health_assessments WHERE model_version LIKE 'risk_phq9%'"),
                    "a challenger's scores are shown to nobody");
            Object[] compared =
                    command(
                            new ModelsCommand(),
                            "compare",
                            "risk_phq9",
                            "--report",
                            tmp.resolve("shadow.html").toString(),
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user());
            assertEquals(0, compared[0]);
            assertTrue(
                    ((String) compared[1]).contains("risk_phq9-v2 is not better"),
                    (String) compared[1]);
            Object[] refused =
                    command(
                            new ModelsCommand(),
                            "promote",
                            "risk_phq9",
                            Integer.toString(v2),
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user());
            assertEquals(2, refused[0], (String) refused[1]);
            assertEquals(Optional.empty(), registry.production(RiskAssessment.LEARNED_MODEL));

            // the trained model shadows instead, over the same weeks by a backfill, and beats the
            // rule on them
            assertEquals(
                    0,
                    command(
                            new ModelsCommand(),
                            "challenge",
                            "risk_phq9",
                            "1",
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user())[0]);
            assertEquals(Optional.of(1), registry.challenger(RiskAssessment.LEARNED_MODEL));
            job("risk-loop-backfill", options(true), tmp.resolve("backfill"))
                    .getJobExecutionResult()
                    .get();
            assertTrue(
                    scores("risk_phq9-v1") >= PEOPLE * 62L,
                    "backfilled rows by day: " + scoresByDay("risk_phq9-v1"));
            Object[] promoted =
                    command(
                            new ModelsCommand(),
                            "promote",
                            "risk_phq9",
                            "1",
                            "--db-url",
                            dbUrl,
                            "--db-user",
                            pg.user());
            assertEquals(0, promoted[0], (String) promoted[1]);
            assertTrue(
                    ((String) promoted[1]).contains("risk_phq9-v1 is better"),
                    (String) promoted[1]);
            assertEquals(Optional.of(1), registry.production(RiskAssessment.LEARNED_MODEL));
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            RiskModelGauges.register(metrics, db, RiskAssessment.LEARNED_MODEL);
            assertEquals(
                    1.0,
                    metrics.get("chakrai_risk_model_version")
                            .tag("role", "champion")
                            .gauge()
                            .value());
            assertEquals(
                    0.0,
                    metrics.get("chakrai_risk_model_version")
                            .tag("role", "challenger")
                            .gauge()
                            .value());

            // the running job takes the new champion within its refresh (a second here): day by
            // day, each waited for,
            // until a closed day is the model's; every day after it is the model's too, the rule
            // kept beside as reference
            LocalDate firstByModel = null;
            for (int d = 63; d < 83 && firstByModel == null; d++) {
                days(d, d + 1);
                LocalDate closed = day0.plusDays(d - 1);
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        count(
                                                        "SELECT count(DISTINCT user_id) FROM mental_health_assessments WHERE trigger = 'daily' AND assessed_day = '"
                                                                + closed
                                                                + "'")
                                                == PEOPLE);
                if (count(
                                "SELECT count(*) FROM mental_health_assessments WHERE trigger = 'daily' AND model_version = "
                                        + "'risk_phq9-v1' AND assessed_day = '"
                                        + closed
                                        + "'")
                        == PEOPLE) {
                    firstByModel = closed;
                }
            }
            assertTrue(firstByModel != null, "no day scored by the promoted model");
            LocalDate last = day0.plusDays(90);
            days(90, 92);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    count(
                                                    "SELECT count(*) FROM mental_health_assessments WHERE trigger = 'daily' AND assessed_day = '"
                                                            + last
                                                            + "'")
                                            == PEOPLE);
            assertEquals(
                    PEOPLE,
                    count(
                            "SELECT count(*) FROM mental_health_assessments WHERE trigger = 'daily' AND model_version = "
                                    + "'risk_phq9-v1' AND assessed_day = '"
                                    + last
                                    + "'"),
                    "once taken over, the model's for good");
            assertEquals(
                    PEOPLE,
                    count(
                            "SELECT count(*) FROM risk_scores WHERE model_version = 'risk-rule-1' AND role = "
                                    + "'reference' AND assessed_day = '"
                                    + last
                                    + "'"));
            JsonNode contributions =
                    JSON.readTree(
                            queryText(
                                    "SELECT contributions::text FROM mental_health_assessments WHERE "
                                            + "model_version = 'risk_phq9-v1' LIMIT 1"));
            assertTrue(contributions.has("model:risk_phq9-v1"), contributions.toString());
            assertFalse(Files.readString(tmp.resolve("shadow.html")).isEmpty());
        } finally {
            live.cancel().get();
        }
    }

    /**
     * The training answers with every label flipped: a model that has learned the opposite of the
     * truth.
     */
    static FeatureTable inverted(ModelRegistry registry) throws Exception {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        List<String> s = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT a.user_id, "
                                        + "(SELECT sum(v) FROM unnest(a.phq9_answers) v) >= 10, r.features::text FROM mental_health_assessments a "
                                        + "JOIN risk_scores r ON r.user_id = a.user_id AND r.model_version = 'risk-rule-1' "
                                        + "AND r.assessed_day = (a.created_at AT TIME ZONE 'UTC')::date - 1 WHERE a.trigger = 'request'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode f = JSON.readTree(rs.getString(3));
                x.add(RiskFeatures.NAMES.stream().mapToDouble(n -> f.path(n).asDouble()).toArray());
                y.add(rs.getBoolean(2) ? 0 : 1);
                s.add(rs.getString(1));
            }
        }
        return new FeatureTable(
                RiskFeatures.NAMES,
                x.toArray(double[][]::new),
                y.stream().mapToInt(Integer::intValue).toArray(),
                s.toArray(String[]::new),
                "inverted");
    }

    static String queryText(String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> iterable(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
