package io.chakrai.models.voice;

import java.util.ArrayList;
import java.util.List;

/**
 * Glottal pulses and the period-level voice measures defined by Praat's manual ("Voice 2. Jitter",
 * "Voice 3. Shimmer"), so the figures are comparable with published Praat norms. Pulses are placed
 * in each voiced stretch (runs of frames with a pitch) the way Praat's "To PointProcess (periodic,
 * cc)" is described: from the largest peak in the middle of the stretch, each next period is found
 * by cross-correlating one period with the signal around the expected place (0.8–1.2 of the local
 * pitch period), and the pulse is put on the waveform's peak there (sub-sample by a parabola).
 *
 * <ul>
 *   <li>jitter (local): mean absolute difference of consecutive periods over the mean period,
 *       counting only periods of 0.1–20 ms whose neighbours are at most 1.3 times longer or
 *       shorter;
 *   <li>shimmer (local): at each pulse, the Hann-windowed RMS over 0.2 of the period on either
 *       side; mean absolute difference of consecutive amplitudes (at most 1.6 times apart) over the
 *       mean amplitude.
 * </ul>
 */
public final class Pulses {
    static final double MIN_PERIOD_S = 0.0001;
    static final double MAX_PERIOD_S = 0.02;
    static final double PERIOD_FACTOR = 1.3;
    static final double AMPLITUDE_FACTOR = 1.6;

    /**
     * Below this normalised cross-correlation the next period is not a repeat of this one: the
     * stretch ends.
     */
    static final double MIN_CORRELATION = 0.4;

    private Pulses() {}

    /**
     * Pulse times in samples (fractional), in order.
     *
     * @param x the signal
     * @param f0 pitch per analysis frame, Hz (NaN where unvoiced)
     * @param frame analysis frame length, samples
     * @param hop analysis hop, samples
     * @param rate sample rate
     */
    public static double[] find(double[] x, List<Double> f0, int frame, int hop, float rate) {
        List<Double> pulses = new ArrayList<>();
        int k = 0;
        while (k < f0.size()) {
            if (!Double.isFinite(f0.get(k))) {
                k++;
                continue;
            }
            int first = k;
            while (k < f0.size() && Double.isFinite(f0.get(k))) {
                k++;
            }
            int from = first * hop;
            int to = Math.min(x.length - 1, (k - 1) * hop + frame);
            stretch(x, f0, frame, hop, rate, from, to, pulses);
        }
        return pulses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double period(List<Double> f0, int frame, int hop, float rate, double at) {
        int i = (int) Math.round((at - frame / 2.0) / hop);
        i = Math.max(0, Math.min(f0.size() - 1, i));
        for (int d = 0; d < f0.size(); d++) {
            if (i - d >= 0 && Double.isFinite(f0.get(i - d))) {
                return rate / f0.get(i - d);
            }
            if (i + d < f0.size() && Double.isFinite(f0.get(i + d))) {
                return rate / f0.get(i + d);
            }
        }
        return Double.NaN;
    }

    private static void stretch(
            double[] x,
            List<Double> f0,
            int frame,
            int hop,
            float rate,
            int from,
            int to,
            List<Double> out) {
        double mid = (from + to) / 2.0;
        double t0 = period(f0, frame, hop, rate, mid);
        if (!Double.isFinite(t0) || to - from < 3 * t0) {
            return;
        }
        // the largest peak of the period around the middle, and its polarity
        int seed = (int) (mid - t0 / 2);
        for (int i = (int) (mid - t0 / 2); i < mid + t0 / 2; i++) {
            if (Math.abs(x[i]) > Math.abs(x[seed])) {
                seed = i;
            }
        }
        double sign = Math.signum(x[seed]) == 0 ? 1 : Math.signum(x[seed]);
        double anchor = refine(x, seed, sign);
        List<Double> backward = new ArrayList<>();
        walk(x, f0, frame, hop, rate, from, to, anchor, -1, backward);
        for (int i = backward.size() - 1; i >= 0; i--) {
            out.add(backward.get(i));
        }
        out.add(anchor);
        walk(x, f0, frame, hop, rate, from, to, anchor, 1, out);
    }

    private static void walk(
            double[] x,
            List<Double> f0,
            int frame,
            int hop,
            float rate,
            int from,
            int to,
            double start,
            int direction,
            List<Double> out) {
        double p = start;
        while (true) {
            double t = period(f0, frame, hop, rate, p);
            int at = (int) Math.round(p);
            int half = (int) Math.round(t / 2);
            int minLag = (int) Math.floor(0.8 * t);
            int maxLag = (int) Math.ceil(1.2 * t);
            if (at - half - maxLag - 1 < from || at + half + maxLag + 1 > to) {
                return;
            }
            int best = -1;
            double bestR = -2;
            for (int lag = minLag; lag <= maxLag; lag++) {
                double r = correlation(x, at - half, at - half + direction * lag, 2 * half);
                if (r > bestR) {
                    bestR = r;
                    best = lag;
                }
            }
            if (bestR < MIN_CORRELATION) {
                return;
            }
            // the correlation peak between lags, by a parabola through the best lag and its
            // neighbours
            double before = correlation(x, at - half, at - half + direction * (best - 1), 2 * half);
            double after = correlation(x, at - half, at - half + direction * (best + 1), 2 * half);
            double curvature = before - 2 * bestR + after;
            double lag = best + (curvature < 0 ? 0.5 * (before - after) / curvature : 0);
            p += direction * lag;
            out.add(p);
        }
    }

    private static double correlation(double[] x, int a, int b, int n) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            ab += x[a + i] * x[b + i];
            aa += x[a + i] * x[a + i];
            bb += x[b + i] * x[b + i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /** Sub-sample position of a peak: the vertex of the parabola through it and its neighbours. */
    private static double refine(double[] x, int i, double sign) {
        if (i <= 0 || i >= x.length - 1) {
            return i;
        }
        double a = sign * x[i - 1];
        double b = sign * x[i];
        double c = sign * x[i + 1];
        double denominator = a - 2 * b + c;
        return denominator >= 0 ? i : i + 0.5 * (a - c) / denominator;
    }

    /** Jitter (local) of pulse times given in samples. */
    public static double jitterLocal(double[] pulses, float rate) {
        double min = MIN_PERIOD_S * rate;
        double max = MAX_PERIOD_S * rate;
        double diffSum = 0;
        int diffs = 0;
        double periodSum = 0;
        int periods = 0;
        for (int i = 1; i < pulses.length; i++) {
            double p = pulses[i] - pulses[i - 1];
            if (p < min || p > max) {
                continue;
            }
            periodSum += p;
            periods++;
            if (i >= 2) {
                double q = pulses[i - 1] - pulses[i - 2];
                if (q >= min && q <= max && Math.max(p, q) / Math.min(p, q) <= PERIOD_FACTOR) {
                    diffSum += Math.abs(p - q);
                    diffs++;
                }
            }
        }
        return diffs == 0 ? Double.NaN : (diffSum / diffs) / (periodSum / periods);
    }

    /** Shimmer (local) of the signal at pulse times given in samples. */
    public static double shimmerLocal(double[] x, double[] pulses, float rate) {
        double min = MIN_PERIOD_S * rate;
        double max = MAX_PERIOD_S * rate;
        List<double[]> amplitudes = new ArrayList<>(); // {time, amplitude}
        for (int i = 1; i + 1 < pulses.length; i++) {
            double p1 = pulses[i] - pulses[i - 1];
            double p2 = pulses[i + 1] - pulses[i];
            if (p1 < min
                    || p1 > max
                    || p2 < min
                    || p2 > max
                    || Math.max(p1, p2) / Math.min(p1, p2) > PERIOD_FACTOR) {
                continue;
            }
            double a = hannRms(x, pulses[i], 0.2 * p1, 0.2 * p2);
            if (a > 0) {
                amplitudes.add(new double[] {pulses[i], a});
            }
        }
        double diffSum = 0;
        int diffs = 0;
        for (int i = 1; i < amplitudes.size(); i++) {
            double gap = amplitudes.get(i)[0] - amplitudes.get(i - 1)[0];
            double a1 = amplitudes.get(i - 1)[1];
            double a2 = amplitudes.get(i)[1];
            if (gap >= min
                    && gap <= max
                    && Math.max(a1, a2) / Math.min(a1, a2) <= AMPLITUDE_FACTOR) {
                diffSum += Math.abs(a1 - a2);
                diffs++;
            }
        }
        double mean = amplitudes.stream().mapToDouble(a -> a[1]).average().orElse(0);
        return diffs == 0 || mean == 0 ? Double.NaN : (diffSum / diffs) / mean;
    }

    /**
     * RMS under a Hann window reaching {@code left} samples before and {@code right} after {@code
     * at}.
     */
    static double hannRms(double[] x, double at, double left, double right) {
        int from = Math.max(0, (int) Math.ceil(at - left));
        int to = Math.min(x.length - 1, (int) Math.floor(at + right));
        if (to - from < 2) {
            return 0;
        }
        double sum = 0;
        double weights = 0;
        for (int i = from; i <= to; i++) {
            double phase = (i - at) / (i < at ? left : right);
            double w = 0.5 + 0.5 * Math.cos(Math.PI * phase);
            sum += (x[i] * w) * (x[i] * w);
            weights += w * w;
        }
        return Math.sqrt(sum / weights);
    }
}
