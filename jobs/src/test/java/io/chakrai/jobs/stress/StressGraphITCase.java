package io.chakrai.jobs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.jobs.config.StressOptions;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.stress.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The stress graph on a MiniCluster with bounded, partly out-of-order input, results collected. */
class StressGraphITCase {
    static List<Prediction> run(List<BiometricReading> readings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<BiometricReading> in =
                env.fromData(readings)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<BiometricReading>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(30))
                                        .withTimestampAssigner(
                                                (r, ts) -> r.timestamp().toEpochMilli()));
        StressOptions rule = new StressOptions();
        rule.modelName = ""; // the rule, with its default thresholds
        DataStream<Prediction> out =
                StressGraph.attach(
                        StressGraph.Inputs.readings(in), rule, StressGraph.Sinks.discarding());
        List<Prediction> result = new ArrayList<>();
        out.executeAndCollect().forEachRemaining(result::add);
        return result;
    }

    @Test
    void calmStressRecoveryGivesOneEpisodeAndExerciseNone() throws Exception {
        Instant start = Instant.parse("2026-06-01T08:00:00Z");
        List<BiometricReading> readings =
                new ArrayList<>(StressGraphOnKafkaITCase.day(1, 11, 1, Activity.STRESS, start));
        readings.addAll(StressGraphOnKafkaITCase.day(2, 12, 2, Activity.EXERCISE, start));
        // a little disorder within the bound, as devices deliver it
        Random random = new Random(5);
        for (int i = 0; i + 3 < readings.size(); i += 7) {
            Collections.swap(readings, i, i + 1 + random.nextInt(2));
        }
        List<Prediction> predictions = run(readings);
        assertEquals(1, predictions.size(), predictions.toString());
        assertEquals(1, predictions.get(0).userId());
        assertEquals("stress_episode", predictions.get(0).type());
        assertEquals(
                StressGraphOnKafkaITCase.expectedOnsets(
                        StressGraphOnKafkaITCase.day(1, 11, 1, Activity.STRESS, start)),
                List.of(predictions.get(0).predictionTime()));
    }
}
