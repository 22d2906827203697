package io.chakrai.lab.bench;

import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.storage.IsoInstant;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Drives a running system through its public API: several clients POST batches of readings for a
 * fixed time; the benchmark prints readings/s acknowledged by the API (durable in Kafka) and
 * readings/s durable in PostgreSQL (after the Flink job), every few seconds and at the end.
 * Loopback only, bounded in time and count.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Ingestion benchmark against a running Chakrai (start it with: ./chakrai run --no-simulator).")
public final class IngestBenchmark implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://localhost:7070",
            description = "API base URL (default: ${DEFAULT-VALUE})")
    String api;

    @Option(
            names = "--db-url",
            defaultValue = "jdbc:postgresql://localhost:5432/chakrai",
            description = "to count durable rows (default: ${DEFAULT-VALUE})")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "postgres")
    String dbUser;

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Option(
            names = "--clients",
            defaultValue = "4",
            description = "concurrent HTTP clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--batch",
            defaultValue = "5000",
            description = "readings per request (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--wearers-per-client",
            defaultValue = "8",
            description =
                    "people (each their own account and watch) a client posts for in turn, a request each: readings are "
                            + "keyed by person, so four people alone fall on a lottery of the topic's partitions (one partition, one "
                            + "sink stream, often held three of them) (default: ${DEFAULT-VALUE})")
    int wearersPerClient;

    @Option(
            names = "--duration-s",
            defaultValue = "60",
            description = "how long to send (default: ${DEFAULT-VALUE})")
    int durationSeconds;

    @Option(
            names = "--drain-timeout-s",
            defaultValue = "300",
            description =
                    "how long to wait for PostgreSQL to catch up afterwards (default: ${DEFAULT-VALUE})")
    int drainTimeoutSeconds;

    @Option(
            names = "--label",
            defaultValue = "",
            description =
                    "how the stack under test was set up (e.g. ingest_parallelism=2), recorded with the figures")
    String label;

    @Option(
            names = "--ceiling-rows",
            defaultValue = "1000000",
            description =
                    "rows loaded first by two-stream COPY into a scratch copy of biometric_readings, the machine's "
                            + "ceiling the durable rate is set against; 0 skips it (default: ${DEFAULT-VALUE})")
    int ceilingRows;

    @Override
    public Integer call() throws Exception {
        if (Loopback.refused(api)) {
            return 2;
        }
        awaitQuiet(Duration.ofMinutes(10));
        double ceiling = ceilingRows > 0 ? ceiling(ceilingRows) : Double.NaN;
        String run = UUID.randomUUID().toString().substring(0, 8);
        ApiClient client = new ApiClient(api);
        int wearers = Math.max(1, wearersPerClient);
        String[][] tokens = new String[clients][wearers];
        int[][] wearerDevices = new int[clients][wearers];
        Integer[] devices = new Integer[clients * wearers];
        for (int i = 0; i < clients; i++) {
            for (int w = 0; w < wearers; w++) {
                String who = run + "-" + i + "-" + w;
                tokens[i][w] =
                        client.login("bench-" + who + "@chakrai.local", "bench-password-" + run);
                wearerDevices[i][w] =
                        client.device(tokens[i][w], "garmin", "BENCH-" + who, "[\"heart_rate\"]");
                devices[i * wearers + w] = wearerDevices[i][w];
            }
        }
        System.out.printf(
                "bench %s: %d clients x %d readings/request (each for %d people in turn) for %d s against %s%n",
                run, clients, batch, wearers, durationSeconds, api);

        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(durationSeconds).toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // distinct timestamps per device, 1 ms apart, ending in the past however fast the run (the
        // API refuses readings from the future): an hour back plus the span one device could cover
        // at 400,000 readings/s. Live as a watch's are, unless that span passes five hours (six
        // back they arrive as history: models/Arrival)
        long span = durationSeconds * 400_000L / (clients * (long) wearers);
        Instant base =
                Instant.now()
                        .minus(1, ChronoUnit.HOURS)
                        .minusMillis(span)
                        .truncatedTo(ChronoUnit.SECONDS);
        if (span > Duration.ofHours(5).toMillis()) {
            System.out.printf(
                    "note: %d s over %d devices reaches back more than six hours; its readings arrive as history%n",
                    durationSeconds, clients * wearers);
        }
        for (int c = 0; c < clients; c++) {
            int me = c;
            Thread t =
                    new Thread(
                            () -> {
                                long[] seqs = new long[wearers];
                                try {
                                    for (long request = 0;
                                            System.nanoTime() < deadline;
                                            request++) {
                                        int w = (int) (request % wearers);
                                        long seq = seqs[w];
                                        byte[] body =
                                                batchJson(wearerDevices[me][w], base, seq, batch);
                                        long t0 = System.nanoTime();
                                        HttpResponse<String> r =
                                                http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                api
                                                                                        + "/api/v2/biometric/readings"))
                                                                .header(
                                                                        "Authorization",
                                                                        "Bearer " + tokens[me][w])
                                                                .header(
                                                                        "Content-Type",
                                                                        "application/json")
                                                                .POST(
                                                                        HttpRequest.BodyPublishers
                                                                                .ofByteArray(body))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString());
                                        latenciesMicros.add((System.nanoTime() - t0) / 1_000);
                                        if (r.statusCode() == 202) {
                                            accepted.addAndGet(batch);
                                            seqs[w] += batch;
                                        } else {
                                            failed.addAndGet(batch);
                                            System.err.println(
                                                    "HTTP " + r.statusCode() + ": " + r.body());
                                        }
                                    }
                                } catch (Exception e) {
                                    System.err.println("client " + me + " stopped: " + e);
                                } finally {
                                    done.countDown();
                                }
                            },
                            "bench-client-" + c);
            t.start();
        }

        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, "");
                PreparedStatement newer =
                        db.prepareStatement(
                                "SELECT count(*), max(\"timestamp\") FROM biometric_readings "
                                        + "WHERE device_id = ? AND \"timestamp\" > ?");
                PreparedStatement all =
                        db.prepareStatement(
                                "SELECT count(*) FROM biometric_readings WHERE device_id = ANY (?)")) {
            all.setArray(1, db.createArrayOf("integer", devices));
            Progress count = new Progress(newer, devices);
            long lastAccepted = 0;
            long lastDurable = 0;
            long lastT = start;
            System.out.printf(
                    "%8s %14s %14s %16s %16s%n",
                    "t (s)", "accepted", "durable", "accepted/s", "durable/s");
            while (done.getCount() > 0) {
                done.await(5, TimeUnit.SECONDS);
                long now = System.nanoTime();
                long a = accepted.get();
                long d = count.count();
                double dt = (now - lastT) / 1e9;
                System.out.printf(
                        "%8.1f %14d %14d %16.0f %16.0f%n",
                        (now - start) / 1e9, a, d, (a - lastAccepted) / dt, (d - lastDurable) / dt);
                lastAccepted = a;
                lastDurable = d;
                lastT = now;
            }
            long sendEnd = System.nanoTime();
            long total = accepted.get();
            long drainDeadline = sendEnd + Duration.ofSeconds(drainTimeoutSeconds).toNanos();
            long durable = count.count();
            int stalled = 0;
            while (System.nanoTime() < drainDeadline) {
                // the progress count reads only rows newer than the last it saw; a whole count
                // decides, once it says all
                // are there or when it has not moved for 5 s (a row it could miss). Not every 5 s
                // regardless: a whole
                // count is an index scan of this run's millions of rows, with heap visits for rows
                // not yet vacuumed, and
                // it slowed the very drain it timed.
                if (durable >= total || stalled >= 20) {
                    long exact = durable(all);
                    if (exact >= total) {
                        durable = exact;
                        break;
                    }
                    stalled = 0;
                }
                Thread.sleep(250);
                long now = count.count();
                stalled = now > durable ? 0 : stalled + 1;
                durable = now;
            }
            if (durable < total) {
                durable = durable(all);
            }
            long durableEnd = System.nanoTime();
            double sendS = (sendEnd - start) / 1e9;
            double allDurableS = (durableEnd - start) / 1e9;
            long[] lat = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.println();
            System.out.printf(
                    "accepted (202, acknowledged by Kafka): %d readings in %.1f s = %.0f readings/s%n",
                    total, sendS, total / sendS);
            System.out.printf(
                    "durable in PostgreSQL:                 %d readings, all by %.1f s = %.0f readings/s "
                            + "(PostgreSQL caught up %.1f s after the last request)%n",
                    durable, allDurableS, durable / allDurableS, (durableEnd - sendEnd) / 1e9);
            System.out.printf(
                    "request latency for %d readings:      p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d requests)%n",
                    batch,
                    pct(lat, 0.5) / 1e3,
                    pct(lat, 0.99) / 1e3,
                    lat.length == 0 ? 0 : lat[lat.length - 1] / 1e3,
                    lat.length);
            double ratio = (durable / allDurableS) / ceiling;
            if (!Double.isNaN(ceiling)) {
                System.out.printf(
                        "durable / ceiling:                     %.0f / %.0f = %.2f%n",
                        durable / allDurableS, ceiling, ratio);
            }
            System.out.printf(
                    "failed: %d readings; lost: %d; doubled: %d%n",
                    failed.get(), Math.max(0, total - durable), Math.max(0, durable - total));
            results.append(
                    "bench",
                    BenchResults.kv(
                            "clients",
                            clients,
                            "batch",
                            batch,
                            "duration_s",
                            durationSeconds,
                            "wearers_per_client",
                            wearers,
                            "label",
                            label),
                    BenchResults.kv(
                            "accepted_per_s",
                            total / sendS,
                            "durable_per_s",
                            durable / allDurableS,
                            "catch_up_s",
                            (durableEnd - sendEnd) / 1e9,
                            "p50_ms",
                            pct(lat, 0.5) / 1e3,
                            "p99_ms",
                            pct(lat, 0.99) / 1e3,
                            "lost",
                            Math.max(0, total - durable),
                            "doubled",
                            Math.max(0, durable - total),
                            "ceiling_per_s",
                            ceiling,
                            "durable_over_ceiling",
                            ratio));
            return durable == total && failed.get() == 0 ? 0 : 1;
        }
    }

    /**
     * Until every job has read what was posted before (the API's {@code /metrics}: each job's
     * consumer lag, committed at its checkpoints, under 20,000 readings twice in a row): a run
     * started while the jobs still digest the previous one would measure that, not itself, and a
     * ceiling measured then would be the machine's leftovers (400,000 rows after a lag of up to
     * 100,000 read 112k–212k rows/s on the same stack).
     */
    void awaitQuiet(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            String metrics =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            double worst =
                    metrics.lines()
                            .filter(l -> l.startsWith("chakrai_pipeline_consumer_lag_records{"))
                            .mapToDouble(
                                    l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                            .max()
                            .orElse(0);
            if (worst < 20_000) {
                if (++quiet >= 2) {
                    return;
                }
            } else {
                quiet = 0;
                if (System.nanoTime() - lastPrint > 10e9) {
                    System.out.printf(
                            "waiting for the jobs to read what was posted before (largest lag %.0f readings)%n",
                            worst);
                    lastPrint = System.nanoTime();
                }
            }
            Thread.sleep(1_000);
        }
        System.out.println(
                "the jobs still lag after " + timeout.toMinutes() + " minutes; measuring anyway");
    }

    /**
     * What PostgreSQL alone takes on this machine, now: {@code rows} heart-rate rows by two
     * concurrent {@code COPY} streams into a scratch table shaped like {@code biometric_readings}
     * (its indexes, partitioned), in rows/s.
     */
    double ceiling(int rows) throws Exception {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, "");
                Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_ceiling");
            s.execute(
                    "CREATE TABLE bench_ceiling (LIKE biometric_readings INCLUDING ALL) PARTITION BY RANGE (\"timestamp\")");
            s.execute(
                    "CREATE TABLE bench_ceiling_all PARTITION OF bench_ceiling FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
        }
        Instant base = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String[] csv = new String[2];
        for (int stream = 0; stream < 2; stream++) {
            StringBuilder b = new StringBuilder(rows / 2 * 80);
            for (int i = 0; i < rows / 2; i++) {
                b.append(1)
                        .append(',')
                        .append(1_000_000 + stream)
                        .append(",heart_rate,")
                        .append(55 + i % 70)
                        .append(",bpm,0.9,0.9,")
                        .append(base.plusMillis(i))
                        .append('\n');
            }
            csv[stream] = b.toString();
        }
        System.out.printf(
                "ceiling: %,d rows by two COPY streams into a scratch copy of biometric_readings …%n",
                rows);
        Thread[] streams = new Thread[2];
        Exception[] failed = new Exception[1];
        long t0 = System.nanoTime();
        for (int stream = 0; stream < 2; stream++) {
            String data = csv[stream];
            streams[stream] =
                    new Thread(
                            () -> {
                                try (Connection db =
                                        DriverManager.getConnection(dbUrl, dbUser, "")) {
                                    db.unwrap(PGConnection.class)
                                            .getCopyAPI()
                                            .copyIn(
                                                    "COPY bench_ceiling (user_id, device_id, data_type, value, "
                                                            + "unit, quality, confidence, \"timestamp\") FROM STDIN (FORMAT csv)",
                                                    new StringReader(data));
                                } catch (Exception e) {
                                    failed[0] = e;
                                }
                            });
            streams[stream].start();
        }
        for (Thread t : streams) {
            t.join();
        }
        double perS = (rows / 2 * 2) / ((System.nanoTime() - t0) / 1e9);
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, "");
                Statement s = db.createStatement()) {
            s.execute("DROP TABLE bench_ceiling");
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        System.out.printf("ceiling: %.0f rows/s%n", perS);
        return perS;
    }

    private static long durable(PreparedStatement count) throws SQLException {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Rows stored so far, counted without rereading them: each poll counts only each device's rows
     * newer than its newest seen (a device's readings are stored in the order they were sent: one
     * device, one partition, one sink subtask). Counting millions of rows four times a second would
     * take PostgreSQL's time from the very writes being measured; the final figure is a whole
     * count.
     */
    private static final class Progress {
        private final PreparedStatement newer;
        private final Integer[] devices;
        private final java.sql.Timestamp[] newest;
        private long counted;

        Progress(PreparedStatement newer, Integer[] devices) {
            this.newer = newer;
            this.devices = devices;
            this.newest = new java.sql.Timestamp[devices.length];
            java.util.Arrays.fill(newest, new java.sql.Timestamp(0));
        }

        long count() throws SQLException {
            for (int i = 0; i < devices.length; i++) {
                newer.setInt(1, devices[i]);
                newer.setTimestamp(2, newest[i]);
                try (ResultSet rs = newer.executeQuery()) {
                    rs.next();
                    counted += rs.getLong(1);
                    if (rs.getTimestamp(2) != null) {
                        newest[i] = rs.getTimestamp(2);
                    }
                }
            }
            return counted;
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * A JSON batch of {@code n} heart-rate readings 1 ms apart, from sequence number {@code
     * firstSeq}; times written by {@code IsoInstant.format} (the load generator's own CPU, taken
     * from the system it measures on the same two cores, fell from 1.2 to 1.0 µs a reading).
     */
    public static byte[] batchJson(int device, Instant base, long firstSeq, int n) {
        StringBuilder sb = new StringBuilder(n * 110).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            long seq = firstSeq + i;
            sb.append("{\"device_id\":")
                    .append(device)
                    .append(",\"data_type\":\"heart_rate\",\"value\":")
                    .append(55 + seq % 70)
                    .append(",\"unit\":\"bpm\",\"quality\":0.9,\"timestamp\":\"")
                    .append(IsoInstant.format(base.plusMillis(seq)))
                    .append("\"}");
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
