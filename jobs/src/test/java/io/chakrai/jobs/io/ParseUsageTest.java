package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Change events of content_usage_tracking as the CDC service writes them (Debezium JSON). */
class ParseUsageTest {
    static RawRecord change(String op, String row) {
        return Changes.change("cdc.public.content_usage_tracking", op, row);
    }

    @Test
    void completedSessionsWithTheirEffectAndDeletesAsErasures() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseUsage()));
        h.open();
        String started = "\"started_at\":\"2026-06-01T09:00:00Z\"";
        h.processElement(
                change(
                        "c",
                        "{\"id\":1,\"user_id\":7,\"content_id\":3,"
                                + started
                                + ",\"completed_at\":null}"),
                0);
        h.processElement(
                change(
                        "u",
                        "{\"id\":1,\"user_id\":7,\"content_id\":3,"
                                + started
                                + ",\"completed_at\":\"2026-06-01T09:10:00Z\",\"content_type\":\"meditation\",\"effectiveness\":0.7,"
                                + "\"hr_change\":\"-4.5\"}"),
                0);
        h.processElement(
                change("d", "{\"id\":1,\"user_id\":7}"),
                0); // an erasure: the replica identity's columns (V24)
        h.processElement(
                change("d", "{\"id\":2}"), 0); // a delete from before V24: no person, nothing to do
        assertEquals(null, h.getSideOutput(ParseUsage.DEAD_LETTERS), "nothing unreadable");
        long t = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
        assertEquals(
                List.of(
                        new Usage(1, 7, 3, t, t + 600_000, "meditation", 0.7, -4.5),
                        Usage.erasure(1, 7)),
                h.extractOutputValues(),
                "a session not completed yet is not one");
    }
}
