package io.chakrai.jobs.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.io.Usage;
import io.chakrai.models.readings.BiometricReading;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The before/after operator with explicit watermarks: what it measures, and that its state and
 * timers stay bounded.
 */
class BeforeAndAfterTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    static KeyedTwoInputStreamOperatorTestHarness<Integer, BiometricReading, Usage, Measured>
            harness() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new BeforeAndAfter()),
                        BiometricReading::userId,
                        Usage::userId,
                        Types.INT);
        h.open();
        return h;
    }

    static void hr(
            KeyedTwoInputStreamOperatorTestHarness<Integer, BiometricReading, Usage, Measured> h,
            int user,
            long at,
            double bpm)
            throws Exception {
        h.processElement1(
                new BiometricReading(
                        user, 1, "heart_rate", bpm, "bpm", 1, 1, Instant.ofEpochMilli(at), null),
                at);
    }

    @Test
    void aCalmingSessionIsMeasuredOnceAndItsMinutesAreForgottenAfterwards() throws Exception {
        var h = harness();
        // 20 minutes at 80 bpm, a 10-minute session, then 20 minutes at 70 bpm
        for (long m = 0; m < 50; m++) {
            hr(h, 7, T0 + m * MIN, m < 30 ? 80 : 70);
        }
        h.processElement2(
                new Usage(
                        1,
                        7,
                        9,
                        T0 + 20 * MIN,
                        T0 + 30 * MIN,
                        "meditation",
                        Double.NaN,
                        Double.NaN),
                T0 + 30 * MIN);
        h.processBothWatermarks(new Watermark(T0 + 46 * MIN));
        List<Measured> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals(-10.0, out.get(0).hrChange(), 1e-9);
        // the same row again (its own update coming back) is not measured twice
        h.processElement2(
                new Usage(
                        1,
                        7,
                        9,
                        T0 + 20 * MIN,
                        T0 + 30 * MIN,
                        "meditation",
                        Double.NaN,
                        Double.NaN),
                T0 + 47 * MIN);
        assertEquals(1, h.extractOutputValues().size());
        // three hours on, nothing of the minutes is kept and no timer is left
        h.processBothWatermarks(
                new Watermark(
                        T0 + 50 * MIN + BeforeAndAfter.KEEP_MS + BeforeAndAfter.CLEANUP_GRAIN_MS));
        assertEquals(0, h.numEventTimeTimers(), "timers left");
        assertEquals(1, h.numKeyedStateEntries(), "only the record that session 1 was measured");
        // the person is erased: the record goes too
        h.processElement2(Usage.erasure(1, 7), T0 + 51 * MIN);
        assertEquals(0, h.numKeyedStateEntries(), "nothing of the erased person");
        h.close();
    }

    @Test
    void aSessionWaitingToBeMeasuredWhenItsPersonIsErasedIsNever() throws Exception {
        var h = harness();
        for (long m = 0; m < 25; m++) {
            hr(h, 8, T0 + m * MIN, 80);
        }
        h.processElement2(
                new Usage(2, 8, 9, T0 + 20 * MIN, T0 + 25 * MIN, "story", Double.NaN, Double.NaN),
                T0 + 25 * MIN);
        h.processElement2(Usage.erasure(2, 8), T0 + 26 * MIN);
        for (long m = 25; m < 50; m++) {
            hr(h, 8, T0 + m * MIN, 70);
        }
        h.processBothWatermarks(
                new Watermark(
                        T0 + 50 * MIN + BeforeAndAfter.KEEP_MS + BeforeAndAfter.CLEANUP_GRAIN_MS));
        assertTrue(h.extractOutputValues().isEmpty(), "not measured: " + h.extractOutputValues());
        assertTrue(h.getSideOutput(BeforeAndAfter.LATE) == null, "nor sent to be measured later");
        assertEquals(0, h.numKeyedStateEntries(), "state left");
        assertEquals(0, h.numEventTimeTimers(), "timers left");
        h.close();
    }

    @Test
    void weeksOfHistoryKeepOneTimerAQuarterHourAndEndWithNoMinutes() throws Exception {
        var h = harness();
        long minutes = 14 * 24 * 60;
        for (long m = 0; m < minutes; m++) {
            hr(h, 3, T0 + m * MIN, 60 + m % 7);
            if (m == 600) {
                // while history arrives ahead of event time, timers grow by the quarter hour, not
                // by the minute
                assertTrue(
                        h.numEventTimeTimers() <= 600 / 15 + 2, "timers " + h.numEventTimeTimers());
            }
        }
        assertTrue(h.numEventTimeTimers() <= minutes / 15 + 2, "timers " + h.numEventTimeTimers());
        // event time passes the whole history at once, as after an upload
        long t = System.nanoTime();
        h.processBothWatermarks(
                new Watermark(
                        T0
                                + minutes * MIN
                                + BeforeAndAfter.KEEP_MS
                                + BeforeAndAfter.CLEANUP_GRAIN_MS));
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertEquals(0, h.numEventTimeTimers());
        assertEquals(
                0, h.numKeyedStateEntries(), "no minute, no session, no oldest-minute marker left");
        System.out.println("two weeks of minutes forgotten in " + ms + " ms");
        h.close();
    }

    @Test
    void aGapOfDaysBetweenSyncsIsForgottenWithoutWalkingEveryMinute() throws Exception {
        var h = harness();
        hr(h, 4, T0, 70);
        hr(h, 4, T0 + 30L * 24 * 60 * MIN, 71); // a month later
        h.processBothWatermarks(
                new Watermark(
                        T0
                                + 30L * 24 * 60 * MIN
                                + BeforeAndAfter.KEEP_MS
                                + BeforeAndAfter.CLEANUP_GRAIN_MS));
        assertEquals(0, h.numEventTimeTimers());
        assertEquals(0, h.numKeyedStateEntries());
        h.close();
    }
}
