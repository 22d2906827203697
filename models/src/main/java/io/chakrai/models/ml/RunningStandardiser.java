package io.chakrai.models.ml;

import java.io.Serializable;

/**
 * One person's running mean and SD of each feature (Welford's method), to z-score their newest row
 * against everything seen from them so far (or, with a {@link #limit}, their first rows only: a
 * calibration baseline that stress later on cannot pull along) — their own baseline, known at the
 * time, nothing from the future. The training pipeline ({@link
 * FeatureTable#standardisedPerSubjectInTimeOrder}) and the scoring job (keyed state) use this same
 * class. Until a person has {@link #WARM_UP} rows a feature scores as 0 (the person's mean). A
 * plain class with public fields so Flink keeps it as POJO state.
 */
public final class RunningStandardiser implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int WARM_UP = 10;

    public long[] n;
    public double[] mean;
    public double[] m2;

    /**
     * Rows the statistics learn from, then frozen (the person's first rows: a calibration period);
     * 0: all.
     */
    public long limit;

    public RunningStandardiser() {}

    public RunningStandardiser(int features) {
        this(features, 0);
    }

    /**
     * @param limit rows the statistics learn from before they are frozen; 0: every row
     */
    public RunningStandardiser(int features, long limit) {
        n = new long[features];
        mean = new double[features];
        m2 = new double[features];
        this.limit = limit;
    }

    /**
     * Adds the row to the person's statistics and returns it z-scored against them (NaN stays NaN).
     */
    public double[] addAndStandardise(double[] row) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            double v = row[j];
            if (!Double.isFinite(v)) {
                z[j] = v;
                continue;
            }
            if (limit == 0 || n[j] < limit) {
                n[j]++;
                double d = v - mean[j];
                mean[j] += d / n[j];
                m2[j] += d * (v - mean[j]);
            }
            double sd = n[j] > 1 ? Math.sqrt(m2[j] / n[j]) : 0;
            z[j] = n[j] < WARM_UP || sd <= 1e-12 ? 0 : (v - mean[j]) / sd;
        }
        return z;
    }
}
