package io.chakrai.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.client.contract.ApiContract;
import io.chakrai.models.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * A tiny JSON client over java.net.http for the API tests. Every answer it receives is held to the
 * API's own description ({@code /openapi.json}, through {@link ApiContract}): a status, media type
 * or body the route does not declare fails the test that received it.
 */
final class Http {
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private volatile ApiContract contract;

    Http(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    record Response(int status, JsonNode json, String body) {
        String code() {
            return json.path("error").path("code").asText();
        }

        String message() {
            return json.path("error").path("message").asText();
        }
    }

    /** Any request, built by the caller (chunked bodies, other content types). */
    Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (!request.uri().getPath().startsWith("/webjars/")) {
                List<String> problems =
                        contract()
                                .problems(
                                        request.method(),
                                        request.uri().getPath(),
                                        r.statusCode(),
                                        r.headers().firstValue("Content-Type").orElse(null),
                                        r.body());
                if (!problems.isEmpty()) {
                    throw new AssertionError(
                            "the answer breaks the API's description:\n"
                                    + String.join("\n", problems)
                                    + "\nbody: "
                                    + r.body().substring(0, Math.min(2_000, r.body().length())));
                }
            }
            JsonNode json = r.body().isEmpty() ? Json.MAPPER.nullNode() : parse(r.body());
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The description the server serves, read once. */
    ApiContract contract() throws IOException, InterruptedException {
        ApiContract c = contract;
        if (c == null) {
            HttpResponse<String> doc =
                    client.send(
                            HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
                            HttpResponse.BodyHandlers.ofString());
            c = ApiContract.of(doc.body());
            contract = c;
        }
        return c;
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    Response send(String method, String path, String token, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(body);
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    Response put(String path, String token, String body) {
        return send("PUT", path, token, body);
    }

    Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }
}
