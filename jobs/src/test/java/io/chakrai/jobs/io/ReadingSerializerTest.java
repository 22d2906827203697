package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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

    /**
     * The bytes themselves, as the serializer wrote them before it followed {@code ReadingField}:
     * reordering the contract's list (for the docs, say) must not change them silently.
     */
    @Test
    void itsBytesAreTheLayoutPinnedHere() throws Exception {
        BiometricReading live =
                new BiometricReading(
                        7,
                        42,
                        "heart_rate",
                        72.5,
                        "bpm",
                        1.0,
                        0.9,
                        Instant.parse("2026-01-31T08:15:00.250Z"),
                        null);
        BiometricReading other =
                new BiometricReading(
                                123456,
                                -3,
                                "other_type",
                                -0.0,
                                null,
                                0.25,
                                0.5,
                                Instant.ofEpochSecond(-62_135_596_800L, 999_999_999),
                                "{\"src\":\"\u00e9\"}")
                        .asHistory();
        assertEquals(
                // user, device, type code, value, unit code, quality, confidence, seconds, nanos,
                // metadata (null), history
                "00000007"
                        + "0000002a"
                        + "00"
                        + "4052200000000000"
                        + "01"
                        + "3ff0000000000000"
                        + "3feccccccccccccd"
                        + "00000000697dba04"
                        + "0ee6b280"
                        + "00"
                        + "00",
                hex(live));
        assertEquals(
                // a text written out (code -1, then its length and characters), a null unit
                "0001e240"
                        + "fffffffd"
                        + "ff0b6f746865725f74797065"
                        + "8000000000000000"
                        + "ff00"
                        + "3fd0000000000000"
                        + "3fe0000000000000"
                        + "fffffff1886e0900"
                        + "3b9ac9ff"
                        + "0c7b22737263223a22e901227d"
                        + "01",
                hex(other));
    }

    private static String hex(BiometricReading r) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ReadingSerializer.INSTANCE.serialize(r, out);
        return HexFormat.of().formatHex(out.getCopyOfBuffer());
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
