package io.chakrai.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the public API, as an app would use it (the simulator and the benchmark). */
public final class ApiClient {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final HttpClient http;
    private final String base;

    public ApiClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public record Reply(int status, JsonNode body) {}

    public Reply call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(60))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }

    /** Sends raw bytes ({@code application/octet-stream}): a chunk of an uploaded file. */
    public Reply bytes(String method, String path, String token, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(120))
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/octet-stream")
                        .header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }

    /**
     * The user a bearer token was issued to (its {@code sub} claim; read, not verified: the API
     * verifies).
     */
    public static int userId(String token) throws IOException {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]))
                .get("sub")
                .asInt();
    }

    /** Registers the user if new, then logs in; returns a bearer token. */
    public String login(String email, String password) throws IOException, InterruptedException {
        String creds =
                JSON.createObjectNode().put("email", email).put("password", password).toString();
        Reply reg = call("POST", "/api/v2/auth/register", null, creds);
        if (reg.status() != 201 && reg.status() != 409) {
            throw new IOException(
                    "register " + email + ": HTTP " + reg.status() + " " + reg.body());
        }
        Reply tok = call("POST", "/api/v2/auth/token", null, creds);
        if (tok.status() != 200) {
            throw new IOException("login " + email + ": HTTP " + tok.status() + " " + tok.body());
        }
        return tok.body().get("access_token").asText();
    }

    /**
     * The id of the caller's device with this vendor id, registering it if needed; a device
     * registered earlier for fewer data types (before the app measured skin conductance, say) is
     * updated to these.
     */
    public int device(String token, String type, String vendorId, String dataTypesJson)
            throws IOException, InterruptedException {
        Reply list = call("GET", "/api/v2/biometric/devices", token, null);
        for (JsonNode d : list.body().path("devices")) {
            if (d.get("device_id").asText().equals(vendorId)
                    && d.get("device_type").asText().equals(type)
                    && d.get("is_active").asBoolean()) {
                java.util.Set<String> has = new java.util.HashSet<>();
                d.path("data_types").forEach(x -> has.add(x.asText()));
                java.util.Set<String> wants = new java.util.HashSet<>();
                JSON.readTree(dataTypesJson).forEach(x -> wants.add(x.asText()));
                if (!has.containsAll(wants)) {
                    Reply updated =
                            call(
                                    "PUT",
                                    "/api/v2/biometric/devices/" + d.get("id").asInt(),
                                    token,
                                    "{\"data_types\":" + dataTypesJson + "}");
                    if (updated.status() != 200) {
                        throw new IOException(
                                "update device: HTTP " + updated.status() + " " + updated.body());
                    }
                }
                return d.get("id").asInt();
            }
        }
        Reply created =
                call(
                        "POST",
                        "/api/v2/biometric/devices",
                        token,
                        "{\"device_type\":\""
                                + type
                                + "\",\"device_id\":\""
                                + vendorId
                                + "\",\"data_types\":"
                                + dataTypesJson
                                + "}");
        if (created.status() != 201 && created.status() != 200) {
            throw new IOException(
                    "register device: HTTP " + created.status() + " " + created.body());
        }
        return created.body().get("id").asInt();
    }
}
