package io.chakrai.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Flink's REST API, as the Web UI and {@code flink run} use it: upload a jar, run it, stop a job
 * with a savepoint.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public FlinkRest(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        b.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException(
                    "Flink REST "
                            + r.request().method()
                            + " "
                            + r.request().uri().getPath()
                            + ": HTTP "
                            + r.statusCode()
                            + " "
                            + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** POST /jars/upload; returns the jar id. */
    public String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "chakrai-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r =
                send(
                        HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = r.get("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** POST /jars/:id/run; returns the job id. */
    public String run(String jarId, String entryClass, List<String> args, String savepointPath)
            throws IOException, InterruptedException {
        return run(jarId, entryClass, args, savepointPath, 0);
    }

    /**
     * POST /jars/:id/run with the job's parallelism (0: the cluster's default); returns the job id.
     */
    public String run(
            String jarId,
            String entryClass,
            List<String> args,
            String savepointPath,
            int parallelism)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode().put("entryClass", entryClass);
        if (parallelism > 0) {
            req.put("parallelism", parallelism);
        }
        req.putPOJO("programArgsList", args);
        if (savepointPath != null) {
            req.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        }
        return send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(req.toString())))
                .get("jobid")
                .asText();
    }

    /** Stops a job after taking a savepoint into {@code dir}; returns the savepoint's location. */
    public String stopWithSavepoint(String jobId, String dir)
            throws IOException, InterruptedException {
        String trigger =
                send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                JSON.createObjectNode()
                                                        .put("targetDirectory", dir)
                                                        .put("drain", false)
                                                        .toString())))
                        .get("request-id")
                        .asText();
        for (int i = 0; i < 240; i++) {
            JsonNode s =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    base
                                                            + "/jobs/"
                                                            + jobId
                                                            + "/savepoints/"
                                                            + trigger))
                                    .GET());
            if ("COMPLETED".equals(s.at("/status/id").asText())) {
                JsonNode op = s.get("operation");
                if (op.has("failure-cause")) {
                    throw new IOException("savepoint failed: " + op.get("failure-cause"));
                }
                return op.get("location").asText();
            }
            Thread.sleep(500);
        }
        throw new IOException("savepoint of " + jobId + " did not complete in 2 minutes");
    }

    /** PATCH /jobs/:id?mode=cancel: cancels a job without a savepoint. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException(
                    "Flink REST cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** {@code GET /overview}: TaskManagers, slots, jobs by state. */
    public JsonNode overview() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/overview")).GET());
    }

    /** {@code GET /taskmanagers}: each registered TaskManager with its id and RPC address. */
    public JsonNode taskManagers() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/taskmanagers")).GET());
    }

    /** {@code GET /jobs/:id}: the job's state, and each vertex's status and task counts. */
    public JsonNode job(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId)).GET());
    }

    /** The job's state (RUNNING, FINISHED, FAILED, …). */
    public String state(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId)).GET())
                .get("state")
                .asText();
    }

    /**
     * The job's configuration as the Web UI shows it (its global job parameters included), as JSON
     * text.
     */
    public String config(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/config")).GET())
                .toString();
    }
}
