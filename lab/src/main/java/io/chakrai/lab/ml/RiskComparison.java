package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Risk scorers side by side on exactly the same answers: ROC AUC, balanced accuracy at each one's
 * decision point (a model: the base rate of the answers it learned from — a calibrated model of a
 * rarer outcome seldom says 0.5; the rule: its "moderate" band, score 25, where the product starts
 * to flag risk), Brier score and a reliability curve (the rule's score / 100 read as a probability
 * — it was never calibrated to be one, and the curve shows it). Used by {@code train --dataset
 * PLATFORM_RISK} on held-out answers and by {@code models compare} on the outcomes that arrived
 * while a challenger shadowed.
 */
record RiskComparison(String what, int[] y, List<Scorer> scorers) {

    /**
     * One scorer's probabilities of the positive outcome for the answers, and the cut it decides
     * at.
     */
    record Scorer(String name, double[] p, double threshold) {
        Metrics metrics(int[] y) {
            return Metrics.of(y, p, threshold);
        }

        double brier(int[] y) {
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (p[i] - y[i]) * (p[i] - y[i]);
            }
            return y.length == 0 ? Double.NaN : s / y.length;
        }

        /**
         * Five equal-width bins of predicted probability: {mean predicted, observed rate, count}
         * each.
         */
        double[][] reliability(int[] y) {
            double[][] bins = new double[5][3];
            for (int i = 0; i < y.length; i++) {
                int b = Math.min(4, (int) (p[i] * 5));
                bins[b][0] += p[i];
                bins[b][1] += y[i];
                bins[b][2]++;
            }
            for (double[] b : bins) {
                if (b[2] > 0) {
                    b[0] /= b[2];
                    b[1] /= b[2];
                }
            }
            return bins;
        }
    }

    long positives() {
        long n = 0;
        for (int v : y) {
            n += v;
        }
        return n;
    }

    ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("answers", y.length);
        root.put("positive", positives());
        ArrayNode a = root.putArray("scorers");
        for (Scorer s : scorers) {
            Metrics m = s.metrics(y);
            a.addObject()
                    .put("name", s.name())
                    .put("threshold", s.threshold())
                    .put("roc_auc", round(m.auc()))
                    .put("balanced_accuracy", round(m.balancedAccuracy()))
                    .put("recall", round(m.recall()))
                    .put("specificity", round(m.specificity()))
                    .put("brier", round(s.brier(y)));
        }
        return root;
    }

    String table() {
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%-24s %8s %9s %8s %8s %8s%n",
                                "",
                                "ROC AUC",
                                "bal. acc",
                                "recall",
                                "spec.",
                                "Brier"));
        for (Scorer sc : scorers) {
            Metrics m = sc.metrics(y);
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%-24s %8.3f %9.3f %8.3f %8.3f %8.3f%n",
                            sc.name(),
                            m.auc(),
                            m.balancedAccuracy(),
                            m.recall(),
                            m.specificity(),
                            sc.brier(y)));
        }
        return s.toString();
    }

    String html() {
        String[] colors = {"#d33f49", "#2a7de1", "#2f9e44", "#8a5cf6"};
        StringBuilder h = new StringBuilder("<h2>").append(what).append("</h2>");
        h.append(
                String.format(
                        Locale.ROOT, "<p>%d answers, %d positive.</p>", y.length, positives()));
        h.append(
                "<table><tr><th>scorer</th><th>decides at</th><th>ROC AUC</th><th>balanced accuracy</th><th>recall</th>"
                        + "<th>specificity</th><th>Brier</th></tr>");
        for (Scorer s : scorers) {
            Metrics m = s.metrics(y);
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><td>%s</td><td>%.2f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>"
                                    + "<td>%.3f</td><td>%.3f</td></tr>",
                            s.name(),
                            s.threshold(),
                            m.auc(),
                            m.balancedAccuracy(),
                            m.recall(),
                            m.specificity(),
                            s.brier(y)));
        }
        h.append(
                "</table><div class=\"row\"><figure><svg width=\"320\" height=\"330\" viewBox=\"-30 -10 330 340\" "
                        + "role=\"img\" aria-label=\"ROC curves\"><rect x=\"0\" y=\"0\" width=\"300\" height=\"300\" fill=\"none\" "
                        + "stroke=\"#888\"/><line x1=\"0\" y1=\"300\" x2=\"300\" y2=\"0\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>");
        for (int k = 0; k < scorers.size(); k++) {
            double[][] pts = Metrics.roc(y, scorers.get(k).p());
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < pts.length; i++) {
                path.append(i == 0 ? "M" : "L")
                        .append(
                                String.format(
                                        Locale.ROOT,
                                        "%.1f,%.1f ",
                                        pts[i][0] * 300,
                                        300 - pts[i][1] * 300));
            }
            h.append("<path class=\"roc\" d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colors[k % colors.length])
                    .append("\" stroke-width=\"2\"/>");
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"120\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s AUC %.3f</text>",
                            230 + 16 * k,
                            colors[k % colors.length],
                            scorers.get(k).name(),
                            scorers.get(k).metrics(y).auc()));
        }
        h.append(
                "<text x=\"100\" y=\"325\" font-size=\"12\">false positive rate</text></svg><figcaption>ROC, same answers"
                        + "</figcaption></figure><figure><svg width=\"320\" height=\"330\" viewBox=\"-30 -10 330 340\" role=\"img\" "
                        + "aria-label=\"calibration\"><rect x=\"0\" y=\"0\" width=\"300\" height=\"300\" fill=\"none\" stroke=\"#888\"/>"
                        + "<line x1=\"0\" y1=\"300\" x2=\"300\" y2=\"0\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>");
        for (int k = 0; k < scorers.size(); k++) {
            StringBuilder path = new StringBuilder();
            for (double[] b : scorers.get(k).reliability(y)) {
                if (b[2] > 0) {
                    double x = b[0] * 300;
                    double yy = 300 - b[1] * 300;
                    path.append(path.isEmpty() ? "M" : "L")
                            .append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yy));
                    h.append(
                            String.format(
                                    Locale.ROOT,
                                    "<circle class=\"bin\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>",
                                    x,
                                    yy,
                                    2 + Math.sqrt(b[2]),
                                    colors[k % colors.length]));
                }
            }
            h.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colors[k % colors.length])
                    .append("\" stroke-width=\"1.5\"/>");
        }
        return h.append(
                        "<text x=\"70\" y=\"325\" font-size=\"12\">predicted probability (rule: score / 100)</text>"
                                + "</svg><figcaption>calibration: observed rate per fifth of predicted probability (dot area: answers)"
                                + "</figcaption></figure></div>")
                .toString();
    }

    static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                + title
                + "</title><style>"
                + "body{font-family:sans-serif;margin:24px;color:#1d2433}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccd;padding:4px 8px;text-align:right}.row{display:flex;gap:32px;flex-wrap:wrap}"
                + "</style></head><body><h1>"
                + title
                + "</h1>"
                + body
                + "</body></html>";
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : Double.NaN;
    }
}
