package io.chakrai.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.ScoringOptions;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.MinuteFeatureVector;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.readings.BiometricReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model-scoring job's graph on a MiniCluster with bounded, out-of-order input and a model
 * registered in a real PostgreSQL: one score per person-minute with heart-rate readings, calm low
 * and stress high, each exactly what the model gives {@link MinuteFeatureVector} of that minute's
 * readings — the same function training windows are built with.
 */
class ModelScoringJobITCase {
    static JobStack stack;
    static TrainedModel model;
    static final Instant START = Instant.parse("2026-06-01T08:00:00Z");

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_scoring_test");
        // a model of hr_mean, hr_std, rmssd: stress is a raised heart rate with a low RMSSD
        Random r = new Random(3);
        int n = 400;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] subjects = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[i] =
                    y[i] == 1
                            ? new double[] {
                                100 + 8 * r.nextGaussian(),
                                4 + r.nextDouble(),
                                20 + 4 * r.nextGaussian()
                            }
                            : new double[] {
                                64 + 5 * r.nextGaussian(),
                                2 + r.nextDouble(),
                                48 + 6 * r.nextGaussian()
                            };
            subjects[i] = "s" + (i % 10);
        }
        model =
                TrainedModel.train(
                        new FeatureTable(MinuteFeatureVector.NAMES, x, y, subjects, "synthetic"),
                        ModelKind.LOGISTIC_REGRESSION,
                        1);
        new ModelRegistry(stack.db)
                .register("stress_minute_job_test", model, "{}", "synthetic", "test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /**
     * Heart rate every 5 s and an RMSSD per minute; calm for {@code calm} minutes, then stressed
     * for {@code stressed}.
     */
    static List<BiometricReading> person(int user, int device, int calm, int stressed, Random r) {
        List<BiometricReading> out = new ArrayList<>();
        for (int m = 0; m < calm + stressed; m++) {
            boolean stress = m >= calm;
            Instant minute = START.plusSeconds(60L * m);
            for (int s = 0; s < 60; s += 5) {
                out.add(
                        new BiometricReading(
                                user,
                                device,
                                "heart_rate",
                                Math.round((stress ? 104 : 63) + 3 * r.nextGaussian()),
                                "bpm",
                                1,
                                1,
                                minute.plusSeconds(s),
                                null));
            }
            out.add(
                    new BiometricReading(
                            user,
                            device,
                            "hrv",
                            stress ? 19 : 50,
                            "ms",
                            1,
                            1,
                            minute.plusSeconds(30),
                            null));
            // readings the model does not use pass through harmlessly
            out.add(
                    new BiometricReading(
                            user, device, "steps", 3, "count", 1, 1, minute.plusSeconds(45), null));
        }
        return out;
    }

    @Test
    void scoresEveryPersonMinuteFromTheSameFeaturesAsTraining() throws Exception {
        Random r = new Random(11);
        List<BiometricReading> readings = new ArrayList<>(person(1, 11, 10, 5, r));
        readings.addAll(person(2, 12, 12, 0, r));
        // devices deliver a little out of order
        for (int i = 0; i + 3 < readings.size(); i += 5) {
            Collections.swap(readings, i, i + 1 + r.nextInt(2));
        }
        ScoringOptions o = new ScoringOptions();
        o.source.dbUrl = stack.pg.jdbcUrl();
        o.source.dbUser = stack.pg.user();
        o.source.dbPassword = "";
        o.modelName = "stress_minute_job_test";
        o.modelVersion = 1;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<BiometricReading> in =
                env.fromData(readings)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<BiometricReading>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(30))
                                        .withTimestampAssigner(
                                                (b, ts) -> b.timestamp().toEpochMilli()));
        List<ScoringGraph.Score> scores = new ArrayList<>();
        ScoringGraph.attach(in, o, new ScoringGraph.Sinks(new DiscardingSink<>()))
                .executeAndCollect()
                .forEachRemaining(scores::add);

        assertEquals(15 + 12, scores.size(), "one score per person-minute");
        Map<String, List<BiometricReading>> minutes =
                readings.stream()
                        .collect(
                                Collectors.groupingBy(
                                        b ->
                                                b.userId()
                                                        + "@"
                                                        + b.timestamp().toEpochMilli()
                                                                / 60_000
                                                                * 60_000,
                                        TreeMap::new,
                                        Collectors.toList()));
        for (ScoringGraph.Score s : scores) {
            double[] features =
                    MinuteFeatureVector.of(minutes.get(s.userId() + "@" + s.windowStart()))
                            .orElseThrow();
            assertEquals(
                    model.probabilities(new double[][] {features})[0],
                    s.probability(),
                    1e-12,
                    "the job's score is the model on the shared minute features");
            boolean stressed =
                    s.userId() == 1 && s.windowStart() >= START.plusSeconds(600).toEpochMilli();
            assertTrue(
                    stressed ? s.probability() > 0.7 : s.probability() < 0.3,
                    s + " stressed=" + stressed);
        }
    }
}
