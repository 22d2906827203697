package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.TrainedModel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The evaluation report: a JSON of the figures and an HTML page with a ROC curve, confusion matrix
 * and importances.
 */
final class Report {
    private static final ObjectMapper JSON = Json.MAPPER;

    private Report() {}

    static ObjectNode json(
            String dataset,
            FeatureTable t,
            List<LeaveOneSubjectOut.Result> results,
            TrainedModel shipped) {
        ObjectNode root = JSON.createObjectNode();
        root.put("dataset", dataset);
        root.put("data_sha256", t.dataHash());
        root.put("rows", t.y().length);
        root.put("subjects", t.subjectIds().size());
        root.putPOJO("features", t.features());
        root.put(
                "evaluation",
                "leave-one-subject-out, threshold 0.5; settings chosen inside each fold by grouped 3-fold "
                        + "cross-validation over the other people when more than one was searched");
        root.put("search_metric", LeaveOneSubjectOut.SEARCH_METRIC);
        ArrayNode models = root.putArray("models");
        for (LeaveOneSubjectOut.Result r : results) {
            ObjectNode m = models.addObject();
            m.put("model", r.kind().name().toLowerCase(Locale.ROOT));
            m.put("mean_accuracy_over_subjects", round(r.meanAccuracy()));
            m.put("mean_balanced_accuracy_over_subjects", round(r.meanBalancedAccuracy()));
            figures(m.putObject("pooled"), r.pooled());
            ObjectNode per = m.putObject("by_subject");
            r.bySubject().forEach((s, x) -> figures(per.putObject(s), x));
            ArrayNode searched = m.putArray("searched");
            HyperParameters.grid(r.kind()).forEach(h -> searched.add(h.describe(r.kind())));
            ObjectNode chosen = m.putObject("chosen_in_folds");
            r.chosen()
                    .values()
                    .forEach(
                            h ->
                                    chosen.put(
                                            h.describe(r.kind()),
                                            chosen.path(h.describe(r.kind())).asInt() + 1));
        }
        ObjectNode ship = root.putObject("shipped_model");
        ship.put("model", shipped.kind().name().toLowerCase(Locale.ROOT));
        ship.put("calibrated", shipped.calibrated());
        if (shipped.settings() != null) {
            ship.put("settings", shipped.settings().describe(shipped.kind()));
        }
        if (shipped.perPersonRunning()) {
            ship.put(
                    "per_person_standardisation",
                    shipped.baselineRows() > 0
                            ? "each person's first "
                                    + shipped.baselineRows()
                                    + " windows, then frozen"
                            : "each person's earlier windows");
        }
        ObjectNode imp = ship.putObject("feature_importance");
        double[] v = shipped.importance();
        for (int i = 0; i < v.length; i++) {
            imp.put(shipped.features().get(i), round(v[i]));
        }
        return root;
    }

    private static void figures(ObjectNode n, Metrics m) {
        n.put("accuracy", round(m.accuracy()));
        n.put("balanced_accuracy", round(m.balancedAccuracy()));
        n.put("precision", round(m.precision()));
        n.put("recall", round(m.recall()));
        n.put("f1", round(m.f1()));
        n.put("roc_auc", round(m.auc()));
        n.putObject("confusion")
                .put("tp", m.tp())
                .put("fp", m.fp())
                .put("tn", m.tn())
                .put("fn", m.fn());
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : Double.NaN;
    }

    static String html(
            String dataset,
            FeatureTable t,
            List<LeaveOneSubjectOut.Result> results,
            TrainedModel shipped) {
        StringBuilder h =
                new StringBuilder(
                                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Chakrai model report: ")
                        .append(dataset)
                        .append(
                                "</title><style>body{font-family:sans-serif;margin:24px;color:#1d2433}"
                                        + "table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:4px 8px;text-align:right}"
                                        + ".row{display:flex;gap:32px;flex-wrap:wrap}</style></head><body>");
        h.append("<h1>")
                .append(dataset)
                .append(": stress vs no stress, leave-one-subject-out</h1>");
        h.append(
                String.format(
                        Locale.ROOT,
                        "<p>%d rows, %d people, %d features; data SHA-256 <code>%s</code></p>",
                        t.y().length,
                        t.subjectIds().size(),
                        t.features().size(),
                        t.dataHash()));
        h.append(
                "<table><tr><th>model</th><th>accuracy (mean over people)</th><th>balanced accuracy</th><th>F1</th>"
                        + "<th>ROC AUC</th><th>worst person</th></tr>");
        for (LeaveOneSubjectOut.Result r : results) {
            double worst =
                    r.bySubject().values().stream()
                            .mapToDouble(Metrics::accuracy)
                            .min()
                            .orElse(Double.NaN);
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><td>%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>"
                                    + "<td>%.3f</td></tr>",
                            r.kind().name().toLowerCase(Locale.ROOT),
                            r.meanAccuracy(),
                            r.meanBalancedAccuracy(),
                            r.pooled().f1(),
                            r.pooled().auc(),
                            worst));
        }
        h.append("</table>");
        h.append("<p>Shipped: ")
                .append(shipped.kind().name().toLowerCase(Locale.ROOT))
                .append(
                        shipped.settings() == null
                                ? ""
                                : ", " + shipped.settings().describe(shipped.kind()))
                .append(
                        ". Settings per held-out person chosen by grouped 3-fold cross-validation among the others (")
                .append(LeaveOneSubjectOut.SEARCH_METRIC)
                .append("):</p><ul>");
        for (LeaveOneSubjectOut.Result r : results) {
            java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            r.chosen().values().forEach(x -> counts.merge(x.describe(r.kind()), 1, Integer::sum));
            h.append("<li>").append(r.kind().name().toLowerCase(Locale.ROOT)).append(": ");
            counts.forEach((d, n) -> h.append(d).append(" ×").append(n).append("; "));
            h.append("</li>");
        }
        h.append("</ul><div class=\"row\">");
        h.append(roc(t, results));
        LeaveOneSubjectOut.Result best =
                results.stream().filter(r -> r.kind() == shipped.kind()).findFirst().orElseThrow();
        h.append(confusion(best.pooled(), best.kind().name().toLowerCase(Locale.ROOT)));
        h.append(importance(shipped));
        h.append("</div><h2>Per person (")
                .append(best.kind().name().toLowerCase(Locale.ROOT))
                .append(
                        ")</h2><table><tr><th>person</th><th>accuracy</th><th>balanced accuracy</th><th>F1</th></tr>");
        best.bySubject()
                .forEach(
                        (s, m) ->
                                h.append(
                                        String.format(
                                                Locale.ROOT,
                                                "<tr><td>%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                                                s,
                                                m.accuracy(),
                                                m.balancedAccuracy(),
                                                m.f1())));
        return h.append("</table></body></html>").toString();
    }

    private static String roc(FeatureTable t, List<LeaveOneSubjectOut.Result> results) {
        String[] colors = {"#d33f49", "#2a7de1", "#2f9e44"};
        StringBuilder s =
                new StringBuilder(
                        "<figure><svg width=\"320\" height=\"320\" viewBox=\"-30 -10 330 340\">"
                                + "<rect x=\"0\" y=\"0\" width=\"300\" height=\"300\" fill=\"none\" stroke=\"#888\"/>"
                                + "<line x1=\"0\" y1=\"300\" x2=\"300\" y2=\"0\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>");
        for (int k = 0; k < results.size(); k++) {
            double[][] pts = Metrics.roc(t.y(), results.get(k).probabilities());
            StringBuilder path = new StringBuilder();
            int step = Math.max(1, pts.length / 400);
            for (int i = 0; i < pts.length; i += step) {
                path.append(i == 0 ? "M" : "L")
                        .append(
                                String.format(
                                        Locale.ROOT,
                                        "%.1f,%.1f ",
                                        pts[i][0] * 300,
                                        300 - pts[i][1] * 300));
            }
            path.append("L300,0");
            s.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colors[k % 3])
                    .append("\" stroke-width=\"2\"/>");
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"110\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s AUC %.3f</text>",
                            230 + 16 * k,
                            colors[k % 3],
                            results.get(k).kind().name().toLowerCase(Locale.ROOT),
                            results.get(k).pooled().auc()));
        }
        return s.append(
                        "<text x=\"100\" y=\"325\" font-size=\"12\">false positive rate</text></svg>"
                                + "<figcaption>ROC, pooled out-of-fold</figcaption></figure>")
                .toString();
    }

    private static String confusion(Metrics m, String name) {
        long max = Math.max(Math.max(m.tp(), m.tn()), Math.max(m.fp(), m.fn()));
        String cell =
                "<rect x=\"%d\" y=\"%d\" width=\"120\" height=\"120\" fill=\"rgba(52,64,107,%.2f)\"/>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"middle\" fill=\"%s\">%d</text>";
        StringBuilder s =
                new StringBuilder(
                        "<figure><svg width=\"300\" height=\"300\" viewBox=\"-50 -30 300 300\">");
        long[][] v = {{m.tn(), m.fp()}, {m.fn(), m.tp()}};
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                double a = max == 0 ? 0 : 0.15 + 0.85 * v[r][c] / (double) max;
                s.append(
                        String.format(
                                Locale.ROOT,
                                cell,
                                c * 120,
                                r * 120,
                                a,
                                c * 120 + 60,
                                r * 120 + 65,
                                a > 0.5 ? "#fff" : "#000",
                                v[r][c]));
            }
        }
        return s.append(
                        "<text x=\"20\" y=\"-10\" font-size=\"12\">predicted: no stress / stress</text>"
                                + "<text x=\"-40\" y=\"60\" font-size=\"12\">calm</text><text x=\"-45\" y=\"180\" font-size=\"12\">stress</text>"
                                + "</svg><figcaption>confusion matrix, ")
                .append(name)
                .append("</figcaption></figure>")
                .toString();
    }

    private static String importance(TrainedModel m) {
        double[] v = m.importance();
        double max = Arrays.stream(v).max().orElse(1);
        StringBuilder s =
                new StringBuilder("<figure><svg width=\"380\" height=\"")
                        .append(20 * v.length + 10)
                        .append("\">");
        Integer[] order =
                IntStream.range(0, v.length)
                        .boxed()
                        .sorted((a, b) -> Double.compare(v[b], v[a]))
                        .toArray(Integer[]::new);
        for (int i = 0; i < order.length; i++) {
            int j = order[i];
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                                    + "<rect x=\"120\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"#2a7de1\"/>",
                            20 * i + 14,
                            m.features().get(j),
                            20 * i + 3,
                            250 * v[j] / (max == 0 ? 1 : max)));
        }
        return s.append(
                        "</svg><figcaption>feature importance (shipped model)</figcaption></figure>")
                .toString();
    }
}
