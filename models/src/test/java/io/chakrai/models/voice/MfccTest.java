package io.chakrai.models.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MfccTest {
    static final int RATE = 16_000;

    /** The same frame's coefficients from a plain O(n²) DFT and textbook formulas. */
    static double[] naive(Mfcc m, double[] x, int start, int nfft) {
        int frame = m.frameLength();
        double[] buf = new double[nfft];
        for (int i = 0; i < frame; i++) {
            double prev = start + i == 0 ? 0 : x[start + i - 1];
            buf[i] =
                    (x[start + i] - 0.97 * prev)
                            * (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frame - 1)));
        }
        double[] power = new double[nfft / 2 + 1];
        for (int k = 0; k < power.length; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < nfft; n++) {
                re += buf[n] * Math.cos(2 * Math.PI * k * n / nfft);
                im -= buf[n] * Math.sin(2 * Math.PI * k * n / nfft);
            }
            power[k] = (re * re + im * im) / nfft;
        }
        double[][] filters = Mfcc.melFilters(RATE, nfft);
        double[] logMel = new double[Mfcc.FILTERS];
        for (int f = 0; f < Mfcc.FILTERS; f++) {
            double e = 0;
            for (int k = 0; k < power.length; k++) {
                e += filters[f][k] * power[k];
            }
            logMel[f] = Math.log(Math.max(e, 1e-10));
        }
        double[] c = new double[Mfcc.COEFFICIENTS];
        for (int q = 0; q < c.length; q++) {
            for (int f = 0; f < Mfcc.FILTERS; f++) {
                c[q] += logMel[f] * Math.cos(Math.PI * q * (f + 0.5) / Mfcc.FILTERS);
            }
            c[q] *= Math.sqrt((q == 0 ? 1.0 : 2.0) / Mfcc.FILTERS);
        }
        return c;
    }

    static double[] noise(int n, long seed, double amplitude) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = amplitude * r.nextGaussian();
        }
        return x;
    }

    @Test
    void theFftPathEqualsAPlainDft() {
        Mfcc m = new Mfcc(RATE);
        double[] x = noise(RATE, 1, 0.1);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.3 * Math.sin(2 * Math.PI * 180 * i / RATE);
        }
        for (int start : new int[] {0, 1_234, 8_000}) {
            double[] fast = m.coefficients(x, start);
            double[] slow = naive(m, x, start, 512);
            for (int k = 0; k < fast.length; k++) {
                assertEquals(slow[k], fast[k], 1e-6, "c" + k + " at " + start);
            }
        }
    }

    @Test
    void filtersSpanTheSpeechBandWithUnitArea() {
        double[][] f = Mfcc.melFilters(RATE, 512);
        assertEquals(Mfcc.FILTERS, f.length);
        double binHz = RATE / 512.0;
        for (int m = 5; m < Mfcc.FILTERS; m++) {
            double area = 0;
            for (double w : f[m]) {
                area += w * binHz;
            }
            assertEquals(1.0, area, 0.1, "filter " + m);
        }
        assertEquals(0, f[Mfcc.FILTERS - 1][256], 1e-12, "nothing above 8 kHz");
    }

    @Test
    void loudnessMovesOnlyC0() {
        Mfcc m = new Mfcc(RATE);
        double[] x = noise(4_000, 2, 0.05);
        double[] louder = x.clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 4;
        }
        double[] a = m.coefficients(x, 400);
        double[] b = m.coefficients(louder, 400);
        // |4x|² = 16 |x|²: every log filter energy rises by ln 16, which the orthonormal DCT puts
        // in c0 only
        assertEquals(Math.log(16) * Math.sqrt(Mfcc.FILTERS), b[0] - a[0], 1e-6);
        for (int k = 1; k < Mfcc.COEFFICIENTS; k++) {
            assertEquals(a[k], b[k], 1e-6, "c" + k);
        }
    }

    @Test
    void aLowVoiceAndAHighHissHaveOppositeSpectralSlopes() throws Exception {
        double[] low = new double[2 * RATE];
        for (int i = 0; i < low.length; i++) {
            for (int h = 1; h <= 5; h++) {
                low[i] += 0.2 / h * Math.sin(2 * Math.PI * 120 * h * i / RATE);
            }
        }
        double[] hiss = noise(2 * RATE, 3, 0.2);
        for (int i = hiss.length - 1; i > 0; i--) {
            hiss[i] -= 0.95 * hiss[i - 1]; // high-pass: energy rises with frequency
        }
        Map<String, Double> voice =
                VoiceFeatures.mfccSummary(WavAudio.read(VoiceFeaturesTest.wav(low, RATE, 1)));
        Map<String, Double> noise =
                VoiceFeatures.mfccSummary(WavAudio.read(VoiceFeaturesTest.wav(hiss, RATE, 1)));
        // c1 weighs low filters against high ones: positive when energy sits low, negative when it
        // sits high
        assertTrue(voice.get("mfcc_c1_mean") > 5, voice.toString());
        assertTrue(noise.get("mfcc_c1_mean") < 0, noise.toString());
        assertTrue(
                voice.get("mfcc_c1_sd") < 1 && noise.get("mfcc_c1_sd") < 3,
                "steady signals vary little");
        assertEquals(26, voice.size());
    }
}
