package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Fits the detector's thresholds by grid search on every person but one and scores that one, for
 * every person in turn: nothing is ever fitted on the person being scored.
 */
public final class ThresholdSearch {
    private ThresholdSearch() {}

    /** One held-out person's result with the thresholds chosen on the others. */
    public record Fold(int subject, EpisodeThresholds chosen, StressPredictReplay.Counts counts) {}

    /**
     * The candidate thresholds searched: heart rate and HRV, and with {@code eda} each point also
     * with the skin-conductance road.
     */
    public static List<EpisodeThresholds> grid(boolean eda) {
        EpisodeThresholds off =
                EpisodeThresholds.DEFAULT.withEda(
                        Double.POSITIVE_INFINITY, EpisodeThresholds.DEFAULT.hrZWithEda());
        List<EpisodeThresholds> out = new ArrayList<>();
        for (double z : new double[] {0.5, 1.0, 1.5, 2.0, 3.0}) {
            for (double delta : new double[] {0, 4, 8}) {
                for (double ratio : new double[] {0.7, 0.85, 1.0, 1.5}) {
                    for (int n : new int[] {1, 2, 3}) {
                        for (double zNoHrv : new double[] {1.0, 2.0, 3.0}) {
                            out.add(off.withHr(z, delta, ratio).withConsecutive(n, zNoHrv));
                            if (eda) {
                                for (double edaZ : new double[] {0.5, 1.0, 2.0}) {
                                    for (double hrWith : new double[] {0.0, 1.0}) {
                                        out.add(
                                                off.withHr(z, delta, ratio)
                                                        .withConsecutive(n, zNoHrv)
                                                        .withEda(edaZ, hrWith));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Runs the whole evaluation; {@code progress} hears each finished held-out person. */
    public static List<Fold> run(
            List<StressPredictReplay.Subject> subjects,
            List<EpisodeThresholds> grid,
            IntConsumer progress) {
        // every candidate on every person once; folds then only choose
        StressPredictReplay.Counts[][] table =
                new StressPredictReplay.Counts[grid.size()][subjects.size()];
        for (int g = 0; g < grid.size(); g++) {
            for (int s = 0; s < subjects.size(); s++) {
                table[g][s] = StressPredictReplay.replay(subjects.get(s), grid.get(g));
            }
        }
        List<Fold> folds = new ArrayList<>();
        for (int held = 0; held < subjects.size(); held++) {
            int best = 0;
            double bestScore = -1;
            for (int g = 0; g < grid.size(); g++) {
                double sum = 0;
                for (int s = 0; s < subjects.size(); s++) {
                    if (s != held) {
                        sum += table[g][s].balancedAccuracy();
                    }
                }
                if (sum > bestScore) {
                    bestScore = sum;
                    best = g;
                }
            }
            folds.add(new Fold(subjects.get(held).id(), grid.get(best), table[best][held]));
            progress.accept(held + 1);
        }
        return folds;
    }
}
