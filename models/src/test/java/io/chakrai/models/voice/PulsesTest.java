package io.chakrai.models.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PulsesTest {
    static final int RATE = 16_000;

    /** A voice-like wave whose every period has a known length and loudness. */
    record Voice(double[] x, double jitter, double shimmer) {}

    static Voice voice(double hz, double jitter, double shimmer, long seed) {
        Random r = new Random(seed);
        double[] x = new double[2 * RATE];
        double t = 0;
        double[] periods = new double[400];
        double[] amplitudes = new double[400];
        int n = 0;
        while (n < periods.length) {
            double period =
                    RATE / hz * (1 + jitter * (r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble()));
            double amplitude =
                    0.5 * (1 + shimmer * (r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble()));
            int from = (int) Math.ceil(t);
            if (t + period >= x.length) {
                break;
            }
            for (int i = from; i < t + period; i++) {
                double u = (i - t) / period;
                x[i] =
                        amplitude
                                * (Math.sin(2 * Math.PI * u)
                                        + 0.5 * Math.sin(4 * Math.PI * u)
                                        + 0.25 * Math.sin(6 * Math.PI * u))
                                / 1.6;
            }
            periods[n] = period;
            amplitudes[n] = amplitude;
            n++;
            t += period;
        }
        // the definitions themselves on what was made: mean |difference of neighbours| / mean
        double dp = 0;
        double da = 0;
        for (int i = 1; i < n; i++) {
            dp += Math.abs(periods[i] - periods[i - 1]);
            da += Math.abs(amplitudes[i] - amplitudes[i - 1]);
        }
        double mp = java.util.Arrays.stream(periods, 0, n).average().orElseThrow();
        double ma = java.util.Arrays.stream(amplitudes, 0, n).average().orElseThrow();
        return new Voice(x, dp / (n - 1) / mp, da / (n - 1) / ma);
    }

    @ParameterizedTest(name = "{0} Hz, jitter {1}, shimmer {2}")
    @CsvSource({"110, 0.01, 0.05", "200, 0.02, 0.10", "150, 0.005, 0.15"})
    void periodLevelJitterAndShimmerMeasureWhatWasMade(double hz, double jitter, double shimmer)
            throws Exception {
        Voice v = voice(hz, jitter, shimmer, 11);
        Map<String, Double> f =
                VoiceFeatures.extract(WavAudio.read(VoiceFeaturesTest.wav(v.x(), RATE, 1)));
        assertEquals(
                v.jitter(),
                f.get("jitter_local"),
                0.25 * v.jitter(),
                "made " + v.jitter() + ": " + f);
        assertEquals(
                v.shimmer(),
                f.get("shimmer_local"),
                0.35 * v.shimmer(),
                "made " + v.shimmer() + ": " + f);
    }

    @Test
    void aSteadyVoiceHasNeitherAndTheConstraintsDropImpossiblePeriods() throws Exception {
        Voice steady = voice(150, 0, 0, 1);
        Map<String, Double> f =
                VoiceFeatures.extract(WavAudio.read(VoiceFeaturesTest.wav(steady.x(), RATE, 1)));
        assertTrue(f.get("jitter_local") < 0.001 && f.get("shimmer_local") < 0.005, f.toString());
        // a 25 ms gap (longer than the 20 ms maximum period) and a period 1.5 times its neighbour
        // are not jitter
        double[] pulses = {0, 100, 200, 300, 700, 800, 900, 1050, 1150};
        assertEquals(Double.NaN, Pulses.jitterLocal(new double[] {0, 400}, RATE));
        assertEquals(
                0.0,
                Pulses.jitterLocal(new double[] {0, 100, 200, 300, 700, 800, 900}, RATE),
                1e-12);
        assertTrue(
                Pulses.jitterLocal(pulses, RATE) == 0.0,
                "the 150-sample period is 1.5 times its neighbours");
        assertEquals(1.0, Pulses.hannRms(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 4, 3, 3), 1e-12);
    }
}
