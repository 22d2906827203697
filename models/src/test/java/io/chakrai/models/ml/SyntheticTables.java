package io.chakrai.models.ml;

import java.util.List;
import java.util.Random;

/**
 * Feature tables with a known signal, for the model tests here and in the lab (shared as a test
 * jar).
 */
public final class SyntheticTables {
    private SyntheticTables() {}

    /**
     * Six people with different heart-rate offsets; stress raises heart rate and lowers RMSSD; one
     * noise column.
     */
    public static FeatureTable synthetic(long seed) {
        Random r = new Random(seed);
        int n = 600;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            int person = i % 6;
            y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            double offset = person * 2;
            x[i] =
                    new double[] {
                        70 + offset + 12 * y[i] + r.nextGaussian() * 4,
                        45 - 10 * y[i] + r.nextGaussian() * 6,
                        r.nextGaussian()
                    };
            s[i] = "P" + person;
        }
        return new FeatureTable(List.of("hr", "rmssd", "noise"), x, y, s, "test");
    }
}
