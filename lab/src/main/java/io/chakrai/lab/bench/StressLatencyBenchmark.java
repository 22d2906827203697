package io.chakrai.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.Json;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.stress.EpisodeRun;
import io.chakrai.models.stress.EpisodeThresholds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Latency from a reading's arrival at the API to the {@code stress_prediction} event on the owner's
 * WebSocket, while other clients keep the system ingesting. Each probe is a fresh person with a
 * calm hour and the start of a stress period already sent; the timed request is the reading that
 * closes the minute completing the episode, so the clock runs through the API, Kafka, both Flink
 * operators and the push back.
 */
@Command(
        name = "bench-stress",
        mixinStandardHelpOptions = true,
        description =
                "Reading → stress_prediction latency under background ingestion (start: ./chakrai run --no-simulator).")
public final class StressLatencyBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.MAPPER;

    @Option(names = "--api", defaultValue = "http://localhost:7070")
    String api;

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Option(
            names = "--probes",
            defaultValue = "20",
            description = "timed episodes (default: ${DEFAULT-VALUE})")
    int probes;

    @Option(
            names = "--load",
            defaultValue = "5000",
            description = "background readings/s (default: ${DEFAULT-VALUE})")
    int load;

    @Option(
            names = "--model-name",
            description =
                    "the stress job runs this per-minute model (as `deploy-job --job stress` "
                            + "or a restart with it promoted made it): the probes' onsets are found with it too, so the timed reading is "
                            + "the one completing each episode")
    String modelName;

    @Option(
            names = "--model-version",
            defaultValue = "0",
            description = "with --model-name: its version, 0 = production")
    int modelVersion;

    @Mixin io.chakrai.lab.client.DatabaseOptions db = new io.chakrai.lab.client.DatabaseOptions();

    /** The model the stress job runs, or null for the rule. */
    private io.chakrai.models.ml.TrainedModel model;

    @Override
    public Integer call() throws Exception {
        if (Loopback.refused(api)) {
            return 2;
        }
        if (modelName != null) {
            io.chakrai.models.ml.ModelRegistry registry =
                    new io.chakrai.models.ml.ModelRegistry(db.dataSource());
            int v =
                    modelVersion != 0
                            ? modelVersion
                            : registry.production(modelName)
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            modelName
                                                                    + " has no production version"));
            model = registry.load(modelName, v);
            modelVersion = v;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        ApiClient client = new ApiClient(api);
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong background = new AtomicLong();
        Thread loader = backgroundLoad(client, run, loading, background);
        List<Long> latencies = new ArrayList<>();
        System.out.printf(
                "bench-stress %s: %d probes, background load %d readings/s, detector %s%n",
                run, probes, load, model == null ? "the rule" : modelName + " v" + modelVersion);
        try {
            for (int i = 0; i < probes; i++) {
                long ms = probe(client, run, i);
                if (ms >= 0) {
                    latencies.add(ms);
                }
                System.out.printf(
                        "  probe %2d: %s%n", i + 1, ms < 0 ? "no event within 30 s" : ms + " ms");
            }
        } finally {
            loading.set(false);
            loader.join();
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "%nreading → stress_prediction on the socket: p50 %d ms, p99 %d ms, max %d ms "
                        + "(%d of %d probes answered); background readings accepted: %d%n",
                pct(sorted, 0.5),
                pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                sorted.length,
                probes,
                background.get());
        results.append(
                "bench-stress",
                BenchResults.kv(
                        "probes",
                        probes,
                        "load_per_s",
                        load,
                        "detector",
                        model == null ? "rule" : modelName + "-v" + modelVersion),
                BenchResults.kv(
                        "p50_ms",
                        pct(sorted, 0.5),
                        "p99_ms",
                        pct(sorted, 0.99),
                        "answered",
                        sorted.length));
        return sorted.length == probes ? 0 : 1;
    }

    /** A prober of the rule's episodes on {@code api}, for another benchmark to time with. */
    static StressLatencyBenchmark prober(String api) {
        StressLatencyBenchmark b = new StressLatencyBenchmark();
        b.api = api;
        return b;
    }

    /**
     * One timed episode of a fresh person: milliseconds from the reading that completes it to its
     * {@code stress_prediction} on the socket, or -1 when none came within 30 s.
     */
    long probe(ApiClient client, String run, int i) throws Exception {
        String token =
                client.login(
                        "latency-" + run + "-" + i + "@chakrai.local", "latency-password-" + run);
        int device =
                client.device(
                        token,
                        "apple_watch",
                        "LAT-" + run + "-" + i,
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        // the same code the job runs says which minute completes the episode; the day is placed so
        // that
        // the reading closing that minute is taken now (so no watermark closes it earlier) and
        // timed
        Instant trial = Instant.parse("2026-01-01T00:00:00Z");
        long onsetOffset =
                onsetMinute(
                                JSON.readTree(
                                        ScriptedDay.json(
                                                device,
                                                1000 + i,
                                                trial,
                                                60,
                                                Activity.STRESS,
                                                8,
                                                2)),
                                model)
                        - trial.toEpochMilli();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = now.minusMillis(onsetOffset + 60_000L);
        JsonNode day =
                JSON.readTree(ScriptedDay.json(device, 1000 + i, start, 60, Activity.STRESS, 8, 2));
        long closesAt = now.toEpochMilli();
        ArrayNode before = JSON.createArrayNode();
        JsonNode timed = null;
        for (JsonNode r : day) {
            long ts = Instant.parse(r.get("timestamp").asText()).toEpochMilli();
            if (ts < closesAt) {
                before.add(r);
            } else if (timed == null) {
                timed = r;
            }
        }
        if (timed == null) {
            throw new IllegalStateException("no reading closes the episode's minute");
        }
        client.call("POST", "/api/v2/biometric/readings", token, before.toString());
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        WebSocket ws =
                HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .buildAsync(
                                URI.create(api.replace("http", "ws") + "/api/v2/ws?token=" + token),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket w, CharSequence data, boolean last) {
                                        if (data.toString().contains("\"stress_prediction\"")) {
                                            arrivals.add(System.nanoTime());
                                        }
                                        w.request(1);
                                        return CompletableFuture.completedFuture(null);
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        Thread.sleep(2_000); // let the first 62 minutes pass through the jobs
        String closing = "[" + timed + "]";
        long t0 = System.nanoTime();
        client.call("POST", "/api/v2/biometric/readings", token, closing);
        Long t1 = arrivals.poll(30, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        return t1 == null ? -1 : (t1 - t0) / 1_000_000;
    }

    /** The start of the minute in which the episode is recognised, by the detector's own code. */
    static long onsetMinute(JsonNode day, io.chakrai.models.ml.TrainedModel model) {
        List<BiometricReading> readings = new ArrayList<>();
        day.forEach(item -> readings.add(ReadingCodec.fromInput(item, 1).reading()));
        // a model trained on per-person running statistics sees each minute z-scored against the
        // person's earlier
        // minutes, as the stress job keeps them in keyed state (PersonalScore): the same here,
        // minute by minute in order
        io.chakrai.models.ml.RunningStandardiser person =
                model == null || !model.perPersonRunning()
                        ? null
                        : new io.chakrai.models.ml.RunningStandardiser(
                                io.chakrai.models.ml.MinuteFeatureVector.NAMES.size(),
                                model.baselineRows());
        return EpisodeRun.onsetMinutes(
                        readings,
                        EpisodeThresholds.DEFAULT,
                        model == null
                                ? null
                                : v ->
                                        model.probabilities(
                                                        new double[][] {
                                                            person == null
                                                                    ? v
                                                                    : person.addAndStandardise(v)
                                                        })[0],
                        "model")
                .stream()
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the scripted stress period does not make an episode"));
    }

    private Thread backgroundLoad(
            ApiClient client, String run, AtomicBoolean loading, AtomicLong accepted)
            throws Exception {
        String token = client.login("load-" + run + "@chakrai.local", "load-password-" + run);
        int device = client.device(token, "garmin", "LOAD-" + run, "[\"heart_rate\"]");
        HttpClient http = HttpClient.newHttpClient();
        Instant base = Instant.now().minus(5, ChronoUnit.HOURS);
        Thread t =
                new Thread(
                        () -> {
                            long seq = 0;
                            int batch = Math.max(1, load / 10);
                            while (loading.get()) {
                                long began = System.nanoTime();
                                try {
                                    HttpResponse<Void> r =
                                            http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            api
                                                                                    + "/api/v2/biometric/readings"))
                                                            .header(
                                                                    "Authorization",
                                                                    "Bearer " + token)
                                                            .header(
                                                                    "Content-Type",
                                                                    "application/json")
                                                            .POST(
                                                                    HttpRequest.BodyPublishers
                                                                            .ofByteArray(
                                                                                    IngestBenchmark
                                                                                            .batchJson(
                                                                                                    device,
                                                                                                    base,
                                                                                                    seq,
                                                                                                    batch)))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding());
                                    if (r.statusCode() == 202) {
                                        accepted.addAndGet(batch);
                                    }
                                    seq += batch;
                                    long sleep = 100 - (System.nanoTime() - began) / 1_000_000;
                                    if (sleep > 0) {
                                        Thread.sleep(sleep);
                                    }
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    System.err.println("background load: " + e);
                                }
                            }
                        },
                        "background-load");
        t.start();
        return t;
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
