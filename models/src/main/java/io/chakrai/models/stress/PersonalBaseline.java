package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * A person's resting heart rate and HRV (RMSSD), as robust statistics (median, and MAD scaled to an
 * SD) over their most recent calm minutes, so it adapts over days. While the person has little
 * history the population prior weighs in: the estimate is shrunk toward it with weight {@code k /
 * (n + k)}.
 *
 * <p>A plain mutable class with public fields so Flink keeps it in keyed state as a POJO. Beside
 * each ring of minutes (arrival order, for forgetting the oldest) it keeps the same values sorted,
 * updated by one insertion and one removal a minute, so a median is a lookup and a MAD one walk
 * outward from it. Sorting the ring on every question cost a third of a millisecond a person-minute
 * and was, replaying a week of history at start, most of the machine's CPU. State written before
 * the sorted copies existed restores with them null; they are rebuilt on first use.
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

    /**
     * Smallest spreads used, so a very steady day does not make every small change look extreme.
     */
    public static final double MIN_HR_SD = 3;

    public static final double MIN_RMSSD_SD = 4;

    public double[] hr = new double[0];
    public int hrCount;
    public double[] rmssd = new double[0];
    public int rmssdCount;

    /**
     * Calm minutes' skin conductance tonic level (µS): no population prior, it differs too much
     * between people.
     */
    public double[] eda = new double[0];

    public int edaCount;

    /**
     * The rings' values in ascending order (the first {@code min(count, CAPACITY)} entries); null
     * until first built.
     */
    public double[] hrSorted;

    public double[] rmssdSorted;
    public double[] edaSorted;

    /** Calm minutes of skin conductance before it is used. */
    public static final int EDA_MIN_MINUTES = 10;

    public static final double MIN_EDA_SD = 0.05;

    public PersonalBaseline() {}

    /** Adds a calm minute (either value may be NaN when not measured). */
    public void addCalm(double hrMean, double rmssdValue) {
        if (Double.isFinite(hrMean)) {
            hrSorted = insert(sorted(hrSorted, hr, hrCount), hr, hrCount, hrMean);
            hr = push(hr, hrCount, hrMean);
            hrCount++;
        }
        if (Double.isFinite(rmssdValue)) {
            rmssdSorted =
                    insert(sorted(rmssdSorted, rmssd, rmssdCount), rmssd, rmssdCount, rmssdValue);
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
            eda = eda == null ? new double[0] : eda;
            edaSorted = insert(sorted(edaSorted, eda, edaCount), eda, edaCount, tonic);
            eda = push(eda, edaCount, tonic);
            edaCount++;
        }
    }

    /**
     * How far above the person's calm skin conductance a tonic level is, in robust SDs; NaN until
     * it is known.
     */
    public double edaZ(double tonic) {
        if (edaCount < EDA_MIN_MINUTES || !Double.isFinite(tonic)) {
            return Double.NaN;
        }
        edaSorted = sorted(edaSorted, eda, edaCount);
        double m = median(edaSorted, edaCount);
        return (tonic - m) / Math.max(MIN_EDA_SD, 1.4826 * mad(edaSorted, edaCount, m));
    }

    public double restingHr() {
        hrSorted = sorted(hrSorted, hr, hrCount);
        return shrink(median(hrSorted, hrCount), hrCount, PRIOR_HR);
    }

    public double hrSd() {
        hrSorted = sorted(hrSorted, hr, hrCount);
        return Math.max(
                MIN_HR_SD,
                shrink(
                        1.4826 * mad(hrSorted, hrCount, median(hrSorted, hrCount)),
                        hrCount,
                        PRIOR_HR_SD));
    }

    public double restingRmssd() {
        rmssdSorted = sorted(rmssdSorted, rmssd, rmssdCount);
        return shrink(median(rmssdSorted, rmssdCount), rmssdCount, PRIOR_RMSSD);
    }

    public double rmssdSd() {
        rmssdSorted = sorted(rmssdSorted, rmssd, rmssdCount);
        return Math.max(
                MIN_RMSSD_SD,
                shrink(
                        1.4826 * mad(rmssdSorted, rmssdCount, median(rmssdSorted, rmssdCount)),
                        rmssdCount,
                        PRIOR_RMSSD_SD));
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

    /**
     * The sorted copy of a ring, rebuilt when missing (state from before it existed) or shorter
     * than the ring's count. Only its length is checked, not its values: every update goes through
     * {@code insert}, which keeps the two in step ({@code PersonalBaselineTest} compares them with
     * a fresh sort on random streams).
     */
    private static double[] sorted(double[] sorted, double[] ring, int count) {
        int n = Math.min(count, CAPACITY);
        if (sorted != null && sorted.length >= n) {
            return sorted;
        }
        double[] v =
                Arrays.copyOf(
                        ring == null ? new double[0] : ring,
                        Math.max(n, ring == null ? 0 : ring.length));
        Arrays.sort(v, 0, n);
        return v;
    }

    /**
     * Adds {@code value} to the sorted copy, first removing the value the ring is about to
     * overwrite when it is full.
     */
    private static double[] insert(double[] sorted, double[] ring, int count, double value) {
        int n = Math.min(count, CAPACITY);
        double[] s = sorted;
        if (count >= CAPACITY) {
            double evicted = ring[count % CAPACITY];
            int at = Arrays.binarySearch(s, 0, n, evicted);
            System.arraycopy(s, at + 1, s, at, n - at - 1);
            n--;
        } else if (n >= s.length) {
            s = Arrays.copyOf(s, Math.min(CAPACITY, Math.max(16, s.length * 2)));
        }
        int at = Arrays.binarySearch(s, 0, n, value);
        at = at < 0 ? -at - 1 : at;
        System.arraycopy(s, at, s, at + 1, n - at);
        s[at] = value;
        return s;
    }

    private static double median(double[] sorted, int count) {
        int n = Math.min(count, CAPACITY);
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Median absolute deviation from {@code m}: the deviations in ascending order walk outward from
     * the median.
     */
    private static double mad(double[] sorted, int count, double m) {
        int n = Math.min(count, CAPACITY);
        if (n < 2) {
            return Double.NaN;
        }
        int right = Arrays.binarySearch(sorted, 0, n, m);
        right = right < 0 ? -right - 1 : right;
        int left = right - 1;
        double previous = Double.NaN;
        for (int k = 0; ; k++) {
            double next;
            if (left >= 0 && (right >= n || m - sorted[left] <= sorted[right] - m)) {
                next = m - sorted[left--];
            } else {
                next = sorted[right++] - m;
            }
            if (k == n / 2) {
                return n % 2 == 1 ? next : (previous + next) / 2;
            }
            previous = next;
        }
    }
}
