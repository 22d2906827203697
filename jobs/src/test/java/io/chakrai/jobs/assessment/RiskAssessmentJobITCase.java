package io.chakrai.jobs.assessment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskInputs;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily re-assessment job on a real MiniCluster, Kafka and PostgreSQL: ten days of readings for
 * a person whose last three days get worse, stress episodes and a PHQ-9 in the tables; the bounded
 * run writes one row per day with the scores computed here independently (plain sorting, no
 * DayFeatures), carries the PHQ-9 forward only from the day it was answered, is idempotent on a
 * second run, and keeps people apart. The unbounded run assesses a day only once event time has
 * passed its end.
 */
class RiskAssessmentJobITCase {
    /** Checkpoints of the jobs run here (kept on cancel, like every job's): deleted afterwards. */
    @TempDir static Path tmp;

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate FIRST = LocalDate.of(2026, 3, 1);
    static final int DAYS = 10;
    static JobStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("risk");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /**
     * A day's readings: HR every 10 min, RMSSD every 30 min, steps hourly, sleep stages each minute
     * of the night before.
     */
    static List<BiometricReading> day(int user, int device, LocalDate d, boolean bad) {
        List<BiometricReading> out = new ArrayList<>();
        Instant midnight = d.atStartOfDay(ZoneOffset.UTC).toInstant();
        int sleepMinutes = bad ? 300 : 450;
        for (int m = -60; m < -60 + sleepMinutes + 30; m++) {
            out.add(
                    reading(
                            user,
                            device,
                            "sleep_stage",
                            m < -60 + sleepMinutes ? 2 : 0,
                            "stage",
                            midnight.plusSeconds(m * 60L)));
        }
        for (int i = 0; i < 144; i++) {
            double hr = (bad ? 66 : 58) + (i * 7 % 40);
            out.add(
                    reading(
                            user,
                            device,
                            "heart_rate",
                            hr,
                            "bpm",
                            midnight.plusSeconds(i * 600L + 30)));
        }
        for (int i = 0; i < 48; i++) {
            double rmssd = (bad ? 30 : 45) + (i * 5 % 17);
            out.add(
                    reading(
                            user,
                            device,
                            "hrv",
                            rmssd,
                            "ms",
                            midnight.plusSeconds(i * 1_800L + 60)));
        }
        for (int h = 0; h < 24; h++) {
            out.add(
                    reading(
                            user,
                            device,
                            "steps",
                            bad ? 100 : 400,
                            "count",
                            midnight.plusSeconds(h * 3_600L + 120)));
        }
        out.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        return out;
    }

    static BiometricReading reading(
            int user, int device, String type, double value, String unit, Instant at) {
        return new BiometricReading(user, device, type, value, unit, 0.95, 0.9, at, null);
    }

    /**
     * The day's figures written the obvious way, to check the job's histogram percentiles against.
     */
    static DailySummary expected(List<BiometricReading> day, LocalDate d, int episodes) {
        double[] hr = values(day, "heart_rate");
        double[] hrv = values(day, "hrv");
        double sleep =
                day.stream()
                                .filter(r -> r.dataType().equals("sleep_stage") && r.value() > 0)
                                .count()
                        / 60.0;
        double steps =
                day.stream()
                        .filter(r -> r.dataType().equals("steps"))
                        .mapToDouble(BiometricReading::value)
                        .sum();
        return new DailySummary(
                d, sleep, episodes, steps, percentileCont(hrv, 0.5), percentileCont(hr, 0.1));
    }

    static double[] values(List<BiometricReading> day, String type) {
        return day.stream()
                .filter(r -> r.dataType().equals(type))
                .mapToDouble(BiometricReading::value)
                .sorted()
                .toArray();
    }

    static double percentileCont(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static RiskOptions options(String topic, boolean bounded) {
        RiskOptions o = new picocli.CommandLine(new RiskOptions()).<RiskOptions>getCommand();
        new picocli.CommandLine(o).parseArgs();
        o.source.kafkaBootstrap = stack.kafka.bootstrapServers();
        o.source.readingsTopic = topic;
        o.source.dbUrl = stack.pg.jdbcUrl();
        o.source.dbUser = stack.pg.user();
        o.source.dbPassword = "";
        o.source.checkpointIntervalMs = 500;
        o.source.idlenessSeconds = 1;
        o.groupId = "risk-" + UUID.randomUUID();
        o.bounded = bounded;
        return o;
    }

    static String topic(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        stack.kafka.createTopics(
                List.of(new NewTopic(name, 2, (short) 1).configs(EmbeddedKafka.KEEP_HISTORY)));
        return name;
    }

    /**
     * Until a checkpoint holds every record on the topic (its completion commits their offsets):
     * whatever the job would write for them has been written by then, so "nothing yet" can be
     * asserted.
     */
    static void awaitRead(RiskOptions o, String topic) {
        long end = stack.kafka.endOffsets(topic);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> stack.kafka.committedOffsets(o.groupId, topic) >= end);
    }

    static void produce(String topic, List<BiometricReading> readings) {
        stack.produce(
                topic,
                readings.stream().map(ReadingCodec::toRecord).toList(),
                readings.stream().map(r -> r.timestamp().toEpochMilli()).toList(),
                Integer.toString(readings.get(0).userId()));
    }

    static void run(String name, RiskOptions o) throws Exception {
        Path checkpoints = Files.createTempDirectory(tmp, "risk-ckpt");
        JobClient job =
                JobStack.startJob(
                        name, checkpoints, null, env -> RiskAssessmentJob.buildFrom(env, o));
        job.getJobExecutionResult().get(3, java.util.concurrent.TimeUnit.MINUTES);
    }

    record Stored(
            String type,
            String level,
            double score,
            double confidence,
            JsonNode contributions,
            Instant createdAt,
            String version) {}

    static Map<LocalDate, Stored> daily(int user) throws Exception {
        Map<LocalDate, Stored> out = new LinkedHashMap<>();
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT assessed_day, assessment_type, risk_level, overall_risk_score, confidence, contributions, created_at, "
                                        + "model_version FROM mental_health_assessments WHERE user_id = "
                                        + user
                                        + " AND trigger = 'daily' ORDER BY assessed_day")) {
            while (rs.next()) {
                out.put(
                        rs.getObject(1, LocalDate.class),
                        new Stored(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getDouble(4),
                                rs.getDouble(5),
                                JSON.readTree(rs.getString(6)),
                                rs.getTimestamp(7).toInstant(),
                                rs.getString(8)));
            }
        }
        return out;
    }

    @Test
    void theBackfillAssessesEveryDayLikeThePlainCodeOnceAndPerPerson() throws Exception {
        int[] a = stack.userWithDevice("risk-a@example.org", "heart_rate,hrv,steps,sleep_stage");
        int[] b = stack.userWithDevice("risk-b@example.org", "heart_rate,hrv,steps,sleep_stage");
        String topic = topic("risk-readings");
        List<List<BiometricReading>> daysA = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            daysA.add(day(a[0], a[1], FIRST.plusDays(i), i >= 7));
        }
        daysA.forEach(d -> produce(topic, d));
        produce(topic, day(b[0], b[1], FIRST.plusDays(2), false));
        // two stress episodes on each of the last three days, one on day 1
        int[] episodes = new int[DAYS];
        episodes[1] = 1;
        episodes[7] = episodes[8] = episodes[9] = 2;
        for (int i = 0; i < DAYS; i++) {
            for (int e = 0; e < episodes[i]; e++) {
                stack.insertReturningId(
                        "INSERT INTO health_predictions (user_id, prediction_type, predicted_value, confidence, "
                                + "timeframe, prediction_time, target_time) VALUES ("
                                + a[0]
                                + ", 'stress_episode', 70, 0.7, '15min', '"
                                + FIRST.plusDays(i)
                                + "T1"
                                + e
                                + ":00:00Z', '"
                                + FIRST.plusDays(i)
                                + "T1"
                                + e
                                + ":15:00Z') RETURNING id");
            }
        }
        // a PHQ-9 answered at noon of day 5 (moderate: 11)
        int[] phq9 = {2, 2, 1, 1, 1, 1, 1, 2, 0};
        stack.insertReturningId(
                "INSERT INTO mental_health_assessments (user_id, assessment_type, risk_level, overall_risk_score, "
                        + "confidence, timeframe, model_version, phq9_answers, created_at) VALUES ("
                        + a[0]
                        + ", 'comprehensive', "
                        + "'moderate', 30, 0.6, '2weeks', 'risk-rule-1', '{2,2,1,1,1,1,1,2,0}', '"
                        + FIRST.plusDays(5)
                        + "T12:00:00Z') RETURNING id");

        run("risk-backfill", options(topic, true));
        Map<LocalDate, Stored> rows = daily(a[0]);
        assertEquals(DAYS, rows.size(), rows.keySet().toString());
        List<DailySummary> summaries = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            LocalDate d = FIRST.plusDays(i);
            summaries.add(expected(daysA.get(i), d, episodes[i]));
            RiskAssessment want =
                    RiskAssessment.assess(
                            RiskInputs.fromDays(
                                    i >= 5 ? phq9 : null, null, summaries, d, Double.NaN));
            Stored got = rows.get(d);
            assertEquals(want.score(), got.score(), 0.006, d + " " + got);
            assertEquals(want.riskLevel(), got.level(), d.toString());
            assertEquals(i >= 5 ? "comprehensive" : "biometric_only", got.type(), d.toString());
            assertEquals(want.confidence(), got.confidence(), 1e-9, d.toString());
            assertEquals(d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), got.createdAt());
            assertEquals(RiskAssessment.MODEL_VERSION, got.version());
        }
        // beside each row, the day's score and the features a learned model would be given, the
        // rule as champion
        assertEquals(
                DAYS,
                stack.count(
                        "SELECT count(*) FROM risk_scores WHERE user_id = "
                                + a[0]
                                + " AND model_version = 'risk-rule-1' AND role = 'champion'"));
        assertEquals(
                rows.get(FIRST.plusDays(8)).score(),
                stack.count(
                                "SELECT round(score * 100) FROM risk_scores WHERE user_id = "
                                        + a[0]
                                        + " AND assessed_day = '"
                                        + FIRST.plusDays(8)
                                        + "'")
                        / 100.0,
                0.006);
        assertEquals(
                11,
                stack.count(
                        "SELECT (features->>'phq9_prev')::numeric FROM risk_scores WHERE user_id = "
                                + a[0]
                                + " AND assessed_day = '"
                                + FIRST.plusDays(5)
                                + "'"),
                "the answer of day 5 carried into its features");
        assertEquals(
                0,
                stack.count(
                        "SELECT (features->>'has_phq9')::numeric FROM risk_scores WHERE user_id = "
                                + a[0]
                                + " AND assessed_day = '"
                                + FIRST.plusDays(4)
                                + "'"),
                "never an answer from after the day");
        Stored last = rows.get(FIRST.plusDays(DAYS - 1));
        Stored calm = rows.get(FIRST.plusDays(6));
        assertTrue(last.score() > calm.score() + 5, calm.score() + " → " + last.score());
        assertTrue(
                last.contributions().get("short_sleep").asDouble() > 0,
                last.contributions().toString());
        assertTrue(last.contributions().has("depressive_symptoms_phq9"));

        // a second run (a replay, or the same version backfilled again) overwrites instead of
        // doubling
        run("risk-backfill-again", options(topic, true));
        assertEquals(
                DAYS,
                stack.count(
                        "SELECT count(*) FROM mental_health_assessments WHERE trigger = 'daily' AND user_id = "
                                + a[0]));
        assertEquals(List.of(FIRST.plusDays(2)), List.copyOf(daily(b[0]).keySet()));
        assertEquals(
                "biometric_only",
                daily(b[0]).get(FIRST.plusDays(2)).type(),
                "A's PHQ-9 never reaches B");
        assertEquals(
                1,
                stack.count(
                        "SELECT count(*) FROM mental_health_assessments WHERE trigger = 'request'"));
    }

    @Test
    void theRunningJobAssessesADayOnlyAfterItHasClosed() throws Exception {
        int[] c = stack.userWithDevice("risk-c@example.org", "heart_rate,hrv,steps,sleep_stage");
        String topic = topic("risk-live");
        RiskOptions o = options(topic, false);
        o.dayCloseDelayMinutes = 30;
        Path checkpoints = Files.createTempDirectory(tmp, "risk-live-ckpt");
        JobClient job =
                JobStack.startJob(
                        "risk-live", checkpoints, null, env -> RiskAssessmentJob.buildFrom(env, o));
        try {
            LocalDate d0 = LocalDate.of(2026, 4, 1);
            List<BiometricReading> readings = day(c[0], c[1], d0, false);
            produce(topic, readings);
            // the next morning's first readings: event time reaches 00:20, before the day closes at
            // 00:30
            Instant next = d0.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            produce(
                    topic,
                    List.of(
                            reading(
                                    c[0],
                                    c[1],
                                    "heart_rate",
                                    60,
                                    "bpm",
                                    next.plusSeconds(20 * 60 + 30))));
            awaitRead(o, topic);
            assertEquals(0, daily(c[0]).size(), "not closed yet");
            // 00:45 (minus 30 s out-of-orderness) passes 00:30: the day closes and is assessed
            produce(
                    topic,
                    List.of(
                            reading(
                                    c[0],
                                    c[1],
                                    "heart_rate",
                                    61,
                                    "bpm",
                                    next.plusSeconds(45 * 60))));
            await().atMost(Duration.ofSeconds(60)).until(() -> daily(c[0]).size() == 1);
            assertEquals(Arrays.asList(d0), List.copyOf(daily(c[0]).keySet()));
            RiskAssessment want =
                    RiskAssessment.assess(
                            RiskInputs.fromDays(
                                    null,
                                    null,
                                    List.of(expected(readings, d0, 0)),
                                    d0,
                                    Double.NaN));
            Stored got = daily(c[0]).get(d0);
            assertEquals(want.score(), got.score(), 0.006);
            assertEquals(
                    want.confidence(),
                    got.confidence(),
                    1e-9,
                    "sleep, HRV and a day of data known");

            // another person's phone syncs three past days now, behind event time: their own
            // readings close
            // the first two; the last closes once event time has moved a grace period past the sync
            int[] e =
                    stack.userWithDevice("risk-e@example.org", "heart_rate,hrv,steps,sleep_stage");
            for (int i = 3; i >= 1; i--) {
                produce(topic, day(e[0], e[1], d0.minusDays(i), false));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> daily(e[0]).size() == 2);
            awaitRead(o, topic);
            assertEquals(
                    List.of(d0.minusDays(3), d0.minusDays(2)), List.copyOf(daily(e[0]).keySet()));
            produce(
                    topic,
                    List.of(
                            reading(
                                    c[0],
                                    c[1],
                                    "heart_rate",
                                    62,
                                    "bpm",
                                    next.plusSeconds(90 * 60))));
            await().atMost(Duration.ofSeconds(60)).until(() -> daily(e[0]).size() == 3);
            assertEquals(1, daily(c[0]).size(), "c's next day is still open");
        } finally {
            job.cancel().get();
        }
    }
}
