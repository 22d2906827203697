package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * The daily {@code mood_decline} signal: a short night (sleep debt) together with HRV falling below
 * the person's recent days. Fed one minute at a time; {@link #closeDay} judges a finished day. A
 * mutable POJO for Flink keyed state.
 */
public class MoodTrend {
    public static final double SLEEP_NEED_MINUTES = 7.5 * 60;
    public static final int DAYS = 7;

    public long day = Long.MIN_VALUE;
    public int sleepMinutes;
    public double rmssdSum;
    public int rmssdCount;

    /** Mean daily RMSSD of the previous days, newest last. */
    public double[] history = new double[0];

    public MoodTrend() {}

    public static long dayOf(long epochMs) {
        return Math.floorDiv(epochMs, 86_400_000L);
    }

    public void add(MinuteFeatures f, boolean calm) {
        if (f.sleeping()) {
            sleepMinutes++;
        }
        if (calm && Double.isFinite(f.rmssd())) {
            rmssdSum += f.rmssd();
            rmssdCount++;
        }
    }

    /**
     * Level 0..100 of a mood_decline for the day just finished, or -1 when there is none to report.
     */
    public int closeDay() {
        int level = -1;
        double today = rmssdCount >= 10 ? rmssdSum / rmssdCount : Double.NaN;
        if (history.length >= 3 && Double.isFinite(today) && sleepMinutes > 0) {
            double usual = Arrays.stream(history).average().orElse(today);
            double debt = Math.max(0, SLEEP_NEED_MINUTES - sleepMinutes) / SLEEP_NEED_MINUTES;
            double drop = Math.max(0, (usual - today) / usual);
            if (debt >= 0.2 && drop >= 0.1) {
                level = (int) Math.round(Math.min(100, 40 + 100 * debt + 150 * drop));
            }
        }
        if (Double.isFinite(today)) {
            history =
                    Arrays.copyOfRange(
                            append(history, today),
                            Math.max(0, history.length + 1 - DAYS),
                            history.length + 1);
        }
        sleepMinutes = 0;
        rmssdSum = 0;
        rmssdCount = 0;
        return level;
    }

    private static double[] append(double[] a, double v) {
        double[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }
}
