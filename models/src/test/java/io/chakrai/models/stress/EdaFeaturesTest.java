package io.chakrai.models.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EdaFeaturesTest {
    /**
     * A minute at {@code hz}: a tonic level drifting slowly, with responses (2 s rise, slow
     * recovery) at the given seconds.
     */
    static EdaFeatures minute(
            double hz, double tonic, double drift, double amplitude, int... onsets) {
        int n = (int) (60 * hz);
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double s = i / hz;
            t[i] = Math.round(s * 1000);
            v[i] = tonic + drift * s / 60;
            for (int onset : onsets) {
                double d = s - onset;
                if (d >= 0) {
                    v[i] += d < 2 ? amplitude * d / 2 : amplitude * Math.exp(-(d - 2) / 4);
                }
            }
            v[i] += 0.003 * Math.sin(i * 1.7); // sensor noise well under the threshold
        }
        return EdaFeatures.of(t, v, 60_000);
    }

    @Test
    void countsEachResponseOnceWithItsAmplitudeAtAWatchsAndAnE4sRate() {
        for (double hz : new double[] {1, 4}) {
            EdaFeatures f = minute(hz, 2.0, 0, 0.2, 5, 20, 38);
            assertEquals(3, f.scrPerMinute(), 1e-9, "at " + hz + " Hz");
            assertEquals(0.2, f.scrAmplitude(), 0.03);
            assertEquals(2.0, f.tonic(), 0.02);
        }
    }

    @Test
    void aSlowTonicDriftAndNoiseAreNoResponses() {
        // 0.12 µS a minute: a tonic level rising as fast as it does when someone gets warm
        EdaFeatures f = minute(4, 5.0, 0.12, 0, new int[0]);
        assertEquals(0, f.scrPerMinute());
        assertEquals(0, f.scrAmplitude());
        assertTrue(
                f.tonic() > 5.0 && f.tonic() < 5.03,
                "the 10th percentile of the drift: " + f.tonic());
    }

    @Test
    void responsesBelowTheThresholdAreNotCountedAndNoSamplesIsNaN() {
        assertEquals(0, minute(4, 1.0, 0, 0.015, 10, 30).scrPerMinute());
        assertTrue(Double.isNaN(EdaFeatures.of(new long[0], new double[0], 60_000).tonic()));
    }
}
