package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * A person's resting heart rate and HRV (RMSSD), as robust statistics (median, and MAD scaled to an SD)
 * over their most recent calm minutes, so it adapts over days. While the person has little history the
 * population prior weighs in: the estimate is shrunk toward it with weight {@code k / (n + k)}.
 *
 * <p>A plain mutable class with public fields so Flink keeps it in keyed state as a POJO.
 */
public class PersonalBaseline {
    /** Calm minutes kept: about two days of waking rest. */
    public static final int CAPACITY = 1_440;
    /** Pseudo-count of the prior, in minutes. */
    public static final double PRIOR_WEIGHT = 5;
    public static final double PRIOR_HR = 68;
    public static final double PRIOR_HR_SD = 7;
    public static final double PRIOR_RMSSD = 42;
    public static final double PRIOR_RMSSD_SD = 15;
    /** Smallest spreads used, so a very steady day does not make every small change look extreme. */
    public static final double MIN_HR_SD = 3;
    public static final double MIN_RMSSD_SD = 4;

    public double[] hr = new double[0];
    public int hrCount;
    public double[] rmssd = new double[0];
    public int rmssdCount;
    /** Calm minutes' skin conductance tonic level (µS): no population prior, it differs too much between people. */
    public double[] eda = new double[0];
    public int edaCount;
    /** Calm minutes of skin conductance before it is used. */
    public static final int EDA_MIN_MINUTES = 10;
    public static final double MIN_EDA_SD = 0.05;

    public PersonalBaseline() {
    }

    /** Adds a calm minute (either value may be NaN when not measured). */
    public void addCalm(double hrMean, double rmssdValue) {
        if (Double.isFinite(hrMean)) {
            hr = push(hr, hrCount, hrMean);
            hrCount++;
        }
        if (Double.isFinite(rmssdValue)) {
            rmssd = push(rmssd, rmssdCount, rmssdValue);
            rmssdCount++;
        }
    }

    private static double[] push(double[] ring, int count, double v) {
        double[] r = ring;
        if (r.length < CAPACITY && count >= r.length) {
            r = Arrays.copyOf(r, Math.min(CAPACITY, Math.max(16, r.length * 2)));
        }
        r[count % CAPACITY] = v;
        return r;
    }

    /** Adds a calm minute's skin conductance tonic level. */
    public void addCalmEda(double tonic) {
        if (Double.isFinite(tonic)) {
            eda = push(eda == null ? new double[0] : eda, edaCount, tonic);
            edaCount++;
        }
    }

    /** How far above the person's calm skin conductance a tonic level is, in robust SDs; NaN until it is known. */
    public double edaZ(double tonic) {
        if (edaCount < EDA_MIN_MINUTES || !Double.isFinite(tonic)) {
            return Double.NaN;
        }
        return (tonic - median(eda, edaCount)) / Math.max(MIN_EDA_SD, 1.4826 * mad(eda, edaCount));
    }

    public double restingHr() {
        return shrink(median(hr, hrCount), hrCount, PRIOR_HR);
    }

    public double hrSd() {
        return Math.max(MIN_HR_SD, shrink(1.4826 * mad(hr, hrCount), hrCount, PRIOR_HR_SD));
    }

    public double restingRmssd() {
        return shrink(median(rmssd, rmssdCount), rmssdCount, PRIOR_RMSSD);
    }

    public double rmssdSd() {
        return Math.max(MIN_RMSSD_SD, shrink(1.4826 * mad(rmssd, rmssdCount), rmssdCount, PRIOR_RMSSD_SD));
    }

    /** How much of the estimate is the person's own data (0 = all prior, toward 1 with history). */
    public double personalWeight() {
        return hrCount / (hrCount + PRIOR_WEIGHT);
    }

    private static double shrink(double own, int n, double prior) {
        if (n == 0 || !Double.isFinite(own)) {
            return prior;
        }
        double w = n / (n + PRIOR_WEIGHT);
        return w * own + (1 - w) * prior;
    }

    private static double median(double[] ring, int count) {
        int n = Math.min(count, CAPACITY);
        if (n == 0) {
            return Double.NaN;
        }
        double[] v = Arrays.copyOf(ring, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double mad(double[] ring, int count) {
        int n = Math.min(count, CAPACITY);
        if (n < 2) {
            return Double.NaN;
        }
        double m = median(ring, count);
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(ring[i] - m);
        }
        return median(dev, n);
    }
}
