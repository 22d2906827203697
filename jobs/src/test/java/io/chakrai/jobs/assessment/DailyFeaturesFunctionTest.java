package io.chakrai.jobs.assessment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The day-closing operator with explicit watermarks: the person's clock, the fallback timer,
 * lateness, state.
 */
class DailyFeaturesFunctionTest {
    static final long DAY0 = LocalDate.of(2026, 6, 1).toEpochDay();
    static final long MIDNIGHT = DAY0 * 86_400_000L;
    static final long MIN = 60_000L;

    static KeyedOneInputStreamOperatorTestHarness<Integer, BiometricReading, RiskGraph.DayClosed>
            harness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DailyFeaturesFunction(30)),
                        BiometricReading::userId,
                        Types.INT);
        h.open();
        return h;
    }

    static void hr(
            KeyedOneInputStreamOperatorTestHarness<Integer, BiometricReading, RiskGraph.DayClosed>
                    h,
            int user,
            long at,
            double bpm)
            throws Exception {
        h.processElement(
                new BiometricReading(
                        user, 1, "heart_rate", bpm, "bpm", 1, 1, Instant.ofEpochMilli(at), null),
                at);
    }

    @Test
    void aDayClosesWhenThePersonsClockPassesItsEndPlusTheGracePeriod() throws Exception {
        var h = harness();
        for (int m = 0; m < 24 * 60; m += 60) {
            hr(h, 1, MIDNIGHT + m * MIN, 60 + m / 60);
        }
        hr(
                h,
                1,
                MIDNIGHT + 24 * 60 * MIN + 10 * MIN,
                70); // 00:10 the next day: within the grace period
        hr(h, 1, MIDNIGHT + 23 * 60 * MIN + 59 * MIN, 99); // a straggler for day 0: still counted
        assertTrue(h.extractOutputValues().isEmpty());
        hr(h, 1, MIDNIGHT + 24 * 60 * MIN + 31 * MIN, 71); // 00:31: day 0 closes
        List<RiskGraph.DayClosed> out = h.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(DAY0, out.get(0).epochDay());
        assertEquals(1, out.get(0).days().length);
        // 25 readings of day 0 (60..83 and 99): the 10th percentile of them, as percentile_cont
        assertEquals(62.4, out.get(0).days()[0][4], 1e-9);
        hr(h, 1, MIDNIGHT + 12 * 60 * MIN, 200); // late for a closed day: left out
        assertEquals(1, h.extractOutputValues().size());
    }

    @Test
    void someoneWhoStopsSendingIsClosedByEventTimeAndPeopleAreKeptApart() throws Exception {
        var h = harness();
        hr(h, 1, MIDNIGHT + 8 * 60 * MIN, 60);
        hr(h, 2, MIDNIGHT + 9 * 60 * MIN, 80);
        h.processWatermark(MIDNIGHT + 24 * 60 * MIN + 29 * MIN);
        assertTrue(h.extractOutputValues().isEmpty());
        h.processWatermark(MIDNIGHT + 24 * 60 * MIN + 30 * MIN);
        List<RiskGraph.DayClosed> out = h.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals(
                60,
                out.stream().filter(d -> d.userId() == 1).findFirst().orElseThrow().days()[0][4],
                1e-9);
        assertEquals(
                80,
                out.stream().filter(d -> d.userId() == 2).findFirst().orElseThrow().days()[0][4],
                1e-9);
    }

    @Test
    void aLateSyncedDayWaitsAGracePeriodOfEventTimeAndStateSurvivesARestore() throws Exception {
        var h = harness();
        hr(h, 1, MIDNIGHT + 2 * 86_400_000L, 60); // event time is two days on
        h.processWatermark(MIDNIGHT + 2 * 86_400_000L);
        hr(h, 2, MIDNIGHT + 10 * 60 * MIN, 75); // person 2 syncs day 0 now, behind event time
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();

        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DailyFeaturesFunction(30)),
                        BiometricReading::userId,
                        Types.INT);
        restored.initializeState(snapshot);
        restored.open();
        restored.processWatermark(MIDNIGHT + 2 * 86_400_000L + 29 * MIN);
        assertTrue(restored.extractOutputValues().isEmpty(), "the sync gets its grace period");
        restored.processWatermark(MIDNIGHT + 2 * 86_400_000L + 30 * MIN);
        List<RiskGraph.DayClosed> out = restored.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).userId());
        assertEquals(DAY0, out.get(0).epochDay());
        assertEquals(
                75, out.get(0).days()[0][4], 1e-9, "the day's figures came through the restore");
    }
}
