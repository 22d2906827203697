package io.chakrai.models.voice;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Mel-frequency cepstral coefficients as speech research computes them: pre-emphasis 0.97, 25-ms
 * Hamming frames every 10 ms, power spectrum by FFT (commons-math3), 26 triangular mel filters (HTK
 * mel scale, 20 Hz to min(8 kHz, Nyquist), each normalised to unit area so a flat spectrum gives
 * flat filter energies), natural log, orthonormal DCT-II, coefficients c0–c12. c0 follows loudness;
 * c1–c12 describe the spectral envelope and do not change when the recording is only louder or
 * quieter.
 */
public final class Mfcc {
    public static final int COEFFICIENTS = 13;
    static final int FILTERS = 26;
    static final double FRAME_S = 0.025;
    static final double HOP_S = 0.010;
    static final double PRE_EMPHASIS = 0.97;
    static final double LOW_HZ = 20;
    static final double HIGH_HZ = 8_000;

    private final int frame;
    private final int hop;
    private final int nfft;
    private final double[] window;
    private final double[][] filters;
    private final double[][] dct;
    private final FastFourierTransformer fft =
            new FastFourierTransformer(DftNormalization.STANDARD);

    public Mfcc(float sampleRate) {
        frame = (int) Math.round(FRAME_S * sampleRate);
        hop = (int) Math.round(HOP_S * sampleRate);
        nfft = Integer.highestOneBit(frame - 1) << 1;
        window = new double[frame];
        for (int i = 0; i < frame; i++) {
            window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frame - 1));
        }
        filters = melFilters(sampleRate, nfft);
        dct = new double[COEFFICIENTS][FILTERS];
        for (int k = 0; k < COEFFICIENTS; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / FILTERS);
            for (int m = 0; m < FILTERS; m++) {
                dct[k][m] = scale * Math.cos(Math.PI * k * (m + 0.5) / FILTERS);
            }
        }
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /**
     * Triangular filters evenly spaced in mel, each with unit area over the FFT bins' frequencies.
     */
    static double[][] melFilters(float rate, int nfft) {
        int bins = nfft / 2 + 1;
        double high = Math.min(HIGH_HZ, rate / 2.0);
        double[] edges = new double[FILTERS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hz(mel(LOW_HZ) + i * (mel(high) - mel(LOW_HZ)) / (FILTERS + 1));
        }
        double[][] f = new double[FILTERS][bins];
        for (int m = 0; m < FILTERS; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            for (int b = 0; b < bins; b++) {
                double freq = b * (double) rate / nfft;
                double w =
                        freq <= lo || freq >= hi
                                ? 0
                                : freq <= mid ? (freq - lo) / (mid - lo) : (hi - freq) / (hi - mid);
                f[m][b] = w * 2 / (hi - lo);
            }
        }
        return f;
    }

    public int frameLength() {
        return frame;
    }

    public int hop() {
        return hop;
    }

    /**
     * The frame's power spectrum, |FFT|² / nfft for bins 0..nfft/2, after pre-emphasis and the
     * window.
     */
    double[] powerSpectrum(double[] x, int start) {
        double[] buf = new double[nfft];
        for (int i = 0; i < frame; i++) {
            double prev = start + i == 0 ? 0 : x[start + i - 1];
            buf[i] = (x[start + i] - PRE_EMPHASIS * prev) * window[i];
        }
        Complex[] spectrum = fft.transform(buf, TransformType.FORWARD);
        double[] power = new double[nfft / 2 + 1];
        for (int b = 0; b < power.length; b++) {
            power[b] =
                    (spectrum[b].getReal() * spectrum[b].getReal()
                                    + spectrum[b].getImaginary() * spectrum[b].getImaginary())
                            / nfft;
        }
        return power;
    }

    /** c0–c12 of the frame starting at {@code start}. */
    public double[] coefficients(double[] x, int start) {
        return fromPower(powerSpectrum(x, start));
    }

    double[] fromPower(double[] power) {
        double[] logMel = new double[FILTERS];
        for (int m = 0; m < FILTERS; m++) {
            double e = 0;
            for (int b = 0; b < power.length; b++) {
                e += filters[m][b] * power[b];
            }
            logMel[m] = Math.log(Math.max(e, 1e-10));
        }
        double[] c = new double[COEFFICIENTS];
        for (int k = 0; k < COEFFICIENTS; k++) {
            for (int m = 0; m < FILTERS; m++) {
                c[k] += dct[k][m] * logMel[m];
            }
        }
        return c;
    }
}
