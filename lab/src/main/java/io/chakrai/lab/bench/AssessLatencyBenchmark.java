package io.chakrai.lab.bench;

import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.simulation.Activity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code POST /api/v2/prediction/assess} latency for a person with days of readings behind them.
 */
@Command(
        name = "bench-assess",
        mixinStandardHelpOptions = true,
        description = "Risk assessment latency (start: ./chakrai run --no-simulator).")
public final class AssessLatencyBenchmark implements Callable<Integer> {
    @Option(names = "--api", defaultValue = "http://localhost:7070")
    String api;

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Option(names = "--requests", defaultValue = "500")
    int requests;

    @Option(
            names = "--days",
            defaultValue = "7",
            description = "days of readings the person has (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() throws Exception {
        if (Loopback.refused(api)) {
            return 2;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        ApiClient client = new ApiClient(api);
        String token = client.login("assess-" + run + "@chakrai.local", "assess-password-" + run);
        int device =
                client.device(
                        token,
                        "apple_watch",
                        "ASSESS-" + run,
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int d = days; d >= 1; d--) {
            // three hours a day: calm, a stress period, recovery (about 1,900 readings a day)
            client.call(
                    "POST",
                    "/api/v2/biometric/readings",
                    token,
                    ScriptedDay.json(
                            device,
                            d,
                            now.minus(d, ChronoUnit.DAYS),
                            120,
                            Activity.STRESS,
                            10,
                            50));
        }
        Thread.sleep(5_000); // let the jobs store them
        String body = "{\"phq9\":[1,2,1,0,1,1,0,1,0],\"gad7\":[1,1,2,1,0,1,0]}";
        for (int i = 0; i < 20; i++) {
            client.call("POST", "/api/v2/prediction/assess", token, body);
        }
        long[] ms = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            ApiClient.Reply r = client.call("POST", "/api/v2/prediction/assess", token, body);
            ms[i] = (System.nanoTime() - t0) / 1_000;
            if (r.status() != 201) {
                System.err.println("HTTP " + r.status() + " " + r.body());
                return 1;
            }
        }
        Arrays.sort(ms);
        System.out.printf(
                "POST /api/v2/prediction/assess, %d requests, %d days of readings: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                requests,
                days,
                ms[requests / 2] / 1e3,
                ms[(int) Math.ceil(0.99 * requests) - 1] / 1e3,
                ms[requests - 1] / 1e3);
        results.append(
                "bench-assess",
                BenchResults.kv("requests", requests, "days", days),
                BenchResults.kv(
                        "p50_ms",
                        ms[requests / 2] / 1e3,
                        "p99_ms",
                        ms[(int) Math.ceil(0.99 * requests) - 1] / 1e3));
        return 0;
    }
}
