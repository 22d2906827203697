package io.chakrai.models.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import smile.stat.hypothesis.CorTest;

/**
 * Relations between a person's daily measures (Pearson r with its two-sided p-value, Smile's
 * CorTest), reported only when there are enough days for the figure to mean anything.
 */
public final class Correlations {
    /** Fewer paired days than this and no coefficient is reported. */
    public static final int MIN_DAYS = 10;

    private Correlations() {}

    /**
     * @param x what is compared
     * @param y with what
     * @param n paired days used
     * @param coefficient Pearson r (NaN when not reported)
     * @param pValue two-sided (NaN when not reported)
     * @param reported false when n &lt; {@link #MIN_DAYS} or a measure did not vary
     */
    public record Result(
            String x, String y, int n, double coefficient, double pValue, boolean reported) {}

    /**
     * The relations the product reports: sleep vs next-day stress, activity vs HRV, sleep vs
     * next-day resting HR.
     */
    public static List<Result> compute(List<DailySummary> days) {
        List<Result> out = new ArrayList<>();
        // sleep is stored on the day the night ended, i.e. it already is "the night before" that
        // day
        out.add(
                pair(
                        "sleep_hours_night_before",
                        DailySummary::sleepHours,
                        "stress_episodes",
                        DailySummary::stressEpisodes,
                        days));
        out.add(pair("steps", DailySummary::steps, "hrv_median_ms", DailySummary::hrvMedian, days));
        out.add(
                pair(
                        "sleep_hours_night_before",
                        DailySummary::sleepHours,
                        "resting_heart_rate_bpm",
                        DailySummary::restingHr,
                        days));
        return out;
    }

    static Result pair(
            String xName,
            ToDoubleFunction<DailySummary> fx,
            String yName,
            ToDoubleFunction<DailySummary> fy,
            List<DailySummary> days) {
        List<double[]> pairs = new ArrayList<>();
        for (DailySummary d : days) {
            double a = fx.applyAsDouble(d);
            double b = fy.applyAsDouble(d);
            if (Double.isFinite(a) && Double.isFinite(b)) {
                pairs.add(new double[] {a, b});
            }
        }
        int n = pairs.size();
        double[] xs = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = pairs.stream().mapToDouble(p -> p[1]).toArray();
        if (n < MIN_DAYS || constant(xs) || constant(ys)) {
            return new Result(xName, yName, n, Double.NaN, Double.NaN, false);
        }
        CorTest t = CorTest.pearson(xs, ys);
        // a perfect line gives Smile an infinite t statistic and a NaN p-value: its p-value is 0
        double p = Double.isNaN(t.pvalue) && Math.abs(t.cor) >= 1 - 1e-12 ? 0.0 : t.pvalue;
        if (!Double.isFinite(p)) {
            return new Result(xName, yName, n, Double.NaN, Double.NaN, false);
        }
        return new Result(xName, yName, n, Math.round(t.cor * 1000) / 1000.0, p, true);
    }

    private static boolean constant(double[] v) {
        for (double a : v) {
            if (a != v[0]) {
                return false;
            }
        }
        return true;
    }
}
