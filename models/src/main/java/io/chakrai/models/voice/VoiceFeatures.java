package io.chakrai.models.voice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acoustic features of a recording, frame by frame (40 ms frames, 10 ms hop): fundamental frequency by
 * the YIN method (de Cheveigné &amp; Kawahara 2002) within 75–500 Hz, loudness, voicing and pauses.
 * Octave jumps are folded back toward the recording's median pitch. Jitter and shimmer here are frame-level
 * approximations of Praat's period-level "local" measures; HNR is Boersma's autocorrelation HNR per voiced
 * frame; speech rate counts syllable nuclei (loudness peaks of voiced frames) per second.
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
            double peak = 0;
            for (int i = start; i < start + frame; i++) {
                rms += a.samples()[i] * a.samples()[i];
                peak = Math.max(peak, Math.abs(a.samples()[i]));
            }
            double level = 10 * Math.log10(rms / frame + 1e-12);
            maxDb = Math.max(maxDb, level);
            frames.add(new double[] {start, level, peak});
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
        List<Double> hnr = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            double pitch = f0.get(k);
            if (Double.isFinite(pitch)) {
                hnr.add(harmonicsToNoise(a.samples(), (int) frames.get(k)[0], frame, a.sampleRate() / pitch));
                peaks.add(frames.get(k)[2]);
            } else {
                peaks.add(Double.NaN);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("duration_s", round(a.seconds(), 3));
        out.put("f0_mean_hz", round(mean(voiced), 2));
        out.put("f0_sd_hz", round(sd(voiced), 2));
        out.put("f0_range_hz", voiced.length == 0 ? Double.NaN
                : round(Arrays.stream(voiced).max().orElse(0) - Arrays.stream(voiced).min().orElse(0), 2));
        out.put("jitter_local", round(jitter(f0), 5));
        out.put("shimmer_local", round(jitterLike(peaks, false), 5));
        out.put("hnr_db", round(mean(hnr.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray()), 2));
        out.put("energy_mean_db", round(mean(db.stream().mapToDouble(Double::doubleValue).toArray()), 2));
        out.put("speech_rate_per_s", round(syllableNuclei(db, f0, maxDb) / a.seconds(), 3));
        out.put("voiced_fraction", frames.isEmpty() ? Double.NaN : round(voiced.length / (double) frames.size(), 4));
        out.put("pause_ratio", frames.isEmpty() ? Double.NaN
                : round(1 - f0OfLoud.size() / (double) frames.size(), 4));
        out.putAll(mfccSummary(a));
        return out;
    }

    /** Mean and SD of each MFCC (c0–c12) over the frames that are not pauses. */
    static Map<String, Double> mfccSummary(WavAudio a) {
        Mfcc mfcc = new Mfcc(a.sampleRate());
        double[] x = a.samples();
        List<double[]> coefficients = new ArrayList<>();
        List<Double> levels = new ArrayList<>();
        double loudest = -200;
        for (int start = 0; start + mfcc.frameLength() <= x.length; start += mfcc.hop()) {
            double e = 0;
            for (int i = start; i < start + mfcc.frameLength(); i++) {
                e += x[i] * x[i];
            }
            double level = 10 * Math.log10(e / mfcc.frameLength() + 1e-12);
            loudest = Math.max(loudest, level);
            levels.add(level);
            coefficients.add(mfcc.coefficients(x, start));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < Mfcc.COEFFICIENTS; k++) {
            List<Double> v = new ArrayList<>();
            for (int f = 0; f < coefficients.size(); f++) {
                if (levels.get(f) > loudest - PAUSE_DB) {
                    v.add(coefficients.get(f)[k]);
                }
            }
            double[] arr = v.stream().mapToDouble(Double::doubleValue).toArray();
            out.put("mfcc_c" + k + "_mean", round(mean(arr), 3));
            out.put("mfcc_c" + k + "_sd", round(sd(arr), 3));
        }
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
        return jitterLike(f0, true);
    }

    /**
     * Mean absolute difference of consecutive voiced frames' values over their mean: of the periods (1/F0) for
     * jitter, of the peak amplitudes for shimmer (frame-level approximations of Praat's "local" measures).
     */
    private static double jitterLike(List<Double> values, boolean periods) {
        double sum = 0;
        int n = 0;
        double total = 0;
        int m = 0;
        for (int i = 0; i < values.size(); i++) {
            double b = values.get(i);
            if (!Double.isFinite(b)) {
                continue;
            }
            double vb = periods ? 1 / b : b;
            total += vb;
            m++;
            double a = i == 0 ? Double.NaN : values.get(i - 1);
            if (Double.isFinite(a)) {
                sum += Math.abs((periods ? 1 / a : a) - vb);
                n++;
            }
        }
        return n == 0 || m == 0 || total == 0 ? Double.NaN : (sum / n) / (total / m);
    }

    /**
     * Harmonics-to-noise ratio of a frame, dB, from the normalised autocorrelation r at the pitch period
     * (Boersma 1993: HNR = 10 log10(r / (1 - r))).
     */
    static double harmonicsToNoise(double[] x, int start, int frame, double periodSamples) {
        int lag = (int) Math.floor(periodSamples);
        double frac = periodSamples - lag;
        if (start + frame + lag + 1 >= x.length) {
            return Double.NaN;
        }
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = start; i < start + frame; i++) {
            // the signal one period later, linearly interpolated between samples
            double y = x[i + lag] * (1 - frac) + x[i + lag + 1] * frac;
            xy += x[i] * y;
            xx += x[i] * x[i];
            yy += y * y;
        }
        double r = xy / Math.sqrt(xx * yy + 1e-18);
        r = Math.min(0.99999, Math.max(1e-5, r));
        return 10 * Math.log10(r / (1 - r));
    }

    /**
     * Syllable nuclei (after de Jong &amp; Wempe 2009, simplified): loudness peaks of voiced frames that stand
     * at least 2 dB above the dips on both sides and within 25 dB of the loudest frame.
     */
    static int syllableNuclei(List<Double> db, List<Double> f0, double maxDb) {
        int count = 0;
        int i = 0;
        while (i < db.size()) {
            // climb to a local peak
            while (i + 1 < db.size() && db.get(i + 1) >= db.get(i)) {
                i++;
            }
            double peak = db.get(i);
            int peakAt = i;
            double leftDip = peak;
            for (int j = peakAt; j >= 0 && db.get(j) <= leftDip + 1e-9; j--) {
                leftDip = db.get(j);
            }
            // descend to the next dip
            while (i + 1 < db.size() && db.get(i + 1) <= db.get(i)) {
                i++;
            }
            double rightDip = db.get(i);
            if (Double.isFinite(f0.get(peakAt)) && peak > maxDb - 25 && peak - leftDip >= 2 && peak - rightDip >= 2) {
                count++;
            }
            i++;
        }
        return count;
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
