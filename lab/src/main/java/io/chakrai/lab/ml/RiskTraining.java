package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.TrainedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A risk model from the platform's own history, evaluated the way longitudinal data demands: split
 * by person and by time. The answers are cut at a moment (by default the one before which 60 % were
 * given); the people are dealt into folds; each fold's people are scored on their answers after the
 * cut by models trained only on the other people's answers before it. So no model ever sees the
 * person, or any moment of the future, it is judged on. The rule is scored on exactly the same
 * held-out answers (its own score of the day before each), side by side.
 */
final class RiskTraining {
    /** The held-out comparison, and which kind did best on it. */
    record Evaluation(
            RiskComparison heldOut, Instant cut, int folds, int trainedOn, ModelKind best) {}

    private RiskTraining() {}

    static Evaluation evaluate(
            RiskDataset.Table t, double trainShare, int folds, long seed, Consumer<String> log) {
        return evaluate(t, trainShare, folds, seed, false, log);
    }

    /**
     * With {@code search}, each kind's settings are chosen inside every fold's training answers
     * (grouped 3-fold over their people, {@link LeaveOneSubjectOut#search}), never on the held-out
     * ones.
     */
    static Evaluation evaluate(
            RiskDataset.Table t,
            double trainShare,
            int folds,
            long seed,
            boolean search,
            Consumer<String> log) {
        List<RiskDataset.Row> rows = t.rows();
        if (rows.size() < 20) {
            throw new IllegalArgumentException(
                    "only "
                            + rows.size()
                            + " answers with a day of features before them: "
                            + "at least 20 are needed (people answer PHQ-9 / GAD-7 through POST /api/v2/prediction/assess)");
        }
        Instant cut = rows.get((int) Math.floor(trainShare * rows.size())).answeredAt();
        List<String> people =
                rows.stream().map(RiskDataset.Row::subject).distinct().sorted().toList();
        List<String> dealt = new ArrayList<>(people);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = dealt.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String x = dealt.get(i);
            dealt.set(i, dealt.get(j));
            dealt.set(j, x);
        }
        Map<String, Integer> fold = new HashMap<>();
        for (int i = 0; i < dealt.size(); i++) {
            fold.put(dealt.get(i), i % folds);
        }
        List<RiskDataset.Row> test =
                rows.stream()
                        .filter(
                                x ->
                                        !x.answeredAt().isBefore(cut)
                                                && Double.isFinite(x.ruleScore()))
                        .toList();
        int[] y = test.stream().mapToInt(RiskDataset.Row::label).toArray();
        List<RiskComparison.Scorer> scorers = new ArrayList<>();
        scorers.add(
                new RiskComparison.Scorer(
                        RiskAssessment.MODEL_VERSION + " (rule)",
                        test.stream().mapToDouble(x -> x.ruleScore() / 100).toArray(),
                        0.25));
        // a calibrated model on a rarer outcome seldom reaches 0.5: it decides at the base rate of
        // what it learned from
        double base =
                rows.stream()
                        .filter(x -> x.answeredAt().isBefore(cut))
                        .mapToInt(RiskDataset.Row::label)
                        .average()
                        .orElse(0.5);
        int trainedOn = 0;
        ModelKind best = null;
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (ModelKind k : ModelKind.values()) {
            double[] p = new double[test.size()];
            for (int f = 0; f < folds; f++) {
                int ff = f;
                List<RiskDataset.Row> train =
                        rows.stream()
                                .filter(
                                        x ->
                                                x.answeredAt().isBefore(cut)
                                                        && fold.get(x.subject()) != ff)
                                .toList();
                long pos = train.stream().filter(x -> x.label() == 1).count();
                if (pos == 0
                        || pos == train.size()
                        || train.stream().map(RiskDataset.Row::subject).distinct().count() < 3) {
                    throw new IllegalArgumentException(
                            "fold "
                                    + (f + 1)
                                    + " has "
                                    + train.size()
                                    + " training answers with "
                                    + pos
                                    + " positive: too few people or outcomes of one kind only before "
                                    + cut);
                }
                trainedOn = Math.max(trainedOn, train.size());
                FeatureTable tt = t.features(train);
                HyperParameters h =
                        search
                                ? LeaveOneSubjectOut.search(tt, k, HyperParameters.grid(k), 3, seed)
                                : HyperParameters.defaults(k);
                TrainedModel m = LeaveOneSubjectOut.finalModel(tt, k, h, seed, 3);
                for (int i = 0; i < test.size(); i++) {
                    if (fold.get(test.get(i).subject()) == f) {
                        p[i] = m.probabilities(new double[][] {test.get(i).x()})[0];
                    }
                }
            }
            RiskComparison.Scorer s =
                    new RiskComparison.Scorer(
                            k.name().toLowerCase(Locale.ROOT), p, Math.round(base * 100) / 100.0);
            double auc = s.metrics(y).auc();
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "%s: ROC AUC %.3f on %d held-out answers",
                            k,
                            auc,
                            y.length));
            if (auc > bestAuc || best == null) {
                bestAuc = auc;
                best = k;
            }
            scorers.add(s);
        }
        return new Evaluation(
                new RiskComparison(
                        "Held out: later answers of people no model trained on", y, scorers),
                cut,
                folds,
                trainedOn,
                best);
    }

    /**
     * The shipped model: the best kind, trained on every answer (settings searched on all of them
     * when asked), calibrated on grouped out-of-fold scores.
     */
    static TrainedModel ship(RiskDataset.Table t, ModelKind kind, long seed, boolean search) {
        FeatureTable all = t.features(t.rows());
        HyperParameters h =
                search
                        ? LeaveOneSubjectOut.search(all, kind, HyperParameters.grid(kind), 3, seed)
                        : HyperParameters.defaults(kind);
        return LeaveOneSubjectOut.finalModel(all, kind, h, seed, 3);
    }

    /** Where the shipped model says "positive": the base rate of the answers it was trained on. */
    static double decisionThreshold(RiskDataset.Table t) {
        return Math.round(
                        t.rows().stream().mapToInt(RiskDataset.Row::label).average().orElse(0.5)
                                * 100)
                / 100.0;
    }

    static ObjectNode json(RiskDataset.Table t, Evaluation e, TrainedModel shipped) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("dataset", "PLATFORM_RISK");
        root.put("outcome", t.outcome().name());
        root.put("outcome_description", t.outcome().description);
        root.put("data_sha256", t.dataHash());
        root.put("answers", t.rows().size());
        root.put("subjects", t.rows().stream().map(RiskDataset.Row::subject).distinct().count());
        root.put("trained_until", t.lastAnswer().toString());
        root.putPOJO("features", t.features());
        root.put(
                "evaluation",
                "split by person and by time: "
                        + e.folds()
                        + " folds of people; each fold scored on its "
                        + "answers from "
                        + e.cut()
                        + " on by models trained only on the other people's answers before then "
                        + "(at most "
                        + e.trainedOn()
                        + " answers); the rule scored on the same answers");
        root.set("held_out", e.heldOut().json());
        root.put("selection_metric", "ROC AUC on the held-out answers");
        ObjectNode ship = root.putObject("shipped_model");
        ship.put("model", shipped.kind().name().toLowerCase(Locale.ROOT));
        ship.put("calibrated", shipped.calibrated());
        if (shipped.settings() != null) {
            ship.put("settings", shipped.settings().describe(shipped.kind()));
        }
        root.put("decision_threshold", decisionThreshold(t));
        ObjectNode imp = ship.putObject("feature_importance");
        double[] v = shipped.importance();
        for (int i = 0; i < v.length; i++) {
            imp.put(shipped.features().get(i), Math.round(v[i] * 10_000) / 10_000.0);
        }
        ArrayNode note = root.putArray("caveats");
        note.add("On simulated people these figures say nothing about real ones.");
        return root;
    }

    static String html(RiskDataset.Table t, Evaluation e, TrainedModel shipped) {
        String body =
                "<p>"
                        + RiskDataset.describe(t)
                        + "; data SHA-256 <code>"
                        + t.dataHash()
                        + "</code>.</p>"
                        + "<p>Split by person and by time: answers from <b>"
                        + e.cut()
                        + "</b> on, of "
                        + e.folds()
                        + " folds of people, each scored by models trained only on the other people's answers before then. "
                        + "The rule is scored on the same answers with its own score of the day before each.</p>"
                        + e.heldOut().html()
                        + "<p>Shipped: "
                        + shipped.kind().name().toLowerCase(Locale.ROOT)
                        + " (best ROC AUC held out), trained on all "
                        + t.rows().size()
                        + " answers up to "
                        + t.lastAnswer()
                        + ", calibrated on grouped out-of-fold scores.</p>"
                        + "<p><b>On simulated people these figures say nothing about real ones.</b></p>";
        return RiskComparison.page("Chakrai risk model: " + t.outcome().description, body);
    }
}
