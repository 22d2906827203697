package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai evaluate-stress}: the live stress detector scored leave-one-subject-out, on
 * Stress-Predict (the rule, from the raw recordings) or WESAD's wrist windows (a learned model
 * through the episode logic).
 */
@Command(
        name = "evaluate-stress",
        mixinStandardHelpOptions = true,
        description =
                "Replay the Stress-Predict wrist recordings through the live detector, per person in time order, "
                        + "with thresholds fitted on the other people, and score it against the per-second labels; or "
                        + "(--dataset WESAD_WRIST) WESAD's wrist windows through a model trained on the others and the episode rule.")
public final class EvaluateStress implements Callable<Integer> {
    @Option(
            names = "--dataset",
            defaultValue = "STRESS_PREDICT",
            description = "STRESS_PREDICT or WESAD_WRIST (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(
            names = "--data",
            description =
                    "the stress-predict folder, or WESAD's features.csv "
                            + "(default: the dataset's under ../shared/data)")
    Path data;

    @Option(
            names = "--model",
            defaultValue = "LOGISTIC_REGRESSION",
            description =
                    "WESAD_WRIST: the model kind scoring "
                            + "the windows (default: ${DEFAULT-VALUE})")
    io.chakrai.models.ml.ModelKind model;

    @Option(
            names = "--baseline-windows",
            defaultValue = "120",
            description =
                    "WESAD_WRIST: each person's calibration "
                            + "period (their first N windows) for the running standardisation (default: ${DEFAULT-VALUE})")
    int baselineWindows;

    @Option(names = "--json", description = "also write the figures as JSON to this file")
    Path json;

    @Option(
            names = "--signals",
            defaultValue = "hr-hrv-eda",
            description =
                    "hr-hrv (the rule's heart rate and HRV "
                            + "only) or hr-hrv-eda (skin conductance as a second road to a stress minute, its thresholds searched too; "
                            + "default: ${DEFAULT-VALUE})")
    String signals;

    @Option(
            names = "--report",
            description =
                    "the HTML report with its pictures: per-person bars, one person's timeline "
                            + "(default: reports/stress-predict-replay.html or reports/wesad-wrist-replay.html)")
    Path report;

    @Option(
            names = "--thresholds",
            defaultValue = "fitted",
            description =
                    "fitted (chosen on the other 33 people for each "
                            + "held-out one) or live (the stress job's defaults, nothing fitted) (default: ${DEFAULT-VALUE})")
    String thresholds;

    @Override
    public Integer call() throws Exception {
        if (dataset.equals("WESAD_WRIST")) {
            return wesad();
        }
        if (!dataset.equals("STRESS_PREDICT")) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--dataset must be STRESS_PREDICT or WESAD_WRIST");
        }
        if (data == null) {
            data = Path.of("../shared/data/stress-predict");
        }
        if (report == null) {
            report = Path.of("reports/stress-predict-replay.html");
        }
        if (!thresholds.equals("fitted") && !thresholds.equals("live")) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--thresholds must be fitted or live");
        }
        if (!signals.equals("hr-hrv") && !signals.equals("hr-hrv-eda")) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--signals must be hr-hrv or hr-hrv-eda");
        }
        List<StressPredictReplay.Subject> subjects = StressPredictReplay.load(data);
        EpisodeThresholds live =
                signals.equals("hr-hrv-eda")
                        ? EpisodeThresholds.DEFAULT
                        : EpisodeThresholds.DEFAULT.withEda(
                                Double.POSITIVE_INFINITY, EpisodeThresholds.DEFAULT.hrZWithEda());
        List<EpisodeThresholds> grid =
                thresholds.equals("live")
                        ? List.of(live)
                        : ThresholdSearch.grid(signals.equals("hr-hrv-eda"));
        System.out.printf(
                "%d people, %d candidate threshold sets; fitting on 33, scoring the 34th, for each person%n",
                subjects.size(), grid.size());
        List<ThresholdSearch.Fold> folds =
                ThresholdSearch.run(
                        subjects,
                        grid,
                        done -> {
                            if (done % 5 == 0 || done == subjects.size()) {
                                System.out.printf("  %d/%d folds%n", done, subjects.size());
                            }
                        });
        StressPredictReplay.Counts pooled = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        double meanBa = 0;
        StringBuilder js = new StringBuilder("{\"subjects\":[");
        System.out.printf(
                "%n%7s %9s %9s %7s %7s %7s %12s  %s%n",
                "subject",
                "bal.acc",
                "precision",
                "recall",
                "F1",
                "acc",
                "alarms/rest-h",
                "thresholds (z, delta bpm, hrv ratio, minutes, z without hrv, eda z, hr z with eda)");
        for (ThresholdSearch.Fold f : folds) {
            StressPredictReplay.Counts c = f.counts();
            pooled = pooled.plus(c);
            meanBa += c.balancedAccuracy() / folds.size();
            EpisodeThresholds t = f.chosen();
            System.out.printf(
                    Locale.ROOT,
                    "%7d %9.3f %9.3f %7.3f %7.3f %7.3f %12.2f  %.1f, %.0f, %.2f, %d, %.1f, %s, %.1f%n",
                    f.subject(),
                    c.balancedAccuracy(),
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.accuracy(),
                    c.falseAlarmsPerRestHour(),
                    t.hrZ(),
                    t.hrMinDeltaBpm(),
                    t.hrvRatio(),
                    t.consecutiveMinutes(),
                    t.hrZWithoutHrv(),
                    Double.isInfinite(t.edaZ())
                            ? "off"
                            : String.format(Locale.ROOT, "%.1f", t.edaZ()),
                    t.hrZWithEda());
            js.append(
                    String.format(
                            Locale.ROOT,
                            "%s{\"subject\":%d,\"balanced_accuracy\":%.4f,\"precision\":%.4f,"
                                    + "\"recall\":%.4f,\"f1\":%.4f,\"false_alarms_per_rest_hour\":%.3f}",
                            js.charAt(js.length() - 1) == '[' ? "" : ",",
                            f.subject(),
                            c.balancedAccuracy(),
                            c.precision(),
                            c.recall(),
                            c.f1(),
                            c.falseAlarmsPerRestHour()));
        }
        System.out.printf(
                Locale.ROOT,
                "%n%s, %d people, signals %s:%n",
                thresholds.equals("live")
                        ? "the live defaults, nothing fitted"
                        : "leave-one-subject-out",
                folds.size(),
                signals);
        System.out.printf(
                Locale.ROOT,
                "  balanced accuracy  mean over people %.3f, pooled seconds %.3f%n",
                meanBa,
                pooled.balancedAccuracy());
        System.out.printf(
                Locale.ROOT,
                "  precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  (pooled seconds)%n",
                pooled.precision(),
                pooled.recall(),
                pooled.f1(),
                pooled.accuracy());
        System.out.printf(
                Locale.ROOT,
                "  false alarms per hour of rest %.2f%n",
                pooled.falseAlarmsPerRestHour());
        js.append(
                String.format(
                        Locale.ROOT,
                        "],\"mean_balanced_accuracy\":%.4f,\"pooled\":{\"balanced_accuracy\":%.4f,"
                                + "\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"accuracy\":%.4f,\"false_alarms_per_rest_hour\":%.3f}}",
                        meanBa,
                        pooled.balancedAccuracy(),
                        pooled.precision(),
                        pooled.recall(),
                        pooled.f1(),
                        pooled.accuracy(),
                        pooled.falseAlarmsPerRestHour()));
        if (json != null) {
            Files.writeString(json, js.toString());
        }
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(
                report,
                StressReport.html(
                        "Stress-Predict replayed through the live detector ("
                                + signals
                                + ", "
                                + (thresholds.equals("live")
                                        ? "live defaults"
                                        : "thresholds fitted on the others")
                                + ")",
                        String.format(
                                Locale.ROOT,
                                "%d people, each scored with %s. Balanced accuracy %.3f (mean over people), "
                                        + "precision %.3f, recall %.3f, %.2f false alarms per hour of rest (pooled seconds).",
                                folds.size(),
                                thresholds.equals("live")
                                        ? "the live defaults"
                                        : "thresholds chosen on the others",
                                meanBa,
                                pooled.precision(),
                                pooled.recall(),
                                pooled.falseAlarmsPerRestHour()),
                        StressReport.persons(subjects, folds)));
        System.out.println("  report: " + report);
        return 0;
    }

    private int wesad() throws Exception {
        Path csv =
                data != null ? data : Path.of("../shared/data/wesad-wrist-features/features.csv");
        Path out = report != null ? report : Path.of("reports/wesad-wrist-replay.html");
        System.out.printf(
                "WESAD wrist windows, leave-one-subject-out: %s on all 18 wrist features, each person standardised "
                        + "against their first %d windows, minutes at p >= 0.5 through the episode rule (%d stress minutes in a row)%n",
                model, baselineWindows, EpisodeThresholds.DEFAULT.consecutiveMinutes());
        WesadReplay.Result r =
                WesadReplay.run(
                        csv,
                        model,
                        baselineWindows,
                        EpisodeThresholds.DEFAULT,
                        42,
                        line -> System.out.println("  " + line));
        StressPredictReplay.Counts p = r.pooled();
        String summary =
                String.format(
                        Locale.ROOT,
                        "%d people; windows: accuracy %.3f (mean over people); episodes: balanced "
                                + "accuracy %.3f (mean over people), precision %.3f, recall %.3f, %.2f false alarms per hour of baseline "
                                + "and amusement (pooled window time)",
                        r.people().size(),
                        r.meanWindowAccuracy(),
                        r.meanBalancedAccuracy(),
                        p.precision(),
                        p.recall(),
                        p.falseAlarmsPerRestHour());
        System.out.println(summary);
        if (json != null) {
            Files.writeString(
                    json,
                    String.format(
                            Locale.ROOT,
                            "{\"window_accuracy\":%.4f,\"mean_balanced_accuracy\":%.4f,"
                                    + "\"precision\":%.4f,\"recall\":%.4f,\"false_alarms_per_rest_hour\":%.3f}",
                            r.meanWindowAccuracy(),
                            r.meanBalancedAccuracy(),
                            p.precision(),
                            p.recall(),
                            p.falseAlarmsPerRestHour()));
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(
                out,
                StressReport.html(
                        "WESAD wrist replayed through a model and the episode rule (" + model + ")",
                        summary + ".",
                        r.people()));
        System.out.println("  report: " + out);
        return 0;
    }
}
