package io.chakrai.launcher;

import io.chakrai.embedded.Ports;
import io.chakrai.lab.bench.AssessLatencyBenchmark;
import io.chakrai.lab.bench.BenchComparison;
import io.chakrai.lab.bench.BenchComparison.Run;
import io.chakrai.lab.bench.BenchComparison.Verdict;
import io.chakrai.lab.bench.ContentLatencyBenchmark;
import io.chakrai.lab.bench.ImportBenchmark;
import io.chakrai.lab.bench.IngestBenchmark;
import io.chakrai.lab.bench.StressLatencyBenchmark;
import io.chakrai.launcher.cluster.ChildJvm;
import io.chakrai.launcher.cluster.FailoverCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai bench-all}: short versions of every benchmark on one fresh stack, as a newcomer
 * starts it (simulator on, history uploaded, every job running), then the failover run's small
 * version on a cluster of its own. Each appends its figures to the results file; then every figure
 * is set against the median of the last three runs of the same benchmark and settings, a worse one
 * beyond the run-to-run spread is printed as a regression, and the command exits non-zero. The
 * medians of the last three runs go to {@code bench/summary.md}, the table the README links to.
 */
@Command(
        name = "bench-all",
        mixinStandardHelpOptions = true,
        description =
                "Every benchmark, short, on one fresh stack (and the failover run on a cluster of its own); figures "
                        + "appended to the results file and compared with the last three runs: exits 1 on a regression.")
public final class BenchAllCommand implements Callable<Integer> {
    /**
     * The fresh stack's ports, given to it on its command line (so a CHAKRAI_*_PORT in the
     * environment cannot move it away from where the benchmarks look) and checked free before it
     * starts.
     */
    static final Map<String, Integer> PORTS =
            new LinkedHashMap<>(
                    Map.of(
                            "--api-port",
                            7070,
                            "--pg-port",
                            5432,
                            "--kafka-port",
                            9092,
                            "--kafka-controller-port",
                            9093,
                            "--flink-port",
                            8081));

    private static final String API = "http://localhost:" + PORTS.get("--api-port");

    /** `chakrai run` on the data dir and {@link #PORTS}. */
    static List<String> runArgs(Path dataDir) {
        List<String> args = new ArrayList<>(List.of("run", "--data-dir", dataDir.toString()));
        PORTS.forEach((option, port) -> args.addAll(List.of(option, Integer.toString(port))));
        return args;
    }

    @Option(
            names = "--results",
            defaultValue = "bench/results.tsv",
            description =
                    "where the figures are appended with the commit (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(
            names = "--summary",
            defaultValue = "bench/summary.md",
            description =
                    "the generated table of medians the README links to (default: ${DEFAULT-VALUE})")
    Path summary;

    @Option(
            names = "--work-dir",
            description =
                    "the fresh stack's data and temp directory, kept afterwards (default: a new temp dir, removed"
                            + " when every benchmark ran: ~3 GB a run)")
    Path workDir;

    @Option(
            names = "--no-failover",
            description = "leave out the failover run (it starts a cluster of child JVMs)")
    boolean noFailover;

    @Option(
            names = "--settle-timeout-s",
            defaultValue = "420",
            description =
                    "longest wait for the fresh stack's history upload to settle (default: ${DEFAULT-VALUE})")
    int settleTimeoutSeconds;

    /** A benchmark of the set: its command line (results option added) and what it needs. */
    record Step(String name, Supplier<Object> command, List<String> args) {}

    static List<Step> stackSteps(Path dataDir, long apiPid) {
        return List.of(
                new Step(
                        "bench-groups",
                        BenchGroupsCommand::new,
                        List.of(
                                "--groups",
                                "1000",
                                "--duration-s",
                                "30",
                                "--data-dir",
                                dataDir.toString(),
                                "--api-pid",
                                Long.toString(apiPid))),
                new Step(
                        "bench-content", ContentLatencyBenchmark::new, List.of("--requests", "50")),
                new Step("bench-assess", AssessLatencyBenchmark::new, List.of("--requests", "200")),
                new Step("bench-stress", StressLatencyBenchmark::new, List.of("--probes", "10")),
                new Step(
                        "bench",
                        IngestBenchmark::new,
                        List.of("--duration-s", "20", "--ceiling-rows", "500000")),
                new Step(
                        "bench-import",
                        ImportBenchmark::new,
                        List.of("--days", "120", "--wait-s", "300", "--live-probes", "4")));
    }

    /** Every benchmark of the set, in order: what the summary has a row for. */
    static final List<String> STEP_NAMES =
            Stream.concat(
                            stackSteps(Path.of("."), 0).stream(),
                            Stream.of(failoverStep(Path.of("."))))
                    .map(Step::name)
                    .toList();

    static Step failoverStep(Path dir) {
        // ClusterFailoverITCase's plan: 5,000 readings a person, enough for stress episodes to be
        // predicted, streamed
        // slowly enough (1,000/s) that both kills fall inside the stream
        return new Step(
                "bench-failover",
                FailoverCommand::new,
                List.of(
                        "--readings",
                        "100000",
                        "--people",
                        "20",
                        "--taskmanager-kills",
                        "1",
                        "--broker-kills",
                        "1",
                        "--clients",
                        "4",
                        "--broker-down-s",
                        "10",
                        "--rate",
                        "1000",
                        "--data-dir",
                        dir.toString()));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("chakrai-bench-all");
        Files.createDirectories(dir);
        Outcome outcome = null;
        try {
            outcome = measure(dir);
            return outcome.exit();
        } finally {
            // a run leaves ~3 GB (PostgreSQL, Kafka, checkpoints, the cluster's): at every stop
            // that filled the disk. A directory asked for stays, and so does a run that failed,
            // threw or whose PostgreSQL still runs (its logs say why)
            if (workDir == null
                    && outcome != null
                    && outcome.everyBenchmarkRan()
                    && !postgresRunsIn(dir)) {
                try {
                    PathUtils.deleteDirectory(dir);
                    System.out.println(
                            "removed " + dir + " (--work-dir DIR keeps the stack's data)");
                } catch (IOException e) {
                    System.err.println("could not remove " + dir + ": " + e.getMessage());
                }
            } else {
                System.out.println("the stack's data and logs are in " + dir);
            }
        }
    }

    /**
     * A {@code postmaster.pid} is there while a PostgreSQL runs on that data (it goes on a clean
     * stop).
     */
    private static boolean postgresRunsIn(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("postmaster.pid"));
        } catch (IOException | UncheckedIOException e) {
            return true;
        }
    }

    /** The exit code, and whether every benchmark ran (a regression is a figure, not a failure). */
    private record Outcome(int exit, boolean everyBenchmarkRan) {}

    private Outcome measure(Path dir) throws Exception {
        int before = BenchComparison.read(results).size();
        Map<String, Integer> exits = new LinkedHashMap<>();
        long started = System.nanoTime();

        // another stack on these ports would answer the health check and be measured instead of the
        // fresh one
        for (int port : PORTS.values()) {
            try {
                Ports.requireFree("localhost", port, "bench-all's fresh stack", "--*-port");
            } catch (Ports.PortInUseException e) {
                System.err.printf(
                        Locale.ROOT,
                        "port %d is in use: bench-all starts a stack of its own on the default ports; "
                                + "stop what listens there (another ./chakrai run?) first%n",
                        port);
                return new Outcome(2, false);
            }
        }
        System.out.println(
                "[1/4] a fresh stack in "
                        + dir
                        + " (as `./chakrai run`: simulator on, history uploaded)");
        ChildJvm stack =
                new ChildJvm(
                                "stack",
                                dir,
                                List.of(
                                        "-Xmx2g",
                                        "-XX:+UseG1GC",
                                        "-XX:MaxGCPauseMillis=50",
                                        "-Djava.io.tmpdir="
                                                + Files.createDirectories(dir.resolve("tmp")),
                                        "--add-opens",
                                        "java.base/java.util=ALL-UNNAMED",
                                        "--add-opens",
                                        "java.base/java.lang=ALL-UNNAMED"),
                                System.getProperty("java.class.path"),
                                Main.class.getName(),
                                runArgs(dir.resolve("data")),
                                Map.of())
                        .start();
        // Ctrl-C or a kill ends this JVM without running finally blocks: the stack goes with it
        Thread stopStack =
                new Thread(
                        () -> {
                            System.out.println("the stack's data and logs are in " + dir);
                            try {
                                stack.stop(Duration.ofSeconds(60));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "bench-all-stop-stack");
        Runtime.getRuntime().addShutdownHook(stopStack);
        try {
            if (!waitForHealth(stack, Duration.ofMinutes(5)) || !stack.isAlive()) {
                System.err.println("the stack did not become healthy; its log: " + stack.log());
                return new Outcome(1, false);
            }
            System.out.println(
                    "[2/4] waiting for the history upload to settle (the stack under 0.8 of a core for 30 s)");
            settle(stack.pid(), Duration.ofSeconds(settleTimeoutSeconds));
            if (!stack.isAlive()) {
                System.err.println("the stack stopped while settling; its log: " + stack.log());
                return new Outcome(1, false);
            }
            System.out.println("[3/4] the benchmarks, one after another, against it");
            for (Step s : stackSteps(dir.resolve("data"), stack.pid())) {
                exits.put(s.name(), runStep(s));
            }
        } finally {
            stack.stop(Duration.ofSeconds(60));
            Runtime.getRuntime().removeShutdownHook(stopStack);
        }
        if (!noFailover) {
            System.out.println("[4/4] the failover run's small version, on a cluster of its own");
            Step f = failoverStep(Files.createDirectories(dir.resolve("cluster")));
            exits.put(f.name(), runStep(f));
        }

        List<Run> runs = BenchComparison.read(results);
        List<Verdict> verdicts = BenchComparison.compare(runs, before);
        System.out.printf(
                Locale.ROOT,
                "%n%-14s %-24s %14s   %-40s %s%n",
                "benchmark",
                "figure",
                "this run",
                "median of the last three (range)",
                "");
        verdicts.forEach(v -> System.out.println(v.line()));
        writeSummary(runs.subList(before, runs.size()), runs);
        long regressions = verdicts.stream().filter(Verdict::regression).count();
        List<String> failed =
                exits.entrySet().stream()
                        .filter(e -> e.getValue() != 0)
                        .map(Map.Entry::getKey)
                        .toList();
        System.out.printf(
                Locale.ROOT,
                "%nbench-all: %d benchmarks in %.1f min, %d regression%s%s; figures in %s, medians in %s%n",
                exits.size(),
                (System.nanoTime() - started) / 60e9,
                regressions,
                regressions == 1 ? "" : "s",
                failed.isEmpty() ? "" : ", failed: " + String.join(", ", failed),
                results,
                summary);
        return new Outcome(regressions == 0 && failed.isEmpty() ? 0 : 1, failed.isEmpty());
    }

    private int runStep(Step s) {
        List<String> args = new ArrayList<>(s.args());
        args.add("--results");
        args.add(results.toString());
        System.out.println("\n== " + s.name() + " " + String.join(" ", s.args()));
        long t = System.nanoTime();
        int code = new CommandLine(s.command().get()).execute(args.toArray(String[]::new));
        System.out.printf(
                Locale.ROOT,
                "== %s: exit %d after %.0f s%n",
                s.name(),
                code,
                (System.nanoTime() - t) / 1e9);
        return code;
    }

    private static boolean waitForHealth(ChildJvm stack, Duration atMost)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + atMost.toNanos();
        long lastShown = 0;
        while (System.nanoTime() < end && stack.isAlive()) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(API + "/health"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() - lastShown > 10e9) {
                System.out.println("  " + lastStep(stack.log()));
                lastShown = System.nanoTime();
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /** The newest "[n/6] …" step of the stack's log: its progress. */
    static String lastStep(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                Matcher m = STEP.matcher(lines.get(i));
                if (m.find()) {
                    return m.group();
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return "starting";
    }

    private static final Pattern STEP = Pattern.compile("\\[\\d+/6] .*");

    /**
     * Waits until the process has used under 0.8 of a core in three 10 s windows running (one quiet
     * window came in a lull of the history upload); gives up after {@code atMost}.
     */
    static void settle(long pid, Duration atMost) throws InterruptedException {
        if (!BenchGroupsCommand.waitUntilQuiet(
                () -> BenchGroupsCommand.processCpuSeconds(pid),
                0.8,
                3,
                10,
                atMost,
                "the stack uses")) {
            System.out.printf(
                    Locale.ROOT,
                    "  not settled after %d s; measuring anyway%n",
                    atMost.toSeconds());
        }
    }

    /**
     * The medians of the last three runs of each benchmark and settings of this batch, as a
     * Markdown table.
     */
    void writeSummary(List<Run> batch, List<Run> all) throws IOException {
        StringBuilder md =
                new StringBuilder(
                                "# Benchmark figures\n\nGenerated by `./chakrai bench-all` from `")
                        .append(results.getFileName())
                        .append(
                                "`: each figure is the median of the last three runs of the same benchmark ")
                        .append(
                                "and settings, with their range. Do not edit by hand.\n\n| benchmark | settings | runs (commits) | figures |\n")
                        .append("| --- | --- | --- | --- |\n");
        // this batch's rows, and for a benchmark it did not run (--no-failover, a failed step) its
        // most recent row
        List<Run> rows = new ArrayList<>(batch);
        for (String name : STEP_NAMES) {
            if (rows.stream().noneMatch(r -> r.benchmark().equals(name))) {
                all.stream()
                        .filter(r -> r.benchmark().equals(name))
                        .reduce((a, b) -> b)
                        .ifPresent(rows::add);
            }
        }
        for (Run r : rows) {
            List<Run> last = BenchComparison.last(all, r.benchmark(), r.settings());
            StringBuilder figures = new StringBuilder();
            for (String f : r.figures().keySet()) {
                String s = BenchComparison.summary(last, f);
                if (!s.equals("-")) {
                    figures.append(figures.isEmpty() ? "" : "; ").append(f).append(' ').append(s);
                }
            }
            md.append("| ")
                    .append(r.benchmark())
                    .append(" | ")
                    .append(r.settings().replace(";", "; "))
                    .append(" | ")
                    .append(last.size())
                    .append(" (")
                    .append(String.join(", ", last.stream().map(Run::commit).distinct().toList()))
                    .append(") | ")
                    .append(figures)
                    .append(" |\n");
        }
        if (summary.getParent() != null) {
            Files.createDirectories(summary.getParent());
        }
        Files.writeString(summary, md.toString(), StandardCharsets.UTF_8);
    }
}
