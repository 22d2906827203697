package io.chakrai.lab.eval;

import io.chakrai.lab.ml.LeaveOneSubjectOut;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.TrainedModel;
import io.chakrai.models.stress.EpisodeRun;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * WESAD's wrist windows replayed through the live path's scoring and episode logic,
 * leave-one-subject-out: each held-out person's windows in time order are standardised against
 * their own first {@code baselineWindows} (the calibration period the scoring and stress jobs
 * keep), scored by a calibrated model trained on the other people the same way, averaged into
 * minutes, and a minute at probability ≥ 0.5 is a stress minute for {@link EpisodeRun} — the
 * episode rule the stress job's CEP pattern expresses (same consecutive minutes, same window).
 * Figures are in window time (each window stands for its 5 s step), like the Stress-Predict
 * replay's seconds: recall and specificity of the episodes against the protocol's stress block,
 * false alarms per hour of baseline and amusement.
 */
public final class WesadReplay {
    /**
     * Stress (label 2) against baseline (1) and amusement (3); meditation (4) left out, as in
     * training.
     */
    static final Set<String> STRESS = Set.of("2");

    static final Set<String> DROPPED = Set.of("4");
    static final double WINDOW_SECONDS = 5;

    /**
     * The replay's figures: per person, pooled, and the models' window accuracy (comparable to
     * `train`'s).
     */
    public record Result(
            List<StressReport.Person> people,
            StressPredictReplay.Counts pooled,
            double meanBalancedAccuracy,
            double meanWindowAccuracy) {}

    private WesadReplay() {}

    public static Result run(
            Path csv,
            ModelKind kind,
            int baselineWindows,
            EpisodeThresholds t,
            long seed,
            Consumer<String> progress)
            throws IOException {
        FeatureTable raw =
                FeatureTable.csv(csv, "subject", "label", STRESS, DROPPED, Set.of("is_stress"));
        int oc = raw.features().indexOf("t_center_s");
        FeatureTable z = raw.standardisedPerSubjectInTimeOrder("t_center_s", baselineWindows);
        List<StressReport.Person> people = new ArrayList<>();
        StressPredictReplay.Counts pooled = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        double meanBa = 0;
        double meanAcc = 0;
        List<String> subjects = z.subjectIds();
        for (String s : subjects) {
            TrainedModel m =
                    LeaveOneSubjectOut.finalModel(
                            z.rows(Set.of(s), true), kind, HyperParameters.defaults(kind), seed, 3);
            // the held-out person's windows by minute of their session: {sum p, windows, stress
            // windows}
            TreeMap<Long, double[]> minutes = new TreeMap<>();
            long correct = 0;
            long windows = 0;
            for (int i = 0; i < z.subjects().length; i++) {
                if (!z.subjects()[i].equals(s)) {
                    continue;
                }
                double p = m.probabilities(new double[][] {z.x()[i]})[0];
                double[] a =
                        minutes.computeIfAbsent(
                                (long) Math.floor(raw.x()[i][oc] / 60), k -> new double[3]);
                a[0] += p;
                a[1]++;
                a[2] += z.y()[i];
                correct += (p >= 0.5 ? 1 : 0) == z.y()[i] ? 1 : 0;
                windows++;
            }
            StressReport.Person replayed = episodes(s, minutes, t);
            people.add(replayed);
            pooled = pooled.plus(replayed.counts());
            meanBa += replayed.counts().balancedAccuracy() / subjects.size();
            meanAcc += (double) correct / windows / subjects.size();
            progress.accept(
                    String.format(
                            java.util.Locale.ROOT,
                            "%s: windows %.3f accurate, episodes balanced accuracy %.3f, "
                                    + "%.2f false alarms per rest hour",
                            s,
                            (double) correct / windows,
                            replayed.counts().balancedAccuracy(),
                            replayed.counts().falseAlarmsPerRestHour()));
        }
        return new Result(people, pooled, meanBa, meanAcc);
    }

    /** The minutes through the episode rule; counts in window time. */
    static StressReport.Person episodes(
            String id, TreeMap<Long, double[]> minutes, EpisodeThresholds t) {
        EpisodeRun run = new EpisodeRun();
        StressPredictReplay.Counts counts = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        double[] share = new double[minutes.size()];
        boolean[] detected = new boolean[minutes.size()];
        int k = 0;
        for (Map.Entry<Long, double[]> e : minutes.entrySet()) {
            double[] a = e.getValue();
            double p = a[0] / a[1];
            boolean stressMinute = p >= 0.5;
            MinuteEvaluation minute =
                    new MinuteEvaluation(
                            0,
                            e.getKey() * 60_000L,
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            false,
                            stressMinute,
                            (int) Math.round(100 * p),
                            p,
                            "model",
                            false);
            EpisodeRun.Step step = run.next(minute, t);
            boolean flagged = step == EpisodeRun.Step.ONSET || step == EpisodeRun.Step.ONGOING;
            long stressWindows = Math.round(a[2]);
            long restWindows = Math.round(a[1]) - stressWindows;
            counts =
                    counts.plus(
                            StressPredictReplay.Counts.minute(
                                    flagged,
                                    step == EpisodeRun.Step.ONSET,
                                    stressWindows,
                                    restWindows,
                                    restWindows * WINDOW_SECONDS));
            share[k] = a[2] / a[1];
            detected[k++] = flagged;
        }
        return new StressReport.Person(id, counts, share, detected);
    }
}
