package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.models.readings.BiometricReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sink's COPY text carries every reading's numbers and time exactly (they are written by fast
 * writers, not the JDK's).
 */
class CopyInCsvTest {
    @Test
    void everyValueAndInstantReadsBackAsItWas() {
        Random random = new Random(11);
        List<BiometricReading> rows = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            double value =
                    switch (random.nextInt(4)) {
                        case 0 -> 40 + random.nextInt(160);
                        case 1 -> random.nextDouble() * 1e-4;
                        case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
                        default -> random.nextDouble() * 200;
                    };
            Instant at =
                    Instant.ofEpochSecond(
                            1_600_000_000L + random.nextInt(400_000_000),
                            random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            rows.add(
                    new BiometricReading(
                            1 + random.nextInt(1000),
                            1 + random.nextInt(1000),
                            "heart_rate",
                            value,
                            "bpm",
                            random.nextDouble(),
                            random.nextDouble(),
                            at,
                            null));
        }
        String[] lines = ReadingsJdbcSink.CopyIn.csv(rows).split("\n");
        assertEquals(rows.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            BiometricReading r = rows.get(i);
            assertEquals(r.value(), Double.parseDouble(f[3]), lines[i]);
            assertEquals(r.quality(), Double.parseDouble(f[5]), lines[i]);
            assertEquals(r.confidence(), Double.parseDouble(f[6]), lines[i]);
            assertEquals(r.timestamp(), Instant.parse(f[7]), lines[i]);
        }
    }
}
