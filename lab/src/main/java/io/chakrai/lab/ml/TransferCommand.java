package io.chakrai.lab.ml;

import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.TrainedModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai transfer}: a model trained on WESAD's wrist HR/HRV features, tested on
 * Stress-Predict (other people, other protocol, same kind of watch signals), beside its own
 * leave-one-subject-out figure.
 */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = "Train on WESAD wrist HR/HRV features, test on Stress-Predict windows.")
public final class TransferCommand implements Callable<Integer> {
    @Option(names = "--wesad", defaultValue = "../shared/data/wesad-wrist-features/features.csv")
    Path wesad;

    @Option(names = "--stress-predict", defaultValue = "../shared/data/stress-predict")
    Path stressPredict;

    @Option(
            names = "--per-person",
            description = "z-score every feature within each person in both data sets first")
    boolean perPerson;

    @Option(names = "--model", defaultValue = "LOGISTIC_REGRESSION")
    ModelKind model;

    @Override
    public Integer call() throws Exception {
        FeatureTable rawTrain =
                FeatureTable.csv(
                                wesad,
                                "subject",
                                "label",
                                Set.of("2"),
                                Set.of("4"),
                                Set.of("t_center_s", "is_stress"))
                        .select(StressPredictWindows.FEATURES);
        FeatureTable rawTest = StressPredictWindows.load(stressPredict);
        FeatureTable train = perPerson ? rawTrain.standardisedPerSubject() : rawTrain;
        FeatureTable test = perPerson ? rawTest.standardisedPerSubject() : rawTest;
        System.out.printf(
                "train: WESAD wrist, %d windows, %d people; test: Stress-Predict, %d windows, %d people; "
                        + "features %s%n",
                train.y().length,
                train.subjectIds().size(),
                test.y().length,
                test.subjectIds().size(),
                StressPredictWindows.FEATURES);
        LeaveOneSubjectOut.Result within = LeaveOneSubjectOut.run(train, model, 42, msg -> {});
        System.out.printf(
                Locale.ROOT,
                "%s on WESAD, leave-one-subject-out: accuracy %.3f, balanced accuracy %.3f, AUC %.3f%n",
                model,
                within.meanAccuracy(),
                within.meanBalancedAccuracy(),
                within.pooled().auc());
        TrainedModel m = LeaveOneSubjectOut.finalModel(train, model, 42, 3);
        double[] p = m.probabilities(test.x());
        Metrics all = Metrics.of(test.y(), p, 0.5);
        double meanBa =
                test.subjectIds().stream()
                        .mapToDouble(
                                s -> {
                                    FeatureTable one = test.rows(Set.of(s), false);
                                    return Metrics.of(one.y(), m.probabilities(one.x()), 0.5)
                                            .balancedAccuracy();
                                })
                        .average()
                        .orElse(Double.NaN);
        System.out.printf(
                Locale.ROOT,
                "%s trained on WESAD, tested on Stress-Predict: accuracy %.3f, balanced accuracy %.3f "
                        + "(mean over people %.3f), F1 %.3f, AUC %.3f%n",
                model,
                all.accuracy(),
                all.balancedAccuracy(),
                meanBa,
                all.f1(),
                all.auc());
        return 0;
    }
}
