package io.chakrai.lab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's figures against the runs before it in {@code bench/results.tsv}: each figure beside the
 * median of the last three runs of the same benchmark with the same settings, and a verdict. A
 * figure is a regression when it is worse than that median by more than the run-to-run spread
 * (twice the median absolute deviation of the last three, so one outlier among them does not open
 * the gate), and by at least a tenth of the median, so a benchmark that never varied is not failed
 * by noise in its last digit. With fewer than three earlier runs the spread is not known and
 * nothing is judged a regression.
 *
 * <p>Which way is worse comes from the figure's name: times ({@code _ms}, {@code _s}), counts of
 * things that went wrong ({@code errors}, {@code lost}, {@code doubled}, {@code differences},
 * {@code retried_requests}) and resident memory are worse higher; rates ({@code _per_s}, {@code
 * durable_over_ceiling}) and what arrived ({@code answered}, {@code stored}, {@code predictions})
 * are worse lower. Anything else (CPU shares, heap after a collection, lists) is shown, not judged.
 */
public final class BenchComparison {
    /** How many earlier runs a figure is set against. */
    public static final int LAST = 3;

    private BenchComparison() {}

    /** One line of the results file. */
    public record Run(
            String utc,
            String commit,
            String benchmark,
            String settings,
            Map<String, String> figures) {
        static Run parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                return null;
            }
            Map<String, String> figures = new LinkedHashMap<>();
            for (String kv : f[4].split(";")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    figures.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new Run(f[0], f[1], f[2], f[3], figures);
        }
    }

    /** Which way a figure gets worse. */
    public enum Direction {
        LOWER_IS_BETTER,
        HIGHER_IS_BETTER,
        NOT_JUDGED
    }

    /** A figure of this run beside the earlier ones. */
    public record Verdict(
            String benchmark,
            String figure,
            double value,
            int earlier,
            double median,
            double min,
            double max,
            Direction direction,
            boolean regression) {
        /** One line of the printed table. */
        public String line() {
            String before =
                    earlier == 0
                            ? "no earlier run"
                            : String.format(
                                    Locale.ROOT,
                                    "%s (%s–%s, %d run%s)",
                                    fmt(median),
                                    fmt(min),
                                    fmt(max),
                                    earlier,
                                    earlier == 1 ? "" : "s");
            String mark =
                    regression
                            ? "REGRESSION"
                            : direction == Direction.NOT_JUDGED
                                    ? ""
                                    : earlier == 0
                                            ? "baseline"
                                            : earlier < LAST ? "spread not known yet" : "ok";
            return String.format(
                    Locale.ROOT,
                    "%-14s %-24s %14s   %-40s %s",
                    benchmark,
                    figure,
                    fmt(value),
                    before,
                    mark);
        }
    }

    static Direction direction(String figure) {
        if (figure.equals("ceiling_per_s")) {
            return Direction
                    .NOT_JUDGED; // the machine's own COPY rate: it says how busy the machine was,
            // not the code
        }
        if (figure.endsWith("_per_s")
                || figure.equals("durable_over_ceiling")
                || figure.equals("answered")
                || figure.equals("stored")
                || figure.endsWith("predictions")
                || figure.equals("posted")) {
            return Direction.HIGHER_IS_BETTER;
        }
        if (figure.endsWith("_ms")
                || figure.endsWith("_s")
                || figure.equals("errors")
                || figure.equals("lost")
                || figure.equals("doubled")
                || figure.equals("differences")
                || figure.equals("retried_requests")
                || figure.startsWith("rss_kb")) {
            return Direction.LOWER_IS_BETTER;
        }
        return Direction.NOT_JUDGED;
    }

    /** Every line of a results file, parsed (the header and malformed lines left out). */
    public static List<Run> read(Path file) throws IOException {
        List<Run> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Run r = line.startsWith("utc\t") ? null : Run.parse(line);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The verdicts on {@code runs.get(from)} and after (this batch), each against the last runs
     * before the batch with the same benchmark and settings.
     */
    public static List<Verdict> compare(List<Run> runs, int from) {
        List<Verdict> out = new ArrayList<>();
        for (int i = from; i < runs.size(); i++) {
            Run now = runs.get(i);
            List<Run> same = last(runs.subList(0, from), now.benchmark(), now.settings());
            for (Map.Entry<String, String> f : now.figures().entrySet()) {
                double value = number(f.getValue());
                if (!Double.isNaN(value)) {
                    out.add(verdict(now.benchmark(), f.getKey(), value, values(same, f.getKey())));
                }
            }
        }
        return out;
    }

    static Verdict verdict(String benchmark, String figure, double value, double[] sortedBefore) {
        Direction d = direction(figure);
        if (sortedBefore.length == 0) {
            return new Verdict(
                    benchmark, figure, value, 0, Double.NaN, Double.NaN, Double.NaN, d, false);
        }
        double median = median(sortedBefore);
        double min = sortedBefore[0];
        double max = sortedBefore[sortedBefore.length - 1];
        // the spread is twice the median absolute deviation, not the range: one bad run among the
        // last three must not
        // widen the gate so far that a return to it passes
        double[] deviations =
                Arrays.stream(sortedBefore).map(v -> Math.abs(v - median)).sorted().toArray();
        double tolerance = Math.max(2 * median(deviations), 0.1 * Math.abs(median));
        double worse =
                switch (d) {
                    case LOWER_IS_BETTER -> value - median;
                    case HIGHER_IS_BETTER -> median - value;
                    case NOT_JUDGED -> 0;
                };
        // with fewer than three earlier runs the spread is not known, and one noisy run would fail
        // the next
        boolean judged = sortedBefore.length >= LAST;
        return new Verdict(
                benchmark,
                figure,
                value,
                sortedBefore.length,
                median,
                min,
                max,
                d,
                judged && worse > tolerance);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 || v == Math.rint(v)
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The last {@value #LAST} runs of a benchmark with the given settings, oldest first. */
    public static List<Run> last(List<Run> runs, String benchmark, String settings) {
        List<Run> same =
                runs.stream()
                        .filter(
                                r ->
                                        r.benchmark().equals(benchmark)
                                                && r.settings().equals(settings))
                        .toList();
        return same.subList(Math.max(0, same.size() - LAST), same.size());
    }

    /** A figure's values over runs that have it as a number, sorted. */
    static double[] values(List<Run> runs, String figure) {
        return runs.stream()
                .mapToDouble(r -> number(r.figures().getOrDefault(figure, "")))
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .toArray();
    }

    /**
     * The median of a figure over runs with its range, "median (min–max)"; a single run's figure
     * alone.
     */
    public static String summary(List<Run> runs, String figure) {
        double[] v = values(runs, figure);
        if (v.length == 0) {
            return "-";
        }
        return v.length == 1
                ? fmt(v[0])
                : fmt(median(v)) + " (" + fmt(v[0]) + "–" + fmt(v[v.length - 1]) + ")";
    }
}
