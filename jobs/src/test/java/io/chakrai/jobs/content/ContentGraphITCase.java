package io.chakrai.jobs.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.config.ContentOptions;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.models.readings.BiometricReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The effectiveness graph on a MiniCluster: sessions' before and after from bounded readings and
 * usage changes.
 */
class ContentGraphITCase {
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    static List<BiometricReading> minutes(
            int user, int fromMinute, int toMinute, double hr, double rmssd) {
        List<BiometricReading> out = new ArrayList<>();
        for (int m = fromMinute; m < toMinute; m++) {
            Instant at = T0.plusSeconds(m * 60L + 10);
            out.add(
                    new BiometricReading(
                            user, 1, "heart_rate", hr + (m % 3) - 1, "bpm", 1, 1, at, null));
            out.add(
                    new BiometricReading(
                            user, 1, "hrv", rmssd, "ms", 1, 1, at.plusSeconds(20), null));
        }
        return out;
    }

    static RawRecord usage(long id, int user, int startMinute, int endMinute) {
        String json =
                "{\"before\":null,\"after\":{\"id\":"
                        + id
                        + ",\"user_id\":"
                        + user
                        + ",\"content_id\":7,\"started_at\":\""
                        + T0.plusSeconds(startMinute * 60L)
                        + "\",\"completed_at\":\""
                        + T0.plusSeconds(endMinute * 60L)
                        + "\",\"completion_rate\":1.0},\"op\":\"u\",\"source\":{\"lsn\":1}}";
        return new RawRecord(
                "cdc.public.content_usage_tracking",
                0,
                id,
                "{\"id\":" + id + "}",
                json,
                T0.plusSeconds(endMinute * 60L).toEpochMilli());
    }

    @Test
    void aCalmerBodyAfterScoresAboveNeutralAnAgitatedOneBelowAndEachSessionOnce() throws Exception {
        List<BiometricReading> readings = new ArrayList<>();
        // person 1 calms down: HR 82 → 66, RMSSD 28 → 42; person 2 gets agitated: 70 → 85, 40 → 30
        readings.addAll(minutes(1, 0, 15, 82, 28));
        readings.addAll(minutes(1, 25, 45, 66, 42));
        readings.addAll(minutes(2, 0, 15, 70, 40));
        readings.addAll(minutes(2, 25, 45, 85, 30));
        // person 3 has readings before only: not measured
        readings.addAll(minutes(3, 0, 15, 75, 35));
        readings.addAll(minutes(4, 60, 120, 60, 50)); // moves event time past every window
        readings.sort(Comparator.comparing(BiometricReading::timestamp));
        List<RawRecord> usage =
                List.of(
                        usage(11, 1, 15, 25),
                        usage(12, 2, 15, 25),
                        usage(13, 3, 15, 25),
                        usage(11, 1, 15, 25),
                        new RawRecord(
                                "cdc.public.content_usage_tracking",
                                0,
                                99,
                                null,
                                "{\"op\":\"u\",\"after\":{\"id\":1}}",
                                T0.toEpochMilli()));

        ContentOptions o = new ContentOptions();
        new CommandLine(o).parseArgs("--max-out-of-orderness-s", "5", "--idleness-s", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<BiometricReading> in =
                env.fromData(readings)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<BiometricReading>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(5))
                                        .withTimestampAssigner(
                                                (r, ts) -> r.timestamp().toEpochMilli()));
        List<Measured> out = new ArrayList<>();
        ContentGraph.attach(
                        new ContentGraph.Inputs(in, env.fromData(usage)),
                        o,
                        new ContentGraph.Sinks(new DiscardingSink<>(), new DiscardingSink<>()))
                .executeAndCollect()
                .forEachRemaining(out::add);
        out.sort(Comparator.comparingLong(Measured::usageId));
        assertEquals(
                List.of(11L, 12L), out.stream().map(Measured::usageId).toList(), out.toString());
        Measured calm = out.get(0);
        Measured agitated = out.get(1);
        assertEquals(-16, calm.hrChange(), 0.5);
        assertEquals(14, calm.rmssdChange(), 0.5);
        assertTrue(calm.body() > 0.8, calm.toString());
        assertEquals(15, agitated.hrChange(), 0.5);
        assertTrue(agitated.body() < 0.2, agitated.toString());
    }
}
