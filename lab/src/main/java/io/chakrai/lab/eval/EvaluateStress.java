package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.lab.eval.ThresholdSearch;
import io.chakrai.lab.eval.StressPredictReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chakrai evaluate-stress}: the live stress detector scored on Stress-Predict, leave-one-subject-out. */
@Command(name = "evaluate-stress", mixinStandardHelpOptions = true,
        description = "Replay the Stress-Predict wrist recordings through the live detector, per person in time order, "
                + "with thresholds fitted on the other people, and score it against the per-second labels.")
public final class EvaluateStress implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "../shared/data/stress-predict",
            description = "the stress-predict folder (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--json", description = "also write the figures as JSON to this file")
    Path json;

    @Option(names = "--signals", defaultValue = "hr-hrv-eda", description = "hr-hrv (the rule's heart rate and HRV "
            + "only) or hr-hrv-eda (skin conductance as a second road to a stress minute, its thresholds searched too; "
            + "default: ${DEFAULT-VALUE})")
    String signals;

    @Option(names = "--report", defaultValue = "reports/stress-predict-replay.html",
            description = "the HTML report with its pictures: per-person bars, one person's timeline (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--thresholds", defaultValue = "fitted", description = "fitted (chosen on the other 33 people for each "
            + "held-out one) or live (the stress job's defaults, nothing fitted) (default: ${DEFAULT-VALUE})")
    String thresholds;

    @Override
    public Integer call() throws Exception {
        if (!thresholds.equals("fitted") && !thresholds.equals("live")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--thresholds must be fitted or live");
        }
        if (!signals.equals("hr-hrv") && !signals.equals("hr-hrv-eda")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--signals must be hr-hrv or hr-hrv-eda");
        }
        List<StressPredictReplay.Subject> subjects = StressPredictReplay.load(data);
        EpisodeThresholds live = signals.equals("hr-hrv-eda") ? EpisodeThresholds.DEFAULT
                : EpisodeThresholds.DEFAULT.withEda(Double.POSITIVE_INFINITY, EpisodeThresholds.DEFAULT.hrZWithEda());
        List<EpisodeThresholds> grid = thresholds.equals("live") ? List.of(live) : ThresholdSearch.grid(signals.equals("hr-hrv-eda"));
        System.out.printf("%d people, %d candidate threshold sets; fitting on 33, scoring the 34th, for each person%n",
                subjects.size(), grid.size());
        List<ThresholdSearch.Fold> folds = ThresholdSearch.run(subjects, grid, done -> {
            if (done % 5 == 0 || done == subjects.size()) {
                System.out.printf("  %d/%d folds%n", done, subjects.size());
            }
        });
        StressPredictReplay.Counts pooled = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        double meanBa = 0;
        StringBuilder js = new StringBuilder("{\"subjects\":[");
        System.out.printf("%n%7s %9s %9s %7s %7s %7s %12s  %s%n", "subject", "bal.acc", "precision", "recall", "F1",
                "acc", "alarms/rest-h", "thresholds (z, delta bpm, hrv ratio, minutes, z without hrv, eda z, hr z with eda)");
        for (ThresholdSearch.Fold f : folds) {
            StressPredictReplay.Counts c = f.counts();
            pooled = pooled.plus(c);
            meanBa += c.balancedAccuracy() / folds.size();
            EpisodeThresholds t = f.chosen();
            System.out.printf(Locale.ROOT, "%7d %9.3f %9.3f %7.3f %7.3f %7.3f %12.2f  %.1f, %.0f, %.2f, %d, %.1f, %s, %.1f%n",
                    f.subject(), c.balancedAccuracy(), c.precision(), c.recall(), c.f1(), c.accuracy(),
                    c.falseAlarmsPerRestHour(), t.hrZ(), t.hrMinDeltaBpm(), t.hrvRatio(), t.consecutiveMinutes(),
                    t.hrZWithoutHrv(), Double.isInfinite(t.edaZ()) ? "off" : String.format(Locale.ROOT, "%.1f", t.edaZ()), t.hrZWithEda());
            js.append(String.format(Locale.ROOT, "%s{\"subject\":%d,\"balanced_accuracy\":%.4f,\"precision\":%.4f,"
                    + "\"recall\":%.4f,\"f1\":%.4f,\"false_alarms_per_rest_hour\":%.3f}",
                    js.charAt(js.length() - 1) == '[' ? "" : ",", f.subject(), c.balancedAccuracy(), c.precision(),
                    c.recall(), c.f1(), c.falseAlarmsPerRestHour()));
        }
        System.out.printf(Locale.ROOT, "%n%s, %d people, signals %s:%n", thresholds.equals("live")
                ? "the live defaults, nothing fitted" : "leave-one-subject-out", folds.size(), signals);
        System.out.printf(Locale.ROOT, "  balanced accuracy  mean over people %.3f, pooled seconds %.3f%n", meanBa,
                pooled.balancedAccuracy());
        System.out.printf(Locale.ROOT, "  precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  (pooled seconds)%n",
                pooled.precision(), pooled.recall(), pooled.f1(), pooled.accuracy());
        System.out.printf(Locale.ROOT, "  false alarms per hour of rest %.2f%n", pooled.falseAlarmsPerRestHour());
        js.append(String.format(Locale.ROOT, "],\"mean_balanced_accuracy\":%.4f,\"pooled\":{\"balanced_accuracy\":%.4f,"
                + "\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"accuracy\":%.4f,\"false_alarms_per_rest_hour\":%.3f}}",
                meanBa, pooled.balancedAccuracy(), pooled.precision(), pooled.recall(), pooled.f1(), pooled.accuracy(),
                pooled.falseAlarmsPerRestHour()));
        if (json != null) {
            Files.writeString(json, js.toString());
        }
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(report, StressReport.html("Stress-Predict replayed through the live detector (" + signals + ", "
                + (thresholds.equals("live") ? "live defaults" : "thresholds fitted on the others") + ")", subjects, folds, pooled, meanBa));
        System.out.println("  report: " + report);
        return 0;
    }
}
