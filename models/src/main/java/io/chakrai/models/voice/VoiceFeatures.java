package io.chakrai.models.voice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acoustic features of a recording, frame by frame (40 ms frames, 10 ms hop): fundamental frequency
 * by the YIN method (de Cheveigné &amp; Kawahara 2002) within 75–500 Hz, loudness, voicing and
 * pauses. Octave jumps are folded back toward the recording's median pitch. Jitter and shimmer are
 * Praat's period-level "local" measures on glottal pulses ({@link Pulses}); HNR is Boersma's
 * autocorrelation HNR per voiced frame; speech rate counts syllable nuclei (loudness peaks of
 * voiced frames) per second; MFCCs ({@link Mfcc}) are summarised by mean and SD over the frames
 * that are not pauses.
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

    private VoiceFeatures() {}

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
        for (int start = 0;
                start + Math.max(frame, 2 * maxLag) <= a.samples().length;
                start += hop) {
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
            double pitch =
                    loud ? yin(a.samples(), start, maxLag, minLag, d, a.sampleRate()) : Double.NaN;
            f0.add(pitch);
            if (loud) {
                f0OfLoud.add(pitch);
            }
        }
        fixOctaveJumps(f0);
        double[] voiced =
                f0.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).toArray();
        List<Double> hnr = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            double pitch = f0.get(k);
            if (Double.isFinite(pitch)) {
                hnr.add(
                        harmonicsToNoise(
                                a.samples(),
                                (int) frames.get(k)[0],
                                frame,
                                a.sampleRate() / pitch,
                                a.sampleRate()));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("duration_s", round(a.seconds(), 3));
        out.put("f0_mean_hz", round(mean(voiced), 2));
        out.put("f0_sd_hz", round(sd(voiced), 2));
        out.put(
                "f0_range_hz",
                voiced.length == 0
                        ? Double.NaN
                        : round(
                                Arrays.stream(voiced).max().orElse(0)
                                        - Arrays.stream(voiced).min().orElse(0),
                                2));
        double[] pulses = Pulses.find(a.samples(), f0, frame, hop, a.sampleRate());
        out.put("jitter_local", round(Pulses.jitterLocal(pulses, a.sampleRate()), 5));
        out.put(
                "shimmer_local",
                round(Pulses.shimmerLocal(a.samples(), pulses, a.sampleRate()), 5));
        out.put(
                "hnr_db",
                round(
                        mean(
                                hnr.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .filter(Double::isFinite)
                                        .toArray()),
                        2));
        out.put(
                "energy_mean_db",
                round(mean(db.stream().mapToDouble(Double::doubleValue).toArray()), 2));
        out.put("speech_rate_per_s", round(syllableNuclei(db, f0, maxDb) / a.seconds(), 3));
        out.put(
                "voiced_fraction",
                frames.isEmpty() ? Double.NaN : round(voiced.length / (double) frames.size(), 4));
        out.put(
                "pause_ratio",
                frames.isEmpty()
                        ? Double.NaN
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
     * YIN can lock onto a multiple or a fraction of the period for a frame or two; a voice does not
     * jump like that between 10-ms frames. A frame more than 25 % away from the median of its
     * voiced neighbours (within 150 ms on each side, so a run of a few wrong frames cannot outvote
     * them) is moved by the whole-number ratio (1/4 to 4) that brings it within 15 % of that
     * median, and dropped as unvoiced when none does. Praat's pitch path-finding serves the same
     * purpose.
     */
    static void fixOctaveJumps(List<Double> f0) {
        double[] original = f0.stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < original.length; i++) {
            double f = original[i];
            if (!Double.isFinite(f)) {
                continue;
            }
            List<Double> around = new ArrayList<>();
            for (int j = Math.max(0, i - 15); j <= Math.min(original.length - 1, i + 15); j++) {
                if (j != i && Double.isFinite(original[j])) {
                    around.add(original[j]);
                }
            }
            if (around.size() < 3) {
                continue;
            }
            double local = around.stream().sorted().toList().get(around.size() / 2);
            if (Math.abs(f / local - 1) <= 0.25) {
                continue;
            }
            double fixed = Double.NaN;
            for (int n = 2; n <= 4 && Double.isNaN(fixed); n++) {
                if (Math.abs(f / n / local - 1) <= 0.15) {
                    fixed = f / n;
                } else if (Math.abs(f * n / local - 1) <= 0.15) {
                    fixed = f * n;
                }
            }
            f0.set(i, fixed);
        }
    }

    /**
     * Harmonics-to-noise ratio of a frame, dB, after Boersma (1993) as Praat's "To Harmonicity
     * (cc)" does it: over a window of one period of the lowest pitch (13.3 ms) centred in the
     * frame, the normalised cross-correlation r with the signal one period later, at its best lag
     * within ±10 % of the frame's pitch period (the peak's value refined by a parabola); HNR = 10
     * log10(r / (1 − r)), at most 80 dB.
     */
    static double harmonicsToNoise(
            double[] x, int frameStart, int frame, double periodSamples, float rate) {
        int window = (int) Math.round(rate / MIN_F0);
        int start = frameStart + frame / 2 - window / 2;
        int minLag = Math.max(1, (int) Math.floor(0.9 * periodSamples));
        int maxLag = (int) Math.ceil(1.1 * periodSamples);
        if (start < 0 || start + window + maxLag + 1 >= x.length) {
            return Double.NaN;
        }
        double[] r = new double[maxLag + 2];
        int best = minLag;
        for (int lag = minLag - 1; lag <= maxLag + 1; lag++) {
            double xy = 0;
            double xx = 0;
            double yy = 0;
            for (int i = start; i < start + window; i++) {
                xy += x[i] * x[i + lag];
                xx += x[i] * x[i];
                yy += x[i + lag] * x[i + lag];
            }
            r[lag] = xy / Math.sqrt(xx * yy + 1e-30);
            if (lag >= minLag && lag <= maxLag && r[lag] > r[best]) {
                best = lag;
            }
        }
        double a = r[best - 1];
        double b = r[best];
        double c = r[best + 1];
        double curvature = a - 2 * b + c;
        double peak = curvature < 0 ? b - (a - c) * (a - c) / (8 * curvature) : b;
        peak = Math.min(1 - 1e-8, Math.max(1e-5, peak));
        return 10 * Math.log10(peak / (1 - peak));
    }

    /**
     * Syllable nuclei (after de Jong &amp; Wempe 2009, simplified): loudness peaks of voiced frames
     * that stand at least 2 dB above the dips on both sides and within 25 dB of the loudest frame.
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
            if (Double.isFinite(f0.get(peakAt))
                    && peak > maxDb - 25
                    && peak - leftDip >= 2
                    && peak - rightDip >= 2) {
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
