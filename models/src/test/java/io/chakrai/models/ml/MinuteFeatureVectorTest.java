package io.chakrai.models.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MinuteFeatureVectorTest {
    @Test
    void theScoringPathAndTheTrainingPathGiveIdenticalNumbers() {
        Random r = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(60);
            double[] hr = new double[n];
            List<BiometricReading> minute = new ArrayList<>();
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < n; i++) {
                hr[i] = 40 + 120 * r.nextDouble();
                minute.add(
                        new BiometricReading(
                                1, 1, "heart_rate", hr[i], "bpm", 1, 1, t.plusSeconds(i), null));
            }
            double rmssd = 10 + 80 * r.nextDouble();
            minute.add(new BiometricReading(1, 1, "hrv", rmssd, "ms", 1, 1, t, null));
            double[] scoring = MinuteFeatureVector.of(minute).orElseThrow();
            double[] training = MinuteFeatureVector.meanAndSd(hr);
            assertArrayEquals(new double[] {training[0], training[1], rmssd}, scoring, 0.0);
        }
    }

    @Test
    void knownValuesAndMissingParts() {
        double[] v = MinuteFeatureVector.meanAndSd(new double[] {60, 62, 64, 66});
        assertEquals(63, v[0], 1e-12);
        assertEquals(Math.sqrt(5), v[1], 1e-12, "population SD");
        assertTrue(
                MinuteFeatureVector.of(
                                List.of(
                                        new BiometricReading(
                                                1, 1, "hrv", 40, "ms", 1, 1, Instant.EPOCH, null)))
                        .isEmpty(),
                "no heart rate, no vector");
        double[] noHrv =
                MinuteFeatureVector.of(
                                List.of(
                                        new BiometricReading(
                                                1,
                                                1,
                                                "heart_rate",
                                                70,
                                                "bpm",
                                                1,
                                                1,
                                                Instant.EPOCH,
                                                null)))
                        .orElseThrow();
        assertTrue(Double.isNaN(noHrv[2]));
        assertEquals(0, noHrv[1]);
    }
}
