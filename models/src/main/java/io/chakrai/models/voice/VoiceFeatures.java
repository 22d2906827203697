package io.chakrai.models.voice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acoustic features of a recording, frame by frame (40 ms frames, 10 ms hop): fundamental frequency by
 * the YIN method (de Cheveigné &amp; Kawahara 2002) within 75–500 Hz, loudness, voicing and pauses.
 * Octave jumps are folded back toward the recording's median pitch. Jitter here is the mean absolute
 * difference of consecutive voiced frames' periods over the mean period (a frame-level approximation of
 * Praat's period-level "jitter (local)").
 */
public final class VoiceFeatures {
    static final double FRAME_S = 0.040;
    static final double HOP_S = 0.010;
    static final double MIN_F0 = 75;
    static final double MAX_F0 = 500;
    /** YIN's threshold on the cumulative mean normalised difference. */
    static final double YIN_THRESHOLD = 0.15;
    /** A frame more than this far below the loudest is a pause. */
    static final double PAUSE_DB = 35;

    private VoiceFeatures() {
    }

    /** The features, by name, with units in the names. */
    public static Map<String, Double> extract(WavAudio a) {
        int frame = (int) Math.round(FRAME_S * a.sampleRate());
        int hop = (int) Math.round(HOP_S * a.sampleRate());
        int maxLag = (int) Math.ceil(a.sampleRate() / MIN_F0);
        int minLag = (int) Math.floor(a.sampleRate() / MAX_F0);
        List<Double> db = new ArrayList<>();
        List<Double> f0 = new ArrayList<>();
        List<Double> f0OfLoud = new ArrayList<>();
        double[] d = new double[maxLag + 1];
        double maxDb = -200;
        List<double[]> frames = new ArrayList<>();
        for (int start = 0; start + Math.max(frame, 2 * maxLag) <= a.samples().length; start += hop) {
            double rms = 0;
            for (int i = start; i < start + frame; i++) {
                rms += a.samples()[i] * a.samples()[i];
            }
            double level = 10 * Math.log10(rms / frame + 1e-12);
            maxDb = Math.max(maxDb, level);
            frames.add(new double[] {start, level});
        }
        for (double[] fr : frames) {
            int start = (int) fr[0];
            double level = fr[1];
            db.add(level);
            boolean loud = level > maxDb - PAUSE_DB;
            double pitch = loud ? yin(a.samples(), start, maxLag, minLag, d, a.sampleRate()) : Double.NaN;
            f0.add(pitch);
            if (loud) {
                f0OfLoud.add(pitch);
            }
        }
        fixOctaveJumps(f0);
        double[] voiced = f0.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).toArray();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("duration_s", round(a.seconds(), 3));
        out.put("f0_mean_hz", round(mean(voiced), 2));
        out.put("f0_sd_hz", round(sd(voiced), 2));
        out.put("f0_range_hz", voiced.length == 0 ? Double.NaN
                : round(Arrays.stream(voiced).max().orElse(0) - Arrays.stream(voiced).min().orElse(0), 2));
        out.put("jitter_local", round(jitter(f0), 5));
        out.put("energy_mean_db", round(mean(db.stream().mapToDouble(Double::doubleValue).toArray()), 2));
        out.put("voiced_fraction", frames.isEmpty() ? Double.NaN : round(voiced.length / (double) frames.size(), 4));
        out.put("pause_ratio", frames.isEmpty() ? Double.NaN
                : round(1 - f0OfLoud.size() / (double) frames.size(), 4));
        return out;
    }

    /** YIN pitch of one frame in Hz, or NaN when the frame is not periodic enough. */
    static double yin(double[] x, int start, int maxLag, int minLag, double[] d, float rate) {
        int w = maxLag;
        Arrays.fill(d, 0);
        for (int tau = 1; tau <= maxLag; tau++) {
            double s = 0;
            for (int j = 0; j < w; j++) {
                double diff = x[start + j] - x[start + j + tau];
                s += diff * diff;
            }
            d[tau] = s;
        }
        double running = 0;
        d[0] = 1;
        for (int tau = 1; tau <= maxLag; tau++) {
            running += d[tau];
            d[tau] = running == 0 ? 1 : d[tau] * tau / running;
        }
        for (int tau = Math.max(2, minLag); tau < maxLag; tau++) {
            if (d[tau] < YIN_THRESHOLD) {
                while (tau + 1 < maxLag && d[tau + 1] < d[tau]) {
                    tau++;
                }
                // parabolic interpolation around the minimum
                double a = d[tau - 1];
                double b = d[tau];
                double c = d[tau + 1];
                double shift = (a - 2 * b + c) == 0 ? 0 : 0.5 * (a - c) / (a - 2 * b + c);
                return rate / (tau + shift);
            }
        }
        return Double.NaN;
    }

    /**
     * YIN can lock onto half or twice the period of a frame; a voice does not jump an octave from one
     * frame to the next, so a frame near twice (or half) the recording's median pitch is folded back.
     */
    static void fixOctaveJumps(List<Double> f0) {
        double[] v = f0.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length < 5) {
            return;
        }
        double median = v[v.length / 2];
        for (int i = 0; i < f0.size(); i++) {
            double f = f0.get(i);
            if (!Double.isFinite(f)) {
                continue;
            }
            if (f > 1.6 * median && Math.abs(f / 2 - median) < 0.35 * median) {
                f0.set(i, f / 2);
            } else if (f < 0.625 * median && Math.abs(f * 2 - median) < 0.35 * median) {
                f0.set(i, f * 2);
            }
        }
    }

    private static double jitter(List<Double> f0) {
        double sum = 0;
        int n = 0;
        double periods = 0;
        int m = 0;
        for (int i = 1; i < f0.size(); i++) {
            double a = f0.get(i - 1);
            double b = f0.get(i);
            if (Double.isFinite(a) && Double.isFinite(b)) {
                sum += Math.abs(1 / a - 1 / b);
                n++;
            }
            if (Double.isFinite(b)) {
                periods += 1 / b;
                m++;
            }
        }
        return n == 0 || m == 0 ? Double.NaN : (sum / n) / (periods / m);
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
