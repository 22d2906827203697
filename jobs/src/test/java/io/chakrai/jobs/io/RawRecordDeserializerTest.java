package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.Arrival;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Kafka records become raw records with their coordinates and whether they arrived as history. */
class RawRecordDeserializerTest {
    static List<RawRecord> deserialize(RecordHeaders headers, byte[] value) {
        List<RawRecord> out = new ArrayList<>();
        new RawRecordDeserializer()
                .deserialize(
                        new ConsumerRecord<>(
                                "biometric.readings",
                                3,
                                42L,
                                1_700_000_000_000L,
                                TimestampType.CREATE_TIME,
                                1,
                                value == null ? -1 : value.length,
                                "7".getBytes(StandardCharsets.UTF_8),
                                value,
                                headers,
                                Optional.empty()),
                        new Collector<>() {
                            @Override
                            public void collect(RawRecord r) {
                                out.add(r);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void theHistoryHeaderIsKeptAndEverythingElseAsItCame() {
        byte[] value = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        RawRecord live = deserialize(new RecordHeaders(), value).get(0);
        assertFalse(live.history());
        assertEquals("biometric.readings", live.topic());
        assertEquals(3, live.partition());
        assertEquals(42L, live.offset());
        assertEquals("7", live.key());
        assertArrayEquals(value, live.bytes());
        assertEquals(1_700_000_000_000L, live.timestamp());
        RecordHeaders marked = new RecordHeaders();
        marked.add(new RecordHeader("other", new byte[] {9}));
        marked.add(new RecordHeader(Arrival.HISTORY_HEADER, new byte[] {1}));
        RawRecord past = deserialize(marked, value).get(0);
        assertTrue(past.history());
        assertEquals(live.offset(), past.offset());
        assertTrue(
                deserialize(new RecordHeaders(), null).get(0).bytes() == null,
                "an empty record still comes through");
    }
}
