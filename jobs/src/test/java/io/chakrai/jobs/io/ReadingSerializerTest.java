package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Readings cross operators unchanged: every field, canonical or not, null or not, history or live,
 * back to back in one buffer.
 */
class ReadingSerializerTest {
    private static BiometricReading reading(Random r) {
        DataType t = DataType.values()[r.nextInt(DataType.values().length)];
        String type = r.nextInt(10) == 0 ? "other_type" : t.wireName();
        String unit =
                switch (r.nextInt(10)) {
                    case 0 -> null;
                    case 1 -> "bpm\u0000µ\uD83D\uDE00";
                    default -> t.unit();
                };
        String metadata =
                r.nextInt(3) == 0 ? "{\"note\":\"" + "x".repeat(r.nextInt(3_000)) + "é\"}" : null;
        Instant at =
                Instant.ofEpochSecond(
                        r.nextLong(-50_000_000_000L, 50_000_000_000L), r.nextInt(1_000_000_000));
        BiometricReading reading =
                new BiometricReading(
                        1 + r.nextInt(Integer.MAX_VALUE - 1),
                        r.nextInt(),
                        type,
                        r.nextBoolean()
                                ? r.nextDouble() * 300
                                : Double.longBitsToDouble(r.nextLong()),
                        unit,
                        r.nextDouble(),
                        r.nextDouble(),
                        at,
                        metadata);
        return r.nextInt(4) == 0 ? reading.asHistory() : reading;
    }

    @Test
    void everyReadingComesBackAsItWas() throws Exception {
        Random r = new Random(5);
        List<BiometricReading> sent = new ArrayList<>();
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (int i = 0; i < 20_000; i++) {
            BiometricReading x = reading(r);
            sent.add(x);
            ReadingSerializer.INSTANCE.serialize(x, out);
        }
        DataInputDeserializer in =
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        for (BiometricReading x : sent) {
            BiometricReading back = ReadingSerializer.INSTANCE.deserialize(in);
            // records compare doubles as Double.compare does: -0.0 is not 0.0, any NaN is NaN
            assertEquals(x, back);
        }
        assertEquals(0, in.available(), "nothing left over");
        // a copy from one view to another writes the same bytes
        DataOutputSerializer copied = new DataOutputSerializer(1 << 16);
        DataInputDeserializer again =
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        for (int i = 0; i < sent.size(); i++) {
            ReadingSerializer.INSTANCE.copy(again, copied);
        }
        assertEquals(out.length(), copied.length());
        assertTrue(Arrays.equals(out.getCopyOfBuffer(), copied.getCopyOfBuffer()));
    }

    @Test
    void itsSnapshotRestoresItAndTheTypeCreatesIt() throws Exception {
        TypeSerializerSnapshot<BiometricReading> snapshot =
                ReadingSerializer.INSTANCE.snapshotConfiguration();
        assertSame(ReadingSerializer.INSTANCE, snapshot.restoreSerializer());
        assertTrue(
                snapshot.resolveSchemaCompatibility(
                                ReadingSerializer.INSTANCE.snapshotConfiguration())
                        .isCompatibleAsIs());
        assertSame(
                ReadingSerializer.INSTANCE,
                ReadingSerializer.TYPE.createSerializer(new SerializerConfigImpl()));
        assertEquals(BiometricReading.class, ReadingSerializer.TYPE.getTypeClass());
    }
}
