package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeThresholds;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The replay evaluation as a page a person can read at a glance: every held-out person's balanced accuracy and
 * false alarms per rest hour as bars (sorted, the chance line drawn), and one person's timeline — the protocol's
 * stress seconds against the detector's episodes, minute by minute — for the person in the middle of the ranking.
 * Inline SVG, no scripts.
 */
public final class StressReport {
    private StressReport() {
    }

    public static String html(String title, List<StressPredictReplay.Subject> subjects, List<ThresholdSearch.Fold> folds,
                              StressPredictReplay.Counts pooled, double meanBalanced) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(title).append("</title><style>body{font-family:sans-serif;margin:24px;color:#1d2433}"
                        + "svg text{font-size:11px;fill:#1d2433}</style></head><body><h1>").append(title).append("</h1>");
        h.append(String.format(Locale.ROOT, "<p>%d people, each scored with thresholds chosen on the others. Balanced "
                        + "accuracy %.3f (mean over people), precision %.3f, recall %.3f, %.2f false alarms per hour of rest "
                        + "(pooled seconds).</p>", folds.size(), meanBalanced, pooled.precision(), pooled.recall(),
                pooled.falseAlarmsPerRestHour()));
        List<ThresholdSearch.Fold> sorted = folds.stream()
                .sorted(Comparator.comparingDouble(f -> f.counts().balancedAccuracy())).toList();
        h.append("<h2>Per person</h2>").append(bars(sorted));
        ThresholdSearch.Fold middle = sorted.get(sorted.size() / 2);
        StressPredictReplay.Subject who = subjects.stream().filter(s -> s.id() == middle.subject()).findFirst().orElseThrow();
        h.append(String.format(Locale.ROOT, "<h2>One person's session: %d (balanced accuracy %.3f, the middle of the "
                + "ranking)</h2>", who.id(), middle.counts().balancedAccuracy()));
        h.append(timeline(who, middle.chosen()));
        return h.append("</body></html>").toString();
    }

    /** Balanced accuracy (0–1, chance at 0.5) and false alarms per rest hour (0–15) per person. */
    static String bars(List<ThresholdSearch.Fold> folds) {
        int w = 18;
        int height = 200;
        int width = folds.size() * w + 60;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"per-person bars\">",
                width, 2 * height + 70, width, 2 * height + 70));
        s.append("<text x=\"0\" y=\"12\">balanced accuracy</text>");
        s.append(String.format(Locale.ROOT, "<line x1=\"40\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4\"/>"
                + "<text x=\"0\" y=\"%.1f\">0.5</text>", width, 20 + height * 0.5, 20 + height * 0.5, 24 + height * 0.5));
        int top2 = height + 50;
        s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">false alarms / rest hour (0–15)</text>", top2 - 8));
        for (int i = 0; i < folds.size(); i++) {
            StressPredictReplay.Counts c = folds.get(i).counts();
            double ba = c.balancedAccuracy();
            double bh = height * ba;
            int x = 40 + i * w;
            s.append(String.format(Locale.ROOT, "<rect class=\"person\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                            + "<title>person %d: %.3f</title></rect>", x, 20 + height - bh, w - 3, bh,
                    ba >= 0.5 ? "#2a7de1" : "#d33f49", folds.get(i).subject(), ba));
            double fa = Math.min(15, c.falseAlarmsPerRestHour());
            double fh = height * fa / 15;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#e8a33d\">"
                    + "<title>person %d: %.2f</title></rect>", x, top2 + height - fh, w - 3, fh, folds.get(i).subject(),
                    c.falseAlarmsPerRestHour()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(90 %d %d)\">%d</text>",
                    x + 3, top2 + height + 4, x + 3, top2 + height + 4, folds.get(i).subject()));
        }
        return s.append("</svg>").toString();
    }

    /** Minute by minute: the share of the minute's seconds labelled stress (grey) and the detector's episodes (red). */
    static String timeline(StressPredictReplay.Subject who, EpisodeThresholds t) {
        boolean[][] flags = StressPredictReplay.flags(who, t);
        int w = 8;
        int width = flags.length * w + 80;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"110\" viewBox=\"0 0 %d 110\" role=\"img\" aria-label=\"timeline\">"
                        + "<text x=\"0\" y=\"30\">labelled</text><text x=\"0\" y=\"75\">detected</text>", width, width));
        for (int i = 0; i < flags.length; i++) {
            int[] labels = who.secondLabels().get(i);
            long stress = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
            double share = labels.length == 0 ? 0 : (double) stress / labels.length;
            int x = 70 + i * w;
            s.append(String.format(Locale.ROOT, "<rect class=\"label\" x=\"%d\" y=\"15\" width=\"%d\" height=\"25\" fill=\"#555\" "
                    + "fill-opacity=\"%.2f\"/>", x, w - 1, share));
            if (flags[i][0]) {
                s.append(String.format(Locale.ROOT, "<rect class=\"detected\" x=\"%d\" y=\"60\" width=\"%d\" height=\"25\" fill=\"#d33f49\"/>",
                        x, w - 1));
            }
        }
        s.append(String.format(Locale.ROOT, "<text x=\"70\" y=\"105\">minute 0</text><text x=\"%d\" y=\"105\">minute %d</text>",
                70 + (flags.length - 1) * w - 50, flags.length - 1));
        return s.append("</svg>").toString();
    }
}
