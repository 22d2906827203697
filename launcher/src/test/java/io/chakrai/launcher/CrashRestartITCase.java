package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.embedded.Ports;
import io.chakrai.lab.client.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./chakrai run} as a child process, killed with SIGKILL mid-stream and started again with
 * the same command: the second start stops the PostgreSQL the first left running, binds its ports
 * although the killed process left connections in TIME_WAIT, and every reading the API answered 202
 * for is stored exactly once.
 */
@Timeout(400)
class CrashRestartITCase {
    @TempDir static Path data;

    static final int PG = Ports.freePort();
    static final int KAFKA = Ports.freePort();
    static final int CONTROLLER = Ports.freePort();
    static final int FLINK = Ports.freePort();
    static final int API = Ports.freePort();

    static Process start(Path log) throws IOException {
        String java =
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "-Xmx1g",
                        "--add-opens",
                        "java.base/java.util=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        "--data-dir",
                        data.toString(),
                        "--pg-port",
                        Integer.toString(PG),
                        "--kafka-port",
                        Integer.toString(KAFKA),
                        "--kafka-controller-port",
                        Integer.toString(CONTROLLER),
                        "--flink-port",
                        Integer.toString(FLINK),
                        "--api-port",
                        Integer.toString(API),
                        "--no-simulator");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static int status(String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + API + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static long stored(int device, List<Instant> accepted) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:postgresql://localhost:" + PG + "/chakrai", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT count(*), count(DISTINCT \"timestamp\") FROM biometric_readings WHERE device_id = "
                                        + device
                                        + " AND \"timestamp\" <= '"
                                        + accepted.get(accepted.size() - 1)
                                        + "'")) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "a reading stored twice");
            return rs.getLong(1);
        }
    }

    @Test
    void aStackKilledMidStreamStartsAgainWithOneCommandAndKeepsEveryAcceptedReadingOnce()
            throws Exception {
        Process first = start(data.resolve("first.log"));
        try {
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> status("/health") == 200);
            ApiClient api = new ApiClient("http://localhost:" + API);
            String token = api.login("crash@example.org", "a long enough password");
            int device = api.device(token, "garmin", "G-1", "[\"heart_rate\"]");

            // a client posting a batch at a time, remembering what the API accepted (202)
            Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            List<Instant> accepted = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread client =
                    new Thread(
                            () -> {
                                int i = 0;
                                while (!stop.get()) {
                                    StringBuilder b = new StringBuilder("[");
                                    List<Instant> batch = new ArrayList<>();
                                    for (int k = 0; k < 50; k++, i++) {
                                        Instant at = t0.plusMillis(i * 50L);
                                        batch.add(at);
                                        b.append(k == 0 ? "" : ",")
                                                .append("{\"device_id\":")
                                                .append(device)
                                                .append(",\"data_type\":\"heart_rate\",\"value\":")
                                                .append(60 + i % 30)
                                                .append(",\"timestamp\":\"")
                                                .append(at)
                                                .append("\"}");
                                    }
                                    try {
                                        if (api.call(
                                                                "POST",
                                                                "/api/v2/biometric/readings",
                                                                token,
                                                                b.append("]").toString())
                                                        .status()
                                                == 202) {
                                            synchronized (accepted) {
                                                accepted.addAll(batch);
                                            }
                                        }
                                    } catch (Exception e) {
                                        return; // the server is gone
                                    }
                                }
                            },
                            "crash-test-client");
            client.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                synchronized (accepted) {
                                    return accepted.size() >= 5_000;
                                }
                            });
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs, PostgreSQL is left behind
            first.waitFor();
            stop.set(true);
            client.join(60_000);
            Optional<ProcessHandle> orphan =
                    Files.readAllLines(data.resolve("postgres/postmaster.pid")).stream()
                            .findFirst()
                            .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid.trim())));
            assertTrue(
                    orphan.isPresent() && orphan.get().isAlive(),
                    "the killed stack leaves its PostgreSQL running");

            Process second = start(data.resolve("second.log"));
            try {
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> status("/health") == 200);
                String log = Files.readString(data.resolve("second.log"));
                assertTrue(
                        log.contains("did not stop cleanly"), "says what it did about the orphan");
                assertTrue(!orphan.get().isAlive(), "the orphaned PostgreSQL was stopped");
                List<Instant> sorted;
                synchronized (accepted) {
                    sorted = accepted.stream().sorted().toList();
                }
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> stored(device, sorted) >= sorted.size());
                // every accepted reading is there, once; readings posted when the kill came (no
                // 202) may be too
                try (Connection c =
                                DriverManager.getConnection(
                                        "jdbc:postgresql://localhost:" + PG + "/chakrai",
                                        "postgres",
                                        "");
                        Statement s = c.createStatement();
                        ResultSet rs =
                                s.executeQuery(
                                        "SELECT count(*) FROM biometric_readings WHERE device_id = "
                                                + device
                                                + " AND \"timestamp\" = ANY ('{"
                                                + String.join(
                                                        ",",
                                                        sorted.stream()
                                                                .map(Instant::toString)
                                                                .toList())
                                                + "}'::timestamptz[])")) {
                    rs.next();
                    assertEquals(
                            sorted.size(),
                            rs.getLong(1),
                            "every reading answered 202 is stored exactly once");
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            if (first.isAlive()) {
                first.destroyForcibly();
            }
            // never leave a PostgreSQL behind, whatever failed
            Path pid = data.resolve("postgres/postmaster.pid");
            if (Files.exists(pid)) {
                Files.readAllLines(pid).stream()
                        .findFirst()
                        .flatMap(p -> ProcessHandle.of(Long.parseLong(p.trim())))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
