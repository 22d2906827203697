package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.lab.bench.ApiFuzzer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A bounded run of the OpenAPI-driven fuzzer against the whole stack (`./chakrai fuzz-api` runs longer):
 * no 5xx, no 2xx for input that breaks the schema, every error in the envelope, and afterwards every job
 * still RUNNING with nothing restarted: nothing a client sends stops the pipeline.
 */
@Timeout(300)
class ApiFuzzITCase {
    @TempDir
    static Path data;
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(data);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thousandsOfTypedMutationsOfEveryRouteGetNo5xxAndStopNoJob() throws Exception {
        ApiFuzzer.Result r = ApiFuzzer.run(stack.apiUrl(), 3_000, Duration.ofSeconds(150), 7);
        LoggerFactory.getLogger(ApiFuzzITCase.class).info("fuzz: {}", r.summary());
        assertTrue(r.sent() >= 1_000, r.summary());
        assertEquals(java.util.List.of(), r.findings(), r.summary());
        assertTrue(r.statuses().keySet().stream().anyMatch(s -> s >= 200 && s < 300), "some requests were valid: " + r.summary());
        assertTrue(r.statuses().getOrDefault(400, 0) > r.sent() / 4, r.summary());
        // the pipeline behind: every job RUNNING, checkpointing, read up, and none restarted
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> get("/health").statusCode() == 200);
        String metrics = get("/metrics").body();
        for (String job : new String[] {"chakrai-ingestion", "chakrai-analytics", "chakrai-group-dynamics"}) {
            assertTrue(metrics.contains("chakrai_pipeline_job_restarts{job=\"" + job + "\"} 0.0"), job + " restarted:\n" + metrics);
        }
    }
}
