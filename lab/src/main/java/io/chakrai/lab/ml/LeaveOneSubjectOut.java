package io.chakrai.lab.ml;

import io.chakrai.models.ml.FeatureTable;
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
 * Leave-one-subject-out evaluation: for each person, train on everyone else and predict that person.
 * No person is ever in both the training and the test rows of a fold.
 */
public final class LeaveOneSubjectOut {
    private LeaveOneSubjectOut() {
    }

    /** Out-of-fold probabilities for every row, and the figures per person and pooled. */
    public record Result(ModelKind kind, double[] probabilities, Map<String, Metrics> bySubject, Metrics pooled) {
        public double meanAccuracy() {
            return bySubject.values().stream().mapToDouble(Metrics::accuracy).average().orElse(Double.NaN);
        }

        public double meanBalancedAccuracy() {
            return bySubject.values().stream().mapToDouble(Metrics::balancedAccuracy).average().orElse(Double.NaN);
        }
    }

    /** The train/test split of one fold: everyone but {@code subject}, and {@code subject}. */
    public static FeatureTable[] split(FeatureTable t, String subject) {
        return new FeatureTable[] {t.rows(Set.of(subject), true), t.rows(Set.of(subject), false)};
    }

    public static Result run(FeatureTable t, ModelKind kind, long seed, Consumer<String> progress) {
        double[] p = new double[t.y().length];
        Map<String, Metrics> bySubject = new LinkedHashMap<>();
        List<String> subjects = t.subjectIds();
        for (int k = 0; k < subjects.size(); k++) {
            String s = subjects.get(k);
            FeatureTable[] fold = split(t, s);
            TrainedModel m = TrainedModel.train(fold[0], kind, seed);
            double[] ps = m.rawProbabilities(fold[1].x());
            int j = 0;
            for (int i = 0; i < t.subjects().length; i++) {
                if (t.subjects()[i].equals(s)) {
                    p[i] = ps[j++];
                }
            }
            Metrics fm = Metrics.of(fold[1].y(), ps, 0.5);
            bySubject.put(s, fm);
            progress.accept(String.format(Locale.ROOT, "%s %d/%d: held out %s, accuracy %.3f",
                    kind, k + 1, subjects.size(), s, fm.accuracy()));
        }
        return new Result(kind, p, bySubject, Metrics.of(t.y(), p, 0.5));
    }

    /**
     * The model to ship: trained on everyone, calibrated on out-of-fold scores from {@code groups}-fold
     * cross-validation grouped by subject.
     */
    public static TrainedModel finalModel(FeatureTable t, ModelKind kind, long seed, int groups) {
        List<String> subjects = t.subjectIds();
        double[] oof = new double[t.y().length];
        for (int g = 0; g < groups; g++) {
            List<String> held = new ArrayList<>();
            for (int k = g; k < subjects.size(); k += groups) {
                held.add(subjects.get(k));
            }
            Set<String> heldSet = Set.copyOf(held);
            TrainedModel m = TrainedModel.train(t.rows(heldSet, true), kind, seed);
            FeatureTable test = t.rows(heldSet, false);
            double[] ps = m.rawProbabilities(test.x());
            int j = 0;
            for (int i = 0; i < t.subjects().length; i++) {
                if (heldSet.contains(t.subjects()[i])) {
                    oof[i] = ps[j++];
                }
            }
        }
        TrainedModel m = TrainedModel.train(t, kind, seed);
        m.calibrate(oof, t.y());
        return m;
    }
}
