package io.chakrai.lab.bench;

import io.chakrai.lab.client.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-content}: {@code POST /api/v2/content/generate/{type}} latency per type through the
 * API (personalisation queries, the built-in generator, the safety check, storing), for a person
 * with a few days of data behind them. Loopback only.
 */
@Command(
        name = "bench-content",
        mixinStandardHelpOptions = true,
        description = "Content generation latency per type through the API (p50, p99).")
public final class ContentLatencyBenchmark implements Callable<Integer> {
    @Option(names = "--api", defaultValue = "http://localhost:7070")
    String api;

    @Option(
            names = "--requests",
            defaultValue = "200",
            description = "requests per type (default: ${DEFAULT-VALUE})")
    int requests;

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Override
    public Integer call() throws Exception {
        if (Loopback.refused(api)) {
            return 2;
        }
        ApiClient client = new ApiClient(api);
        String token =
                client.login(
                        "bench-content-" + System.currentTimeMillis() + "@bench.local",
                        "bench content password");
        Map<String, Object> figures = new LinkedHashMap<>();
        String[][] types = {{"meditation", "10"}, {"worksheet", "20"}, {"story", "8"}};
        for (String[] t : types) {
            // warm up the code paths first
            for (int i = 0; i < 10; i++) {
                client.call(
                        "POST",
                        "/api/v2/content/generate/" + t[0],
                        token,
                        "{\"duration_minutes\":" + t[1] + "}");
            }
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                ApiClient.Reply r =
                        client.call(
                                "POST",
                                "/api/v2/content/generate/" + t[0],
                                token,
                                "{\"focus\":\"work stress\",\"goals\":[\"feel calmer\"],\"duration_minutes\":"
                                        + t[1]
                                        + "}");
                nanos.add(System.nanoTime() - start);
                if (r.status() != 201) {
                    System.err.println(t[0] + ": HTTP " + r.status() + " " + r.body());
                    return 1;
                }
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double p50 = sorted[sorted.length / 2] / 1e6;
            double p99 = sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "%-10s p50 %.1f ms, p99 %.1f ms (%d requests)%n",
                    t[0],
                    p50,
                    p99,
                    requests);
            figures.put(t[0] + "_p50_ms", p50);
            figures.put(t[0] + "_p99_ms", p99);
        }
        results.append("bench-content", BenchResults.kv("requests_per_type", requests), figures);
        return 0;
    }
}
