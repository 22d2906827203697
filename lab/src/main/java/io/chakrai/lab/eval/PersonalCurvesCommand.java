package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.PersonalModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai evaluate-personal}: the personal stress model's learning curves on Stress-Predict
 * or WESAD's wrist windows ({@link WesadMinutes}) — balanced accuracy and false alarms per rest
 * hour after k answers per person, for each way of personalising, and the way chosen for each
 * held-out person on the others (nested, so the headline row is never tuned on the person it
 * scores).
 */
@Command(
        name = "evaluate-personal",
        mixinStandardHelpOptions = true,
        description =
                "Learning curves of the personal stress model: Stress-Predict (or WESAD's wrist windows) replayed through the live detector, "
                        + "each person answering 'was this stress?' at the detector's episodes and random check-ins until they "
                        + "have given k answers (never scored), the population prior fitted on the others.")
public final class PersonalCurvesCommand implements Callable<Integer> {
    static final int[] KS = {0, 2, 5, 10, 20};
    static final List<PersonalCurves.Variant> VARIANTS =
            List.of(
                    new PersonalCurves.Variant(1, true),
                    new PersonalCurves.Variant(4, true),
                    new PersonalCurves.Variant(1, false),
                    new PersonalCurves.Variant(4, false),
                    new PersonalCurves.Variant(16, false));

    /** The k at which the nested choice of variant is made, and the target's. */
    static final int K_CHOSEN = 10;

    /** The recordings replayed, and which of their minutes are scored. */
    public enum Dataset {
        /**
         * Sessions of alternating tasks and rests: answers in the first half, the second scored.
         */
        STRESS_PREDICT(
                "Stress-Predict",
                "../shared/data/stress-predict",
                "reports/personal-curves.html",
                "the first half of an hour-long session has only so many questions",
                "Answers from the first half of each session, every k scored on the second half."),
        /** One block of each condition: each block after the baseline cut in two. */
        WESAD_WRIST(
                "WESAD wrist",
                "../shared/data/wesad-wrist-features/features.csv",
                "reports/personal-curves-wesad.html",
                "the baseline and the first halves of the blocks have only so many questions",
                "Answers from the baseline and the first half of each later block (stress, amusement, "
                        + "meditation), every k scored on the second halves; the baseline is never scored.");

        final String title;
        final String data;
        final String report;
        final String questions;
        final String split;

        Dataset(String title, String data, String report, String questions, String split) {
            this.title = title;
            this.data = data;
            this.report = report;
            this.questions = questions;
            this.split = split;
        }

        List<StressPredictReplay.Subject> load(Path path) throws java.io.IOException {
            return this == WESAD_WRIST ? WesadMinutes.load(path) : StressPredictReplay.load(path);
        }
    }

    @Option(
            names = "--dataset",
            defaultValue = "STRESS_PREDICT",
            description = "STRESS_PREDICT or WESAD_WRIST (default: ${DEFAULT-VALUE})")
    Dataset dataset;

    @Option(
            names = "--data",
            description =
                    "the stress-predict folder, or WESAD's features.csv "
                            + "(default: the dataset's under ../shared/data)")
    Path data;

    @Option(
            names = "--asking",
            defaultValue = "ASKED",
            description =
                    "ASKED (at episodes and random check-ins) or FIRST "
                            + "(the first k minutes) (default: ${DEFAULT-VALUE})")
    PersonalCurves.Asking asking;

    @Option(
            names = "--wrong-answers",
            defaultValue = "0",
            description =
                    "share of answers that are the opposite of the "
                            + "truth (default: ${DEFAULT-VALUE})")
    double wrong;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "the check-ins' and wrong answers' draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--report",
            description =
                    "the HTML report (default: reports/personal-curves.html, "
                            + "or reports/personal-curves-wesad.html)")
    Path report;

    @Override
    public Integer call() throws Exception {
        List<StressPredictReplay.Subject> people =
                dataset.load(data == null ? Path.of(dataset.data) : data);
        if (report == null) {
            report = Path.of(dataset.report);
        }
        int n = people.size();
        System.out.printf(
                "%d people; questions: %s; %.0f%% wrong answers; the live thresholds; priors fitted on the others%n",
                n, asking, 100 * wrong);
        Curves r =
                compute(
                        people,
                        asking,
                        wrong,
                        seed,
                        done -> {
                            if (done % 5 == 0 || done == n) {
                                System.out.printf("  nested choice: %d/%d people%n", done, n);
                            }
                        });
        var table = r.table();
        var replays = r.replays();
        int[] chosen = r.chosen();
        var nested = r.nested();
        var ceilingEpisodes = r.ceilingEpisodes();
        var ceilingMinutes = r.ceilingMinutes();
        int kc = indexOf(K_CHOSEN);
        System.out.printf("%n%-18s %s%n", "", "k = answers per person (never scored)");
        System.out.printf("%-18s", "balanced accuracy");
        for (int k : KS) {
            System.out.printf("%9d", k);
        }
        System.out.println();
        List<String[]> curves = new ArrayList<>();
        for (int v = 0; v < VARIANTS.size(); v++) {
            curves.add(row(VARIANTS.get(v).label(), table[v]));
        }
        curves.add(0, row("chosen on others", nested));
        System.out.println("(mean over people; false alarms per rest hour pooled, in brackets)");
        System.out.printf("%-18s", "answers given");
        for (int k = 0; k < KS.length; k++) {
            double given = 0;
            for (int h = 0; h < n; h++) {
                given += replays[chosen[h]][k][h].answers();
            }
            System.out.printf(Locale.ROOT, "%9.1f", given / n);
        }
        System.out.println("   (mean per person: " + dataset.questions + ")");
        System.out.printf(
                Locale.ROOT,
                "the population's model from the first minute, no answers: %.3f [%.2f]%n",
                mean(r.populationFromStart()),
                pool(r.populationFromStart()).falseAlarmsPerRestHour());
        System.out.println("every k scored on the same minutes. " + dataset.split);
        System.out.printf(
                Locale.ROOT,
                "%nupper bounds, not results — each person's own model fitted on all their labelled "
                        + "minutes and scored on the same minutes:%n  through the episode rule: balanced accuracy %.3f "
                        + "(%d of %d people at 0.85 or more); minute by minute: %.3f (%d of %d)%n",
                mean(ceilingEpisodes),
                reaching(ceilingEpisodes),
                n,
                mean(ceilingMinutes),
                reaching(ceilingMinutes),
                n);
        List<StressReport.Person> atChosen = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            atChosen.add(replays[chosen[h]][kc][h].person(Integer.toString(people.get(h).id())));
        }
        long reached = atChosen.stream().filter(p -> p.counts().balancedAccuracy() >= 0.85).count();
        StressPredictReplay.Counts pooled =
                atChosen.stream()
                        .map(StressReport.Person::counts)
                        .reduce(StressPredictReplay.Counts::plus)
                        .orElseThrow();
        String summary =
                String.format(
                        Locale.ROOT,
                        "%d people. At k = %d, the variant chosen on the others: balanced "
                                + "accuracy %.3f (mean over people), %.2f false alarms per rest hour (pooled), %d of %d people at 0.85 "
                                + "or more. At k = 0 (today's detector): %.3f, %.2f; the population's model alone: %.3f, %.2f. Upper bound "
                                + "(each person's model fitted on all their own minutes): %.3f through the episode rule, %.3f minute "
                                + "by minute. %s",
                        n,
                        K_CHOSEN,
                        mean(nested[kc]),
                        pooled.falseAlarmsPerRestHour(),
                        reached,
                        n,
                        mean(nested[0]),
                        pool(nested[0]).falseAlarmsPerRestHour(),
                        mean(r.populationFromStart()),
                        pool(r.populationFromStart()).falseAlarmsPerRestHour(),
                        mean(ceilingEpisodes),
                        mean(ceilingMinutes),
                        dataset.split);
        double[] all = PersonalCurves.population(people, EpisodeThresholds.DEFAULT);
        System.out.printf(
                Locale.ROOT,
                "%npopulation weights on all %d people (on Stress-Predict, the live job's prior PersonalModel.POPULATION): %s%n",
                n,
                java.util.Arrays.toString(
                        java.util.Arrays.stream(all)
                                .map(w -> Math.round(w * 1000) / 1000.0)
                                .toArray()));
        System.out.println();
        System.out.println(summary);
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(
                report,
                StressReport.html(
                        "The personal stress model's learning curve ("
                                + dataset.title
                                + ", questions "
                                + asking
                                + ")",
                        summary
                                + "</p>"
                                + curvesSvg(curves)
                                + "<p>Per person below: k = "
                                + K_CHOSEN
                                + ", the variant chosen on the others.",
                        atChosen));
        System.out.println("  report: " + report);
        return 0;
    }

    /**
     * Everything the report shows: [variant][k][person] replays, each person with a prior fitted on
     * the others; the variant chosen for each person on the others (nested); the chosen variant's
     * counts by k; the upper bounds.
     */
    public record Curves(
            StressPredictReplay.Counts[][][] table,
            PersonalCurves.Replayed[][][] replays,
            int[] chosen,
            StressPredictReplay.Counts[][] nested,
            StressPredictReplay.Counts[] ceilingEpisodes,
            StressPredictReplay.Counts[] ceilingMinutes,
            StressPredictReplay.Counts[] populationFromStart) {}

    public static Curves compute(
            List<StressPredictReplay.Subject> people,
            PersonalCurves.Asking asking,
            double wrong,
            long seed,
            java.util.function.IntConsumer progress) {
        EpisodeThresholds t = EpisodeThresholds.DEFAULT;
        int n = people.size();
        // [variant][k][person], each person scored with the prior of the others
        StressPredictReplay.Counts[][][] table =
                new StressPredictReplay.Counts[VARIANTS.size()][KS.length][n];
        PersonalCurves.Replayed[][][] replays =
                new PersonalCurves.Replayed[VARIANTS.size()][KS.length][n];
        double[][] priorWithout = new double[n][];
        for (int h = 0; h < n; h++) {
            priorWithout[h] = PersonalCurves.population(without(people, h, -1), t);
            for (int v = 0; v < VARIANTS.size(); v++) {
                PersonalModel.Prior prior = prior(priorWithout[h], VARIANTS.get(v));
                for (int k = 0; k < KS.length; k++) {
                    replays[v][k][h] =
                            PersonalCurves.replay(
                                    people.get(h), t, prior, KS[k], asking, wrong, seed, false);
                    table[v][k][h] = replays[v][k][h].counts();
                }
            }
        }
        // nested: for each held-out person, the variant with the best mean balanced accuracy at
        // K_CHOSEN over the
        // others, each of them scored with a prior fitted on neither them nor the held-out person
        int kc = indexOf(K_CHOSEN);
        int[] chosen = new int[n];
        for (int h = 0; h < n; h++) {
            double best = -1;
            for (int v = 0; v < VARIANTS.size(); v++) {
                double sum = 0;
                for (int o = 0; o < n; o++) {
                    if (o != h) {
                        PersonalModel.Prior prior =
                                prior(
                                        PersonalCurves.population(without(people, o, h), t),
                                        VARIANTS.get(v));
                        sum +=
                                PersonalCurves.replay(
                                                people.get(o),
                                                t,
                                                prior,
                                                K_CHOSEN,
                                                asking,
                                                wrong,
                                                seed,
                                                false)
                                        .counts()
                                        .balancedAccuracy();
                    }
                }
                if (sum > best) {
                    best = sum;
                    chosen[h] = v;
                }
            }
            progress.accept(h + 1);
        }
        StressPredictReplay.Counts[][] nested = new StressPredictReplay.Counts[KS.length][n];
        for (int k = 0; k < KS.length; k++) {
            for (int h = 0; h < n; h++) {
                nested[k][h] = table[chosen[h]][k][h];
            }
        }
        StressPredictReplay.Counts[] ceilingEpisodes = new StressPredictReplay.Counts[n];
        StressPredictReplay.Counts[] ceilingMinutes = new StressPredictReplay.Counts[n];
        StressPredictReplay.Counts[] populationFromStart = new StressPredictReplay.Counts[n];
        for (int h = 0; h < n; h++) {
            ceilingEpisodes[h] = PersonalCurves.ceiling(people.get(h), t, true);
            ceilingMinutes[h] = PersonalCurves.ceiling(people.get(h), t, false);
            // what the population's model alone does, before any answer: how much of a curve is the
            // switch, not learning
            populationFromStart[h] =
                    PersonalCurves.replay(
                                    people.get(h),
                                    t,
                                    prior(priorWithout[h], VARIANTS.get(chosen[h])),
                                    0,
                                    asking,
                                    wrong,
                                    seed,
                                    true)
                            .counts();
        }
        return new Curves(
                table,
                replays,
                chosen,
                nested,
                ceilingEpisodes,
                ceilingMinutes,
                populationFromStart);
    }

    private static String[] row(String label, StressPredictReplay.Counts[][] byK) {
        String[] cells = new String[KS.length + 1];
        cells[0] = label;
        System.out.printf("%-18s", label);
        for (int k = 0; k < KS.length; k++) {
            cells[k + 1] =
                    String.format(
                            Locale.ROOT,
                            "%.4f/%.3f",
                            mean(byK[k]),
                            pool(byK[k]).falseAlarmsPerRestHour());
            System.out.printf(Locale.ROOT, "%9s", String.format(Locale.ROOT, "%.3f", mean(byK[k])));
        }
        System.out.print("   [");
        for (int k = 0; k < KS.length; k++) {
            System.out.printf(
                    Locale.ROOT,
                    "%s%.2f",
                    k == 0 ? "" : " ",
                    pool(byK[k]).falseAlarmsPerRestHour());
        }
        System.out.println("]");
        return cells;
    }

    /**
     * Balanced accuracy (top) and false alarms per rest hour (bottom) against k, a line per
     * variant.
     */
    static String curvesSvg(List<String[]> curves) {
        String[] colours = {"#1d2433", "#2a7de1", "#7fb2f0", "#e8a33d", "#d33f49", "#8a5cc2"};
        int w = 520;
        int h = 180;
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg width=\"%d\" height=\"%d\" role=\"img\" "
                                        + "aria-label=\"learning curves\">",
                                w + 220,
                                2 * h + 80));
        double[] xs = new double[KS.length];
        for (int k = 0; k < KS.length; k++) {
            xs[k] = 50 + (w - 60) * Math.sqrt(KS[k]) / Math.sqrt(KS[KS.length - 1]);
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.0f\" y=\"%d\">k=%d</text>",
                            xs[k] - 8,
                            2 * h + 70,
                            KS[k]));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"0\" y=\"14\">balanced accuracy (0.5–1; target 0.85 dashed)</text>"
                                + "<line x1=\"50\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4\"/>"
                                + "<text x=\"0\" y=\"%d\">false alarms / rest hour (0–8; target 1 dashed)</text>"
                                + "<line x1=\"50\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4\"/>",
                        w,
                        20 + h * (1 - 0.7),
                        20 + h * (1 - 0.7),
                        h + 50,
                        w,
                        h + 60 + h * (1 - 1 / 8.0),
                        h + 60 + h * (1 - 1 / 8.0)));
        for (int c = 0; c < curves.size(); c++) {
            StringBuilder ba = new StringBuilder();
            StringBuilder fa = new StringBuilder();
            for (int k = 0; k < KS.length; k++) {
                String[] v = curves.get(c)[k + 1].split("/");
                double b = Double.parseDouble(v[0]);
                double f = Math.min(8, Double.parseDouble(v[1]));
                ba.append(
                        String.format(
                                Locale.ROOT, "%.1f,%.1f ", xs[k], 20 + h * (1 - (b - 0.5) / 0.5)));
                fa.append(
                        String.format(Locale.ROOT, "%.1f,%.1f ", xs[k], h + 60 + h * (1 - f / 8)));
            }
            String colour = colours[c % colours.length];
            int width = c == 0 ? 3 : 1;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<polyline class=\"curve\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
                                    + "stroke-width=\"%d\"/><polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\"/>"
                                    + "<text x=\"%d\" y=\"%d\" fill=\"%s\" style=\"fill:%s\">%s</text>",
                            ba,
                            colour,
                            width,
                            fa,
                            colour,
                            width,
                            w + 10,
                            30 + 16 * c,
                            colour,
                            colour,
                            curves.get(c)[0]));
        }
        return s.append("</svg>").toString();
    }

    static PersonalModel.Prior prior(double[] weights, PersonalCurves.Variant v) {
        return new PersonalModel.Prior(weights, v.strength(), v.biasOnly());
    }

    private static List<StressPredictReplay.Subject> without(
            List<StressPredictReplay.Subject> people, int a, int b) {
        List<StressPredictReplay.Subject> out = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            if (i != a && i != b) {
                out.add(people.get(i));
            }
        }
        return out;
    }

    private static int indexOf(int k) {
        for (int i = 0; i < KS.length; i++) {
            if (KS[i] == k) {
                return i;
            }
        }
        throw new IllegalStateException("k " + k);
    }

    static double mean(StressPredictReplay.Counts[] people) {
        double s = 0;
        for (StressPredictReplay.Counts c : people) {
            s += c.balancedAccuracy();
        }
        return s / people.length;
    }

    static long reaching(StressPredictReplay.Counts[] people) {
        return java.util.Arrays.stream(people).filter(c -> c.balancedAccuracy() >= 0.85).count();
    }

    static StressPredictReplay.Counts pool(StressPredictReplay.Counts[] people) {
        StressPredictReplay.Counts c = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        for (StressPredictReplay.Counts p : people) {
            c = c.plus(p);
        }
        return c;
    }
}
