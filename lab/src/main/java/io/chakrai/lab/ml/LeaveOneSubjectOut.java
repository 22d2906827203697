package io.chakrai.lab.ml;

import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Leave-one-subject-out evaluation: for each person, train on everyone else and predict that
 * person. No person is ever in both the training and the test rows of a fold.
 */
public final class LeaveOneSubjectOut {
    private LeaveOneSubjectOut() {}

    /**
     * Out-of-fold probabilities for every row, the figures per person and pooled, and per held-out
     * person the settings the search inside that fold's training people chose (the defaults when
     * nothing was searched).
     */
    public record Result(
            ModelKind kind,
            double[] probabilities,
            Map<String, Metrics> bySubject,
            Metrics pooled,
            Map<String, HyperParameters> chosen) {
        public double meanAccuracy() {
            return bySubject.values().stream()
                    .mapToDouble(Metrics::accuracy)
                    .average()
                    .orElse(Double.NaN);
        }

        public double meanBalancedAccuracy() {
            return bySubject.values().stream()
                    .mapToDouble(Metrics::balancedAccuracy)
                    .average()
                    .orElse(Double.NaN);
        }
    }

    /** The train/test split of one fold: everyone but {@code subject}, and {@code subject}. */
    public static FeatureTable[] split(FeatureTable t, String subject) {
        return new FeatureTable[] {t.rows(Set.of(subject), true), t.rows(Set.of(subject), false)};
    }

    public static Result run(FeatureTable t, ModelKind kind, long seed, Consumer<String> progress) {
        return run(t, kind, List.of(HyperParameters.defaults(kind)), 3, seed, progress);
    }

    /**
     * Nested: for each held-out person, the settings are chosen from {@code grid} by grouped {@code
     * innerFolds}-fold cross-validation among the other people only ({@link #search}), then a model
     * with them is trained on those people and scores the held-out one. The held-out person never
     * influences their own model's settings.
     */
    public static Result run(
            FeatureTable t,
            ModelKind kind,
            List<HyperParameters> grid,
            int innerFolds,
            long seed,
            Consumer<String> progress) {
        Map<String, HyperParameters> chosen = new LinkedHashMap<>();
        double[] p = new double[t.y().length];
        Map<String, Metrics> bySubject = new LinkedHashMap<>();
        List<String> subjects = t.subjectIds();
        for (int k = 0; k < subjects.size(); k++) {
            String s = subjects.get(k);
            FeatureTable[] fold = split(t, s);
            HyperParameters h = search(fold[0], kind, grid, innerFolds, seed);
            chosen.put(s, h);
            TrainedModel m = TrainedModel.train(fold[0], kind, h, seed);
            double[] ps = m.rawProbabilities(fold[1].x());
            int j = 0;
            for (int i = 0; i < t.subjects().length; i++) {
                if (t.subjects()[i].equals(s)) {
                    p[i] = ps[j++];
                }
            }
            Metrics fm = Metrics.of(fold[1].y(), ps, 0.5);
            bySubject.put(s, fm);
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "%s %d/%d: held out %s, accuracy %.3f%s",
                            kind,
                            k + 1,
                            subjects.size(),
                            s,
                            fm.accuracy(),
                            grid.size() > 1 ? " (" + h.describe(kind) + ")" : ""));
        }
        return new Result(kind, p, bySubject, Metrics.of(t.y(), p, 0.5), chosen);
    }

    /** The metric the search maximises, named in the report. */
    public static final String SEARCH_METRIC = "balanced accuracy, mean over held-out people";

    /**
     * The grid point with the best {@link #SEARCH_METRIC} over grouped {@code folds}-fold
     * cross-validation of the table's people (each person in exactly one held-out group); the first
     * on a tie, so the defaults win unless something beats them.
     */
    public static HyperParameters search(
            FeatureTable t, ModelKind kind, List<HyperParameters> grid, int folds, long seed) {
        if (grid.size() == 1) {
            return grid.get(0);
        }
        List<String> subjects = t.subjectIds();
        HyperParameters best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (HyperParameters h : grid) {
            double sum = 0;
            int n = 0;
            for (int g = 0; g < folds; g++) {
                Set<String> held = new java.util.HashSet<>();
                for (int k = g; k < subjects.size(); k += folds) {
                    held.add(subjects.get(k));
                }
                TrainedModel m = TrainedModel.train(t.rows(held, true), kind, h, seed);
                for (String s : held) {
                    FeatureTable one = t.rows(Set.of(s), false);
                    sum += Metrics.of(one.y(), m.rawProbabilities(one.x()), 0.5).balancedAccuracy();
                    n++;
                }
            }
            double score = sum / n;
            if (score > bestScore) {
                bestScore = score;
                best = h;
            }
        }
        return best;
    }

    /**
     * The model to ship: trained on everyone, calibrated on out-of-fold scores from {@code
     * groups}-fold cross-validation grouped by subject.
     */
    public static TrainedModel finalModel(FeatureTable t, ModelKind kind, long seed, int groups) {
        return finalModel(t, kind, HyperParameters.defaults(kind), seed, groups);
    }

    /** The same with the given settings. */
    public static TrainedModel finalModel(
            FeatureTable t, ModelKind kind, HyperParameters h, long seed, int groups) {
        List<String> subjects = t.subjectIds();
        double[] oof = new double[t.y().length];
        for (int g = 0; g < groups; g++) {
            List<String> held = new ArrayList<>();
            for (int k = g; k < subjects.size(); k += groups) {
                held.add(subjects.get(k));
            }
            Set<String> heldSet = Set.copyOf(held);
            TrainedModel m = TrainedModel.train(t.rows(heldSet, true), kind, h, seed);
            FeatureTable test = t.rows(heldSet, false);
            double[] ps = m.rawProbabilities(test.x());
            int j = 0;
            for (int i = 0; i < t.subjects().length; i++) {
                if (heldSet.contains(t.subjects()[i])) {
                    oof[i] = ps[j++];
                }
            }
        }
        TrainedModel m = TrainedModel.train(t, kind, h, seed);
        m.calibrate(oof, t.y());
        return m;
    }
}
