package io.chakrai.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.models.imports.ExportReader;
import io.chakrai.models.imports.ImportFormat;
import io.chakrai.models.imports.ImportSink;
import io.chakrai.models.imports.SampleExport;
import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chakrai bench-import}: a simulated person's Apple Health export of {@code --days} days,
 * (1) parsed alone in a child JVM whose heap is capped at {@code --heap-mb} (finishing there is the
 * memory figure), then (2) uploaded to a running stack as a new person, in 8 MB chunks, timed until
 * the import is read, until every accepted reading is in PostgreSQL, and until the risk job has
 * scored the person's days; then the same file again (nothing stored twice). With {@code
 * --live-probes N}, live people's stress episodes are timed as {@code bench-stress} times them, N
 * before the upload and at least N while the import is read and stored: does a history delay the
 * people who stream now?
 */
@Command(
        name = "bench-import",
        mixinStandardHelpOptions = true,
        description =
                "Import rate and memory of a year's Apple Health export (start: ./chakrai run).")
public final class ImportBenchmark implements Callable<Integer> {
    @Option(
            names = "--days",
            defaultValue = "365",
            description = "days of history in the export (default: ${DEFAULT-VALUE})")
    int days;

    @Option(
            names = "--heap-mb",
            defaultValue = "256",
            description = "the parse's heap cap, MB (default: ${DEFAULT-VALUE})")
    int heapMb;

    @Option(
            names = "--api",
            defaultValue = "http://localhost:7070",
            description = "the API (default: ${DEFAULT-VALUE})")
    String api;

    @Option(names = "--no-upload", description = "only the parse (no stack needed)")
    boolean noUpload;

    @Option(
            names = "--wait-s",
            defaultValue = "600",
            description = "longest wait for each stage (default: ${DEFAULT-VALUE})")
    int waitS;

    @Option(
            names = "--live-probes",
            defaultValue = "0",
            description =
                    "live stress episodes timed before the import and while it runs (default: ${DEFAULT-VALUE})")
    int liveProbes;

    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Mixin BenchResults.Option results = new BenchResults.Option();

    /** The parse alone, in the child JVM: prints "records N bytes B seconds S". */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long[] n = {0};
        ImportSink count =
                new ImportSink() {
                    @Override
                    public void sample(String source, DataType type, double value, Instant at) {
                        n[0]++;
                    }

                    @Override
                    public void skip(String reason) {
                        n[0]++;
                    }
                };
        long t0 = System.nanoTime();
        ExportReader.read(
                file,
                file.getFileName().toString(),
                ImportFormat.APPLE_HEALTH,
                ZoneOffset.UTC,
                count,
                p -> {});
        System.out.printf(
                Locale.ROOT, "records %d seconds %.3f%n", n[0], (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("chakrai-bench-import");
        Path zip = dir.resolve("export.zip");
        System.out.printf("writing a simulated Apple Health export of %d days …%n", days);
        Instant end = Instant.now().minusSeconds(600);
        SampleExport.write(ImportFormat.APPLE_HEALTH, zip, SEED, end, days);
        long xmlBytes = inflatedSize(zip);
        System.out.printf(
                Locale.ROOT,
                "export.zip %,d bytes; export.xml %,d bytes%n",
                Files.size(zip),
                xmlBytes);

        // (1) the parse alone, heap capped
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-Xmx" + heapMb + "m",
                                "-XX:+UseSerialGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ImportBenchmark.class.getName(),
                                zip.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        String[] parts = out.trim().split("\\s+");
        boolean parsed =
                exit == 0 && parts.length >= 4 && parts[parts.length - 4].equals("records");
        long records = parsed ? Long.parseLong(parts[parts.length - 3]) : 0;
        double parseS = parsed ? Double.parseDouble(parts[parts.length - 1]) : Double.NaN;
        System.out.printf(
                Locale.ROOT,
                "parse alone (heap capped at %d MB): %s%n",
                heapMb,
                parsed
                        ? String.format(
                                Locale.ROOT,
                                "%,d records in %.1f s = %,.0f records/s, %.0f MB/s of XML",
                                records,
                                parseS,
                                records / parseS,
                                xmlBytes / 1e6 / parseS)
                        : "FAILED (exit "
                                + exit
                                + "): "
                                + out.lines()
                                        .filter(l -> l.contains("Error") || l.contains("Exception"))
                                        .findFirst()
                                        .orElse(
                                                out.length() > 300
                                                        ? out.substring(out.length() - 300)
                                                        : out));
        Map<String, Object> figures =
                BenchResults.kv(
                        "xml_mb",
                        Math.round(xmlBytes / 1e6),
                        "records",
                        records,
                        "parse_records_per_s",
                        parsed ? Math.round(records / parseS) : "failed",
                        "parse_fits_heap",
                        parsed);
        if (noUpload) {
            results.append(
                    "bench-import",
                    BenchResults.kv("days", days, "heap_mb", heapMb, "upload", false),
                    figures);
            return parsed ? 0 : 1;
        }

        // (2) through the running stack, as a new person
        ApiClient client = new ApiClient(api);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String token =
                client.login(
                        "bench-import-" + run + "@chakrai.local", "bench-import-password-" + run);
        int user = ApiClient.userId(token);
        DataSource ds = db.dataSource();
        StressLatencyBenchmark prober = StressLatencyBenchmark.prober(api);
        List<Long> calm = new ArrayList<>();
        for (int i = 0; i < liveProbes; i++) {
            calm.add(prober.probe(client, "calm-" + run, i));
        }
        // the import on a thread of its own; live people are timed while it is read and stored
        CompletableFuture<Stored> importing =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                Upload u = upload(client, token, zip);
                                long n = waitStored(ds, user, u.accepted(), u.began());
                                return new Stored(u, n, (System.nanoTime() - u.began()) / 1e9);
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        });
        List<Long> during = new ArrayList<>();
        for (int i = 0; i < 4 * liveProbes && (i < liveProbes || !importing.isDone()); i++) {
            during.add(prober.probe(client, "import-" + run, i));
        }
        Stored done = importing.join();
        Upload first = done.upload();
        long stored = done.readings();
        double storedS = done.afterS();
        if (liveProbes > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "live reading → stress_prediction: before the import p50 %d / p99 %d ms; "
                            + "while it ran p50 %d / p99 %d ms (%d probes, %d unanswered)%n",
                    pct(calm, 0.5),
                    pct(calm, 0.99),
                    pct(during, 0.5),
                    pct(during, 0.99),
                    during.size(),
                    during.stream().filter(ms -> ms < 0).count()
                            + calm.stream().filter(ms -> ms < 0).count());
            figures.putAll(
                    BenchResults.kv(
                            "live_p50_before_ms",
                            pct(calm, 0.5),
                            "live_p99_before_ms",
                            pct(calm, 0.99),
                            "live_p50_during_ms",
                            pct(during, 0.5),
                            "live_p99_during_ms",
                            pct(during, 0.99),
                            "live_probes_during",
                            during.size(),
                            "live_unanswered",
                            during.stream().filter(ms -> ms < 0).count()
                                    + calm.stream().filter(ms -> ms < 0).count()));
        }
        System.out.printf(
                Locale.ROOT,
                "end to end: %,d readings stored %.1f s after the upload began = %,.0f readings/s%n",
                stored,
                storedS,
                stored / storedS);
        double riskS = waitRiskDays(ds, user, first.began());
        // what the jobs found in the imported year: stress episodes, and what the person sees asked
        // for correlations
        boolean settled = waitEpisodes(ds, user);
        Truth truth = truth(ds, user, SampleExport.stressPeriods(SEED, end, days));
        long episodes = truth.episodes();
        System.out.printf(
                Locale.ROOT,
                "stress episodes predicted in the imported past: %,d%s; %,d of them recognised during"
                        + " one of the simulated person's %,d stress periods in the stored days (or within"
                        + " %d minutes after it); %,d of the periods (%.0f %%) had one; %.1f episodes a"
                        + " day recognised outside them%n",
                episodes,
                settled ? "" : " (STILL GROWING when the wait ended: --wait-s)",
                truth.inside(),
                truth.periods(),
                AFTER_PERIOD.toMinutes(),
                truth.found(),
                100.0 * truth.found() / Math.max(1, truth.periods()),
                (double) (episodes - truth.inside()) / Math.max(1, truth.days()));
        long t0 = System.nanoTime();
        ApiClient.Reply corr =
                client.call(
                        "GET",
                        "/api/v2/prediction/correlations?days=" + Math.min(365, Math.max(7, days)),
                        token,
                        null);
        double corrMs = (System.nanoTime() - t0) / 1e6;
        int correlations = corr.status() == 200 ? corr.body().path("correlations").size() : -1;
        System.out.printf(
                Locale.ROOT,
                "correlations over %d days: %d (answered in %.0f ms, HTTP %d)%n",
                Math.min(365, days),
                correlations,
                corrMs,
                corr.status());
        Upload again = upload(client, token, zip);
        figures.putAll(
                BenchResults.kv(
                        "upload_s",
                        round(first.uploadS()),
                        "read_s",
                        round(first.readS()),
                        "accepted",
                        first.accepted(),
                        "read_readings_per_s",
                        Math.round(first.accepted() / first.readS()),
                        "stored",
                        stored,
                        "stored_after_s",
                        round(storedS),
                        "end_to_end_readings_per_s",
                        Math.round(stored / storedS),
                        "risk_days_after_s",
                        Double.isNaN(riskS) ? "none" : round(riskS),
                        "episodes",
                        episodes,
                        "episodes_settled",
                        settled,
                        "episodes_in_stress",
                        truth.inside(),
                        "stress_periods",
                        truth.periods(),
                        "stress_periods_found",
                        truth.found(),
                        "correlations",
                        correlations,
                        "correlations_ms",
                        Math.round(corrMs),
                        "reimport_accepted",
                        again.accepted(),
                        "reimport_duplicates",
                        again.duplicates()));
        results.append(
                "bench-import",
                BenchResults.kv(
                        "days",
                        days,
                        "heap_mb",
                        heapMb,
                        "upload",
                        true,
                        "chunk_mb",
                        8,
                        "live_probes",
                        liveProbes),
                figures);
        return parsed && again.accepted() == 0 ? 0 : 1;
    }

    /**
     * A percentile of the answered probes' milliseconds (unanswered ones are -1), or -1 when none
     * was answered: never a 0 that reads as fast.
     */
    private static long pct(List<Long> ms, double p) {
        long[] answered =
                ms.stream().mapToLong(Long::longValue).filter(v -> v >= 0).sorted().toArray();
        return answered.length == 0 ? -1 : StressLatencyBenchmark.pct(answered, p);
    }

    /** The export's person, the same each run. */
    static final long SEED = 17;

    /**
     * How long after a stress period ends an episode may begin and still be its: the pattern needs
     * three stress minutes in a row, judged when the next minute closes.
     */
    static final java.time.Duration AFTER_PERIOD = java.time.Duration.ofMinutes(5);

    /**
     * The episodes found in the imported past against the simulator's own stress periods: how many
     * were recognised (the minute the pattern completed: the prediction's time less a minute)
     * during one or {@link #AFTER_PERIOD} after it, how many periods had one, over how many days.
     */
    record Truth(long episodes, long inside, int periods, int found, double days) {}

    /**
     * {@link Truth} of the person's stored episodes against the periods of the days their readings
     * were stored for (an export longer than the readings' age limit is stored in part).
     */
    static Truth truth(DataSource ds, int user, List<SampleExport.Period> periods)
            throws Exception {
        java.time.OffsetDateTime first;
        java.time.OffsetDateTime last;
        try (var c = ds.getConnection();
                var ps =
                        c.prepareStatement(
                                "SELECT min(\"timestamp\"), max(\"timestamp\") FROM biometric_readings WHERE user_id = ?")) {
            ps.setInt(1, user);
            try (var rs = ps.executeQuery()) {
                rs.next();
                first = rs.getObject(1, java.time.OffsetDateTime.class);
                last = rs.getObject(2, java.time.OffsetDateTime.class);
            }
        }
        List<SampleExport.Period> stored =
                first == null
                        ? List.of()
                        : periods.stream()
                                .filter(
                                        p ->
                                                p.to().isAfter(first.toInstant())
                                                        && !p.from().isAfter(last.toInstant()))
                                .toList();
        List<Instant> onsets = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps =
                        c.prepareStatement(
                                "SELECT prediction_time FROM health_predictions WHERE user_id = ? "
                                        + "AND prediction_type = 'stress_episode' ORDER BY prediction_time")) {
            ps.setInt(1, user);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    // a prediction is made the minute after the minute its episode was recognised
                    onsets.add(
                            rs.getObject(1, java.time.OffsetDateTime.class)
                                    .toInstant()
                                    .minusSeconds(60));
                }
            }
        }
        Truth t = truth(onsets, stored);
        return new Truth(
                t.episodes(),
                t.inside(),
                t.periods(),
                t.found(),
                first == null ? 0 : java.time.Duration.between(first, last).toSeconds() / 86_400.0);
    }

    /**
     * Waits until the stress job has judged the imported past: the person's episode count has not
     * changed for {@link #EPISODES_QUIET} (three checkpoints: the job gives no other sign of a lane
     * caught up), for {@link #NONE_QUIET} while it is still 0; false when {@code --wait-s} ended
     * the wait first.
     */
    private boolean waitEpisodes(DataSource ds, int user) throws Exception {
        long deadline = System.nanoTime() + waitS * 1_000_000_000L;
        long n = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now =
                    count(
                            ds,
                            "SELECT count(*) FROM health_predictions WHERE user_id = ? AND prediction_type = 'stress_episode'",
                            user);
            if (now != n) {
                n = now;
                since = System.nanoTime();
                System.out.printf(Locale.ROOT, "\rstress episodes so far: %,d   ", n);
            } else if (System.nanoTime() - since
                    >= (n == 0 ? NONE_QUIET : EPISODES_QUIET).toNanos()) {
                System.out.println();
                return true;
            }
            Thread.sleep(1_000);
        }
        System.out.println();
        return false;
    }

    /** How long no episode at all is taken as none to come. */
    static final java.time.Duration NONE_QUIET = java.time.Duration.ofSeconds(60);

    /** How long the episode count stays the same before the stress job is taken to be done. */
    static final java.time.Duration EPISODES_QUIET = java.time.Duration.ofSeconds(15);

    /** {@link Truth} of episode onsets (in time order) against periods (in time order). */
    static Truth truth(List<Instant> onsets, List<SampleExport.Period> periods) {
        long inside = 0;
        boolean[] found = new boolean[periods.size()];
        int k = 0;
        for (Instant t : onsets) {
            while (k < periods.size() && !t.isBefore(periods.get(k).to().plus(AFTER_PERIOD))) {
                k++;
            }
            // the first period not over (with its after-time) by t is the only one that may hold it
            if (k < periods.size() && !t.isBefore(periods.get(k).from())) {
                inside++;
                found[k] = true;
            }
        }
        int n = 0;
        for (boolean f : found) {
            n += f ? 1 : 0;
        }
        return new Truth(onsets.size(), inside, periods.size(), n, Double.NaN);
    }

    /** An upload read, and its readings in PostgreSQL {@code afterS} after it began. */
    record Stored(Upload upload, long readings, double afterS) {}

    record Upload(long began, double uploadS, double readS, long accepted, long duplicates) {}

    private Upload upload(ApiClient client, String token, Path zip) throws Exception {
        byte[] all = Files.readAllBytes(zip);
        long began = System.nanoTime();
        ApiClient.Reply started =
                client.call(
                        "POST",
                        "/api/v2/biometric/imports",
                        token,
                        "{\"file_name\":\"export.zip\",\"size_bytes\":" + all.length + "}");
        if (started.status() != 201) {
            throw new IOException("start: HTTP " + started.status() + " " + started.body());
        }
        long id = started.body().get("id").asLong();
        int chunk = 8 << 20;
        for (int off = 0; off < all.length; off += chunk) {
            ApiClient.Reply r =
                    client.bytes(
                            "PUT",
                            "/api/v2/biometric/imports/" + id + "/content?offset=" + off,
                            token,
                            Arrays.copyOfRange(all, off, Math.min(all.length, off + chunk)));
            if (r.status() != 200) {
                throw new IOException("chunk at " + off + ": HTTP " + r.status() + " " + r.body());
            }
        }
        double uploadS = (System.nanoTime() - began) / 1e9;
        JsonNode i = null;
        long deadline = System.nanoTime() + waitS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            i = client.call("GET", "/api/v2/biometric/imports/" + id, token, null).body();
            String status = i.path("status").asText();
            System.out.printf(
                    Locale.ROOT,
                    "\rimport %d %s: %,d records read, %,d accepted, %,d duplicates, eta %s s   ",
                    id,
                    status,
                    i.path("records_read").asLong(),
                    i.path("accepted").asLong(),
                    i.path("duplicates").asLong(),
                    i.path("eta_seconds").isNull() ? "-" : i.path("eta_seconds").asText());
            if (status.equals("done") || status.equals("failed")) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.println();
        if (i == null || !i.path("status").asText().equals("done")) {
            throw new IOException("the import did not finish: " + i);
        }
        double readS =
                (Instant.parse(i.path("finished_at").asText()).toEpochMilli()
                                - Instant.parse(i.path("started_at").asText()).toEpochMilli())
                        / 1000.0;
        System.out.printf(
                Locale.ROOT,
                "upload %.1f s; read %.1f s: %,d readings accepted (%,.0f/s), %,d duplicates, skipped %s%n",
                uploadS,
                readS,
                i.path("accepted").asLong(),
                i.path("accepted").asLong() / readS,
                i.path("duplicates").asLong(),
                i.path("skipped"));
        return new Upload(
                began, uploadS, readS, i.path("accepted").asLong(), i.path("duplicates").asLong());
    }

    private long waitStored(DataSource ds, int user, long expected, long began) throws Exception {
        long deadline = System.nanoTime() + waitS * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < deadline) {
            n = count(ds, "SELECT count(*) FROM biometric_readings WHERE user_id = ?", user);
            System.out.printf(
                    Locale.ROOT,
                    "\rstored %,d of %,d (%.0f s)   ",
                    n,
                    expected,
                    (System.nanoTime() - began) / 1e9);
            if (n >= expected) {
                break;
            }
            Thread.sleep(1_000);
        }
        System.out.println();
        return n;
    }

    /**
     * Seconds from the upload's start until the risk job has scored days of the person; NaN if not
     * within the wait.
     */
    private double waitRiskDays(DataSource ds, int user, long began) throws Exception {
        long deadline = System.nanoTime() + waitS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            long n =
                    count(
                            ds,
                            "SELECT count(DISTINCT assessed_day) FROM risk_scores WHERE user_id = ?",
                            user);
            if (n > 0) {
                double s = (System.nanoTime() - began) / 1e9;
                System.out.printf(
                        Locale.ROOT, "risk days scored: %d, %.1f s after the upload began%n", n, s);
                return s;
            }
            Thread.sleep(2_000);
        }
        System.out.println("no risk day scored within " + waitS + " s");
        return Double.NaN;
    }

    private static long count(DataSource ds, String sql, int user) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long inflatedSize(Path zip) throws IOException {
        long n = 0;
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = z.read(buf)) > 0; ) {
                    n += r;
                }
            }
        }
        return n;
    }

    private static double round(double s) {
        return Math.round(s * 10) / 10.0;
    }
}
