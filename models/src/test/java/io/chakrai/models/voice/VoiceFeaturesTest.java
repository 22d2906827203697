package io.chakrai.models.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoiceFeaturesTest {
    static final int RATE = 16_000;

    /** A 16-bit mono PCM WAV of the given samples, written by the JDK. */
    static byte[] wav(double[] x, int rate, int channels) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(x.length * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : x) {
            for (int c = 0; c < channels; c++) {
                b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32_000));
            }
        }
        AudioFormat f = new AudioFormat(rate, 16, channels, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(
                new AudioInputStream(new ByteArrayInputStream(b.array()), f, x.length),
                AudioFileFormat.Type.WAVE,
                out);
        return out.toByteArray();
    }

    static double[] tone(double hz, double seconds, int rate) {
        double[] x = new double[(int) (seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5 * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    @ParameterizedTest(name = "a {0} Hz tone is {0} Hz")
    @ValueSource(doubles = {100, 150, 220, 330})
    void aPureToneHasItsOwnPitchAndNoJitter(double hz) throws Exception {
        Map<String, Double> f =
                VoiceFeatures.extract(WavAudio.read(wav(tone(hz, 2, RATE), RATE, 1)));
        assertEquals(hz, f.get("f0_mean_hz"), hz * 0.005, f.toString());
        assertTrue(f.get("f0_sd_hz") < 0.5, f.toString());
        assertTrue(f.get("jitter_local") < 0.002, f.toString());
        assertTrue(f.get("voiced_fraction") > 0.95, f.toString());
        assertEquals(2.0, f.get("duration_s"), 0.01);
    }

    @Test
    void noiseLowersHnrAndAmplitudeWobbleRaisesShimmer() throws Exception {
        java.util.Random r = new java.util.Random(1);
        double[] clean = tone(150, 2, RATE);
        double[] noisy = clean.clone();
        double[] wobbly = clean.clone();
        for (int i = 0; i < clean.length; i++) {
            noisy[i] += 0.15 * r.nextGaussian();
            // a slow (3 Hz) loudness wobble: frame-level shimmer sees changes between 10-ms frames,
            // not within a cycle
            wobbly[i] *= 1 + 0.3 * Math.sin(2 * Math.PI * 3 * i / RATE);
        }
        Map<String, Double> c = VoiceFeatures.extract(WavAudio.read(wav(clean, RATE, 1)));
        Map<String, Double> n = VoiceFeatures.extract(WavAudio.read(wav(noisy, RATE, 1)));
        Map<String, Double> w = VoiceFeatures.extract(WavAudio.read(wav(wobbly, RATE, 1)));
        assertTrue(c.get("hnr_db") > 25, c.toString());
        assertTrue(n.get("hnr_db") < c.get("hnr_db") - 10, n + " vs " + c);
        assertTrue(c.get("shimmer_local") < 0.01, c.toString());
        assertTrue(
                w.get("shimmer_local") > 5 * c.get("shimmer_local")
                        && w.get("shimmer_local") > 0.02,
                w.toString());
    }

    @Test
    void fourSyllablesASecondAreCountedAsFour() throws Exception {
        // 3 s of 120 ms "syllables" (a tone with a smooth envelope) every 250 ms
        double[] x = new double[3 * RATE];
        for (int s = 0; s < 12; s++) {
            int start = s * RATE / 4;
            int len = (int) (0.12 * RATE);
            for (int i = 0; i < len && start + i < x.length; i++) {
                double env = Math.sin(Math.PI * i / len);
                x[start + i] = 0.6 * env * Math.sin(2 * Math.PI * 140 * i / RATE);
            }
        }
        Map<String, Double> f = VoiceFeatures.extract(WavAudio.read(wav(x, RATE, 1)));
        assertEquals(4.0, f.get("speech_rate_per_s"), 0.5, f.toString());
    }

    @Test
    void silenceBetweenTonesIsCountedAsPause() throws Exception {
        double[] a = tone(150, 1, RATE);
        double[] x = new double[a.length * 2];
        System.arraycopy(a, 0, x, 0, a.length);
        Map<String, Double> f = VoiceFeatures.extract(WavAudio.read(wav(x, RATE, 1)));
        assertEquals(0.5, f.get("pause_ratio"), 0.05, f.toString());
        assertEquals(150, f.get("f0_mean_hz"), 1, f.toString());
    }

    @Test
    void stereoIsMixedDownAndOtherRatesWork() throws Exception {
        Map<String, Double> f =
                VoiceFeatures.extract(WavAudio.read(wav(tone(200, 1.5, 44_100), 44_100, 2)));
        assertEquals(200, f.get("f0_mean_hz"), 1, f.toString());
    }

    @Test
    void unusableRecordingsAreRefusedWithTheReason() throws Exception {
        assertEquals(
                "not a WAV file (no RIFF/WAVE header)",
                assertThrows(
                                WavAudio.InvalidAudioException.class,
                                () -> WavAudio.read("hello".getBytes()))
                        .getMessage());
        assertTrue(
                assertThrows(
                                WavAudio.InvalidAudioException.class,
                                () -> WavAudio.read(wav(tone(150, 0.5, RATE), RATE, 1)))
                        .getMessage()
                        .contains("0.5 s long"));
        byte[] good = wav(tone(150, 2, RATE), RATE, 1);
        byte[] truncated = java.util.Arrays.copyOf(good, 40);
        assertThrows(WavAudio.InvalidAudioException.class, () -> WavAudio.read(truncated));
    }
}
