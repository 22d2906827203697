package io.chakrai.lab.eval;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The replay evaluation as a page a person can read at a glance: every held-out person's balanced
 * accuracy and false alarms per rest hour as bars (sorted, the chance line drawn), and one person's
 * timeline — the protocol's stress seconds against the detector's episodes, minute by minute — for
 * the person in the middle of the ranking. Inline SVG, no scripts.
 */
public final class StressReport {
    private StressReport() {}

    /**
     * One held-out person: their counts, and minute by minute the share of the minute labelled
     * stress and whether the detector's episode was going.
     */
    public record Person(
            String id,
            StressPredictReplay.Counts counts,
            double[] stressShare,
            boolean[] detected) {}

    /** The Stress-Predict replay's folds as persons. */
    public static List<Person> persons(
            List<StressPredictReplay.Subject> subjects, List<ThresholdSearch.Fold> folds) {
        return folds.stream()
                .map(
                        f -> {
                            StressPredictReplay.Subject who =
                                    subjects.stream()
                                            .filter(s -> s.id() == f.subject())
                                            .findFirst()
                                            .orElseThrow();
                            boolean[][] flags = StressPredictReplay.flags(who, f.chosen());
                            double[] share = new double[flags.length];
                            boolean[] detected = new boolean[flags.length];
                            for (int i = 0; i < flags.length; i++) {
                                int[] labels = who.secondLabels().get(i);
                                share[i] =
                                        labels.length == 0
                                                ? 0
                                                : java.util.Arrays.stream(labels)
                                                                .filter(l -> l == 1)
                                                                .count()
                                                        / (double) labels.length;
                                detected[i] = flags[i][0];
                            }
                            return new Person(
                                    Integer.toString(f.subject()), f.counts(), share, detected);
                        })
                .toList();
    }

    public static String html(String title, String intro, List<Person> people) {
        StringBuilder h =
                new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                        .append(title)
                        .append(
                                "</title><style>body{font-family:sans-serif;margin:24px;color:#1d2433}"
                                        + "svg text{font-size:11px;fill:#1d2433}</style></head><body><h1>")
                        .append(title)
                        .append("</h1>");
        h.append("<p>").append(intro).append("</p>");
        List<Person> sorted =
                people.stream()
                        .sorted(Comparator.comparingDouble(p -> p.counts().balancedAccuracy()))
                        .toList();
        h.append("<h2>Per person</h2>").append(bars(sorted));
        Person middle = sorted.get(sorted.size() / 2);
        h.append(
                String.format(
                        Locale.ROOT,
                        "<h2>One person's session: %s (balanced accuracy %.3f, the middle of the "
                                + "ranking)</h2>",
                        middle.id(),
                        middle.counts().balancedAccuracy()));
        h.append(timeline(middle));
        return h.append("</body></html>").toString();
    }

    /** Balanced accuracy (0–1, chance at 0.5) and false alarms per rest hour (0–15) per person. */
    static String bars(List<Person> folds) {
        int w = 18;
        int height = 200;
        int width = folds.size() * w + 60;
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"per-person bars\">",
                                width,
                                2 * height + 90,
                                width,
                                2 * height + 90));
        s.append("<text x=\"0\" y=\"12\">balanced accuracy</text>");
        s.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"40\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4\"/>"
                                + "<text x=\"0\" y=\"%.1f\">0.5</text>",
                        width,
                        20 + height * 0.5,
                        20 + height * 0.5,
                        24 + height * 0.5));
        int top2 = height + 50;
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"0\" y=\"%d\">false alarms / rest hour (0–15)</text>",
                        top2 - 8));
        for (int i = 0; i < folds.size(); i++) {
            StressPredictReplay.Counts c = folds.get(i).counts();
            String id = folds.get(i).id();
            double ba = c.balancedAccuracy();
            double bh = height * ba;
            int x = 40 + i * w;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<rect class=\"person\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                                    + "<title>person %s: %.3f</title></rect>",
                            x,
                            20 + height - bh,
                            w - 3,
                            bh,
                            ba >= 0.5 ? "#2a7de1" : "#d33f49",
                            id,
                            ba));
            double fa = Math.min(15, c.falseAlarmsPerRestHour());
            double fh = height * fa / 15;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#e8a33d\">"
                                    + "<title>person %s: %.2f</title></rect>",
                            x,
                            top2 + height - fh,
                            w - 3,
                            fh,
                            id,
                            c.falseAlarmsPerRestHour()));
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" transform=\"rotate(90 %d %d)\">%s</text>",
                            x + 3,
                            top2 + height + 4,
                            x + 3,
                            top2 + height + 4,
                            id));
        }
        return s.append("</svg>").toString();
    }

    /**
     * Minute by minute: the share of the minute labelled stress (grey) and the detector's episodes
     * (red).
     */
    static String timeline(Person who) {
        int n = who.detected().length;
        int w = n > 150 ? 4 : 8;
        int width = n * w + 80;
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg width=\"%d\" height=\"110\" viewBox=\"0 0 %d 110\" role=\"img\" aria-label=\"timeline\">"
                                        + "<text x=\"0\" y=\"30\">labelled</text><text x=\"0\" y=\"75\">detected</text>",
                                width,
                                width));
        for (int i = 0; i < n; i++) {
            int x = 70 + i * w;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<rect class=\"label\" x=\"%d\" y=\"15\" width=\"%d\" height=\"25\" fill=\"#555\" "
                                    + "fill-opacity=\"%.2f\"/>",
                            x,
                            w - 1,
                            who.stressShare()[i]));
            if (who.detected()[i]) {
                s.append(
                        String.format(
                                Locale.ROOT,
                                "<rect class=\"detected\" x=\"%d\" y=\"60\" width=\"%d\" height=\"25\" fill=\"#d33f49\"/>",
                                x,
                                w - 1));
            }
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"70\" y=\"105\">minute 0</text><text x=\"%d\" y=\"105\">minute %d</text>",
                        70 + (n - 1) * w - 50,
                        n - 1));
        return s.append("</svg>").toString();
    }
}
