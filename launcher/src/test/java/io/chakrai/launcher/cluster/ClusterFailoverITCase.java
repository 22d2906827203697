package io.chakrai.launcher.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape as separate processes (three Kafka brokers, a Flink JobManager and two
 * TaskManagers, two API instances, the CDC service; the jobs submitted as the job jar through
 * Flink's REST API), and failures mid-stream: 100,000 readings through both instances while a
 * TaskManager and a broker are killed with SIGKILL and brought back. Exact rows, predictions
 * identical to an undisturbed run of the same input, a prediction crossing instances.
 */
class ClusterFailoverITCase {
    @TempDir static Path data;

    @Test
    void readingsSurviveKilledTaskManagerAndBrokerExactlyOnceWithIdenticalPredictions()
            throws Exception {
        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        assertTrue(
                Files.exists(jar),
                "the job jar is built before the launcher's tests: " + jar.toAbsolutePath());
        LocalCluster.Settings s =
                new LocalCluster.Settings(
                        data,
                        "localhost",
                        0,
                        new int[3],
                        new int[3],
                        0,
                        0,
                        new int[2],
                        4,
                        10,
                        "1200m",
                        jar,
                        Map.of());
        try (LocalCluster cluster = LocalCluster.start(s)) {
            assertEquals(3, cluster.kafka().admin().brokers());
            assertEquals(2, cluster.flink().rest().overview().path("taskmanagers").asInt());
            for (int i = 0; i < 2; i++) {
                assertTrue(
                        health(cluster.apiUrl(i)).contains("\"status\":\"up\""),
                        "API " + (i + 1) + " /health");
            }

            FailoverRun.Result r =
                    new FailoverRun(
                                    cluster,
                                    new FailoverRun.Plan(
                                            100_000, 20, 1, 1, 4, Duration.ofSeconds(10), 1_000))
                            .run();
            FailoverCommand.print(r);

            assertEquals(100_000, r.posted());
            assertEquals(100_000, r.stored(), "every reading stored once, none lost, none doubled");
            assertEquals(
                    List.of("taskmanager-1", "kafka-2"),
                    r.recoveries().stream().map(FailoverRun.Recovery::what).toList());
            assertTrue(r.killsInsideStream(), "both kills fell inside the stream");
            for (FailoverRun.Recovery x : r.recoveries()) {
                assertTrue(
                        x.noticedS() >= 0,
                        x
                                + ": the failure was noticed (a job failed over / the controller saw it)");
                assertTrue(x.backS() > 0 && x.recoveredS() > x.noticedS(), x.toString());
            }
            assertTrue(r.livePredictions() > 0, "stress bouts were predicted");
            assertEquals(
                    List.of(),
                    r.differences(),
                    "the running job's predictions are those of an undisturbed run");
            assertEquals(r.referencePredictions(), r.livePredictions());
            for (String cross : r.crossInstance()) {
                assertTrue(!cross.contains(": 0 stress_prediction"), cross);
            }
            for (int i = 0; i < 2; i++) {
                assertTrue(
                        health(cluster.apiUrl(i)).contains("\"status\":\"up\""),
                        "API " + (i + 1) + " /health after the failures");
            }
        }
    }

    static String health(String api) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(api + "/health"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
