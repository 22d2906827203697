package io.chakrai.jobs.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.groups.GroupChanges;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Engagement with explicit watermarks: how it rises and falls, one pending check a participant,
 * nothing left after.
 */
class EngagementTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    static KeyedOneInputStreamOperatorTestHarness<Integer, GroupChanges.Message, Engagement.Level>
            harness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Engagement()),
                        GroupChanges.Message::participantId,
                        Types.INT);
        h.open();
        return h;
    }

    static void says(
            KeyedOneInputStreamOperatorTestHarness<Integer, GroupChanges.Message, Engagement.Level>
                    h,
            long id,
            int participant,
            long at)
            throws Exception {
        h.processElement(
                new GroupChanges.Message(
                        id,
                        1,
                        participant,
                        "text",
                        "hello",
                        0,
                        5,
                        Instant.ofEpochMilli(at),
                        false,
                        false),
                at);
    }

    @Test
    void eachMessageRaisesItAndItFallsWhenSomeoneGoesQuietUntilNothingIsKept() throws Exception {
        var h = harness();
        for (int i = 0; i < 6; i++) {
            says(h, i, 7, T0 + i * MIN);
        }
        List<Engagement.Level> out = h.extractOutputValues();
        assertEquals(0.28, out.get(0).level(), 1e-9, "one message");
        assertEquals(0.86, out.get(out.size() - 1).level(), 0.01, "six messages");
        assertEquals(1, h.numEventTimeTimers(), "one pending check, however many messages");
        h.processWatermark(new Watermark(T0 + 5 * MIN + Engagement.RECHECK_MS));
        double afterAnHour =
                h.extractOutputValues().get(h.extractOutputValues().size() - 1).level();
        assertTrue(
                afterAnHour < 0.86 && afterAnHour > 0.5,
                "an hour quiet: lower (" + afterAnHour + ")");
        h.processWatermark(new Watermark(T0 + 24 * 3_600_000L));
        List<Engagement.Level> all = h.extractOutputValues();
        assertTrue(
                all.get(all.size() - 1).level() <= 0.05,
                "a day quiet: about none (" + all.get(all.size() - 1) + ")");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(
                    Math.abs(all.get(i).level() - all.get(i - 1).level()) >= 0.0499,
                    "only moves of 0.05 or more are emitted");
        }
        assertEquals(0, h.numKeyedStateEntries(), "state left");
        assertEquals(0, h.numEventTimeTimers(), "timers left");
        h.close();
    }

    @Test
    void theEndOfABoundedInputIsNotSilence() throws Exception {
        var h = harness();
        says(h, 1, 8, T0);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(List.of(new Engagement.Level(8, 0.28, T0)), h.extractOutputValues());
        h.close();
    }
}
