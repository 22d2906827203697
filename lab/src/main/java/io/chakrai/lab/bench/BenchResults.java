package io.chakrai.lab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Every benchmark's figures, kept: one tab-separated line per run appended to {@code
 * bench/results.tsv} (time, commit — with {@code +dirty} when the tree had uncommitted changes —,
 * benchmark, settings, figures), so a regression shows up as a diff and every figure in the README
 * names its commit.
 */
public final class BenchResults {
    static final String HEADER = "utc\tcommit\tbenchmark\tsettings\tfigures";

    private BenchResults() {}

    /** The {@code --results} option every benchmark takes (a picocli mixin). */
    public static final class Option {
        @picocli.CommandLine.Option(
                names = "--results",
                defaultValue = "bench/results.tsv",
                description =
                        "where the figures are appended with the commit (default: ${DEFAULT-VALUE})")
        Path file;

        /** Appends one run of {@code benchmark} to the file. */
        public void append(String benchmark, Map<String, ?> settings, Map<String, ?> figures) {
            BenchResults.append(file, benchmark, settings, figures);
        }
    }

    /** Appends one run; a file that cannot be written is reported, never fatal to the benchmark. */
    public static void append(
            Path file, String benchmark, Map<String, ?> settings, Map<String, ?> figures) {
        String line =
                String.join(
                        "\t",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                        commit(),
                        benchmark,
                        join(settings),
                        join(figures));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            System.out.println("figures appended to " + file);
        } catch (IOException e) {
            System.err.println("could not append the figures to " + file + ": " + e.getMessage());
        }
    }

    /** Names and values in order: name, value, name, value, … */
    public static Map<String, Object> kv(Object... nameThenValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            m.put((String) nameThenValue[i], nameThenValue[i + 1]);
        }
        return m;
    }

    /** {@code name=value;…}, leaving out a setting not given (null). */
    static String join(Map<String, ?> m) {
        return m.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(";"));
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return String.format(
                    Locale.ROOT, d == Math.rint(d) && Math.abs(d) < 1e12 ? "%.0f" : "%.3f", d);
        }
        return String.valueOf(v).replace('\t', ' ').replace('\n', ' ');
    }

    /**
     * The commit the benchmark ran from (git), {@code +dirty} with uncommitted changes, else {@code
     * unknown}.
     */
    static String commit() {
        try {
            String head = run("git", "rev-parse", "--short=12", "HEAD");
            // the results file itself, and the medians bench-all writes from it, do not make a tree
            // dirty
            String status =
                    run(
                            "git",
                            "status",
                            "--porcelain",
                            "--untracked-files=no",
                            "--",
                            ".",
                            ":!bench/results.tsv",
                            ":!bench/summary.md");
            return head.isEmpty() ? "unknown" : head + (status.isEmpty() ? "" : "+dirty");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command[0] + " failed");
        }
        return out;
    }
}
