package io.chakrai.jobs.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.models.groups.GroupChanges;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The change stream's duplicates: each message passes once, and what is remembered of it expires
 * after a day.
 */
class FirstOfEachMessageTest {
    static GroupChanges.Message message(long id, String content) {
        return new GroupChanges.Message(
                id,
                1,
                2,
                "text",
                content,
                0,
                5,
                Instant.parse("2026-06-01T09:00:00Z"),
                false,
                false);
    }

    @Test
    void aRedeliveredMessagePassesOnceAndIsForgottenAfterADay() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new FirstOfEachMessage()),
                        GroupChanges.Message::id,
                        Types.LONG);
        h.open();
        h.setStateTtlProcessingTime(0);
        h.processElement(message(1, "a"), 0);
        h.processElement(message(2, "b"), 0);
        h.processElement(message(1, "a"), 0);
        assertEquals(List.of(message(1, "a"), message(2, "b")), h.extractOutputValues());
        assertEquals(2, h.numKeyedStateEntries());
        // a day on (processing time) the memory of both has expired: the state does not grow with
        // every message ever
        // sent, and a copy that old passes again (the API's push is keyed by message id, so members
        // see it once)
        h.setStateTtlProcessingTime(24 * 3_600_000L + 1);
        h.processElement(message(1, "a"), 0);
        assertEquals(3, h.extractOutputValues().size());
        h.close();
    }
}
