package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile or careless client sends, by category, through every way in (JSON bodies, query
 * and path parameters, cursors, form fields, chunked bodies, raw HTTP, the WebSocket): always a 4xx
 * in the JSON envelope naming the problem, never a 5xx, and nothing of the database, a stack or a
 * class name.
 */
@Timeout(120)
class HostileInputITCase {
    static final long MAX_BODY = 1024 * 1024;

    /** What must never reach a client: database text, Java names, stack frames. */
    static final Pattern LEAK =
            Pattern.compile(
                    "(?i)(ERROR:|SQLSTATE|postgres|psql|jdbc|Exception|\\bat [a-z]+\\.|java\\.|org\\.|io\\.chakrai|`|StreamRead|Source:)");

    static ApiFixture api;
    static Http http;
    static String token;
    static int device;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_hostile_test", MAX_BODY);
        http = api.http;
        token = api.registerAndLogin("mallory@example.org");
        device =
                http.post(
                                "/api/v2/biometric/devices",
                                token,
                                """
                {"device_type":"oura","device_id":"R-1","data_types":["heart_rate","hrv"]}""")
                        .json()
                        .get("id")
                        .asInt();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** A 4xx in the envelope with this code, and no leak. */
    static Http.Response refused(Http.Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.code(), r.body());
        assertEquals(status, r.json().path("error").path("status").asInt(), r.body());
        assertFalse(LEAK.matcher(r.body()).find(), "leaks internals: " + r.body());
        return r;
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\u0000", "a\\u0000b", "\\ud800", "x\\udfffy"})
    void textTheDatabaseCannotStoreIsRefusedInEveryJsonBodyNamingTheField(String bad) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        record Case(String path, String body, String field) {}
        for (Case c :
                List.of(
                        new Case(
                                "/api/v2/auth/register",
                                "{\"email\":\"e@x.org\",\"password\":\"long enough pw\",\"display_name\":\""
                                        + bad
                                        + "\"}",
                                "display_name"),
                        new Case(
                                "/api/v2/biometric/devices",
                                "{\"device_type\":\"oura\",\"device_id\":\""
                                        + bad
                                        + "\",\"data_types\":[\"hrv\"]}",
                                "device_id"),
                        new Case(
                                "/api/v2/biometric/devices",
                                "{\"device_type\":\"oura\",\"device_id\":\"R-9\",\"data_types\":[\"hrv\"],"
                                        + "\"settings\":{\"deep\":[{\"k\":\""
                                        + bad
                                        + "\"}]}}",
                                "settings/deep/0/k"),
                        new Case(
                                "/api/v2/biometric/readings",
                                "[{\"device_id\":"
                                        + device
                                        + ",\"data_type\":\"hrv\",\"value\":40,"
                                        + "\"timestamp\":\""
                                        + now
                                        + "\",\"metadata\":{\""
                                        + bad
                                        + "\":1}}]",
                                "0/metadata/"),
                        new Case(
                                "/api/v2/biometric/interventions/respond",
                                "{\"intervention_id\":1,\"response\":\"" + bad + "\"}",
                                "response"),
                        new Case(
                                "/api/v2/prediction/assess",
                                "{\"phq9\":[0,0,0,0,0,0,0,0,0],\"note\":\"" + bad + "\"}",
                                "note"))) {
            Http.Response r =
                    http.post(c.path(), c.path().contains("register") ? null : token, c.body());
            if (r.code().equals("malformed_json")) {
                // Jackson itself refuses a lone surrogate in an object key: also a 400 naming where
                assertTrue(bad.contains("\\ud") && r.message().contains("surrogate"), r.body());
                refused(r, 400, "malformed_json");
                continue;
            }
            refused(r, 400, "invalid_text");
            String field = r.json().at("/error/details/0/field").asText();
            assertTrue(field.startsWith(c.field()), c.path() + " named " + field + ": " + r.body());
        }
    }

    /**
     * JSON a parser refuses (cut short, closed wrongly, nested too deep, a number too long, a
     * literal JSON lacks, a key twice, something after it) is a 400 saying what is wrong, in words
     * without the parser's class, feature or source names, on the readings route and on others.
     */
    @Test
    void bodiesThatAreNotJsonAreNamedWithoutTheParsersNames() {
        for (String bad :
                List.of(
                        "{\"device_id\":1",
                        "{]",
                        "[".repeat(1_001) + "]".repeat(1_001),
                        "{\"value\":" + "9".repeat(1_001) + "}",
                        "{\"value\":NaN}",
                        "{\"a\":1,\"a\":2}",
                        "{} {}")) {
            for (String path :
                    List.of(
                            "/api/v2/biometric/readings",
                            "/api/v2/biometric/devices",
                            "/api/v2/prediction/assess")) {
                Http.Response r = refused(http.post(path, token, bad), 400, "malformed_json");
                // where, when the parser knows (not for its limits of depth and length)
                assertTrue(
                        r.message().startsWith("request body is not valid JSON")
                                && r.message().length()
                                        > "request body is not valid JSON: ".length(),
                        path + " " + r.body());
            }
        }
    }

    @Test
    void queryAndPathParametersTheDatabaseCannotStoreAreRefused() {
        refused(
                http.get("/api/v2/biometric/readings?data_type=" + q("\u0000"), token),
                400,
                "invalid_query");
        refused(
                http.get("/api/v2/prediction/model-scores?model=" + q("a\u0000"), token),
                400,
                "invalid_query");
        refused(
                http.get("/api/v2/prediction/patterns?tz=" + q("\u0000"), token),
                400,
                "invalid_query");
        // a path id left empty is no id: not the collection's route (a trailing slash is another
        // URL), the 404 envelope
        refused(http.get("/api/v2/biometric/devices/", token), 404, "not_found");
        refused(http.get("/api/v2/content/", token), 404, "not_found");
        // a NUL in the path is refused by Jetty before any route runs, in the same envelope
        refused(http.get("/api/v2/biometric/devices/" + q("\u0000"), token), 400, "bad_request");
        // spellings Java accepts and PostgreSQL does not
        refused(
                http.get("/api/v2/prediction/patterns?tz=" + q("GMT+5"), token),
                400,
                "invalid_query");
        refused(
                http.get("/api/v2/prediction/patterns?tz=" + q("UTC+05:00"), token),
                400,
                "invalid_query");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "+294277-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "-4714-11-24T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z"
            })
    void datesJavaParsesButTheDatabaseCannotHoldAreRefusedEverywhere(String when) throws Exception {
        refused(
                http.get("/api/v2/biometric/readings?from=" + q(when), token),
                400,
                "invalid_query");
        refused(
                http.get("/api/v2/biometric/predictions?to=" + q(when), token),
                400,
                "invalid_query");
        refused(
                http.get("/api/v2/prediction/model-scores?model=m&from=" + q(when), token),
                400,
                "invalid_query");
        refused(
                http.post(
                        "/api/v2/biometric/readings",
                        token,
                        "[{\"device_id\":"
                                + device
                                + ",\"data_type\":\"hrv\",\"value\":40,\"timestamp\":\""
                                + when
                                + "\"}]"),
                400,
                "invalid_readings");
        String form = multipart("recorded_at", when.getBytes(StandardCharsets.UTF_8), null);
        refused(
                http.send(multipartRequest(form.getBytes(StandardCharsets.ISO_8859_1))),
                400,
                "invalid_body");
    }

    @Test
    void aForgedCursorFarOutsideTimeIsRefused() {
        for (String c :
                List.of(
                        Long.MAX_VALUE + ":1",
                        "-9223372036854775808:1",
                        "99999999999999999999:1",
                        "1:x",
                        "::")) {
            String cursor =
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(c.getBytes(StandardCharsets.US_ASCII));
            refused(
                    http.get("/api/v2/biometric/readings?cursor=" + cursor, token),
                    400,
                    "invalid_query");
        }
        refused(
                http.get("/api/v2/biometric/readings?cursor=" + q("%%%not base64"), token),
                400,
                "invalid_query");
    }

    @Test
    void malformedMultipartIs400AndAnOversizeOneIs413() {
        byte[] noBoundary =
                "--zzz\r\nContent-Disposition: form-data; name=\"audio\"\r\n\r\nabc"
                        .getBytes(StandardCharsets.US_ASCII);
        refused(http.send(multipartRequest(noBoundary)), 400, "malformed_multipart");
        byte[] garbage = "this is not multipart at all".getBytes(StandardCharsets.US_ASCII);
        refused(http.send(multipartRequest(garbage)), 400, "malformed_multipart");
        HttpRequest noBoundaryHeader =
                HttpRequest.newBuilder(http.uri("/api/v2/prediction/voice-analysis"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "multipart/form-data")
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build();
        Http.Response r = http.send(noBoundaryHeader);
        assertTrue(r.status() == 400, r.body());
        assertFalse(LEAK.matcher(r.body()).find(), r.body());
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWith413() {
        for (String path :
                List.of(
                        "/api/v2/biometric/readings",
                        "/api/v2/biometric/devices",
                        "/api/v2/prediction/voice-analysis")) {
            // 20 MB that announces no length (a well-formed start, then endless content): the
            // server must stop
            // reading at the body limit (1 MB here); a recording upload has its own, larger limit
            // (24 MB)
            byte[] head =
                    (path.contains("voice")
                                    ? "--b\r\nContent-Disposition: form-data; name=\"audio\"; "
                                            + "filename=\"a.wav\"\r\n\r\n"
                                    : "[")
                            .getBytes(StandardCharsets.US_ASCII);
            InputStream endless =
                    new InputStream() {
                        long pos;
                        final long total = (path.contains("voice") ? 30L : 20L) * 1024 * 1024;

                        @Override
                        public int read() {
                            if (pos >= total) {
                                return -1;
                            }
                            return pos < head.length
                                    ? head[(int) pos++]
                                    : (pos++ % 2 == 0 ? '[' : ' ');
                        }
                    };
            HttpRequest req =
                    HttpRequest.newBuilder(http.uri(path))
                            .header("Authorization", "Bearer " + token)
                            .header(
                                    "Content-Type",
                                    path.contains("voice")
                                            ? "multipart/form-data; boundary=b"
                                            : "application/json")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless))
                            .build();
            Http.Response r;
            try {
                r = http.send(req);
            } catch (IllegalStateException e) {
                // the server may answer 413 and close before the client has finished sending: also
                // a refusal
                assertTrue(e.getCause() instanceof IOException, e.toString());
                continue;
            }
            refused(r, 413, path.contains("voice") ? "audio_too_large" : "body_too_large");
        }
        // a declared length over the limit is refused before it is read
        refused(
                http.post(
                        "/api/v2/biometric/readings",
                        token,
                        "[" + " ".repeat((int) MAX_BODY) + "]"),
                413,
                "body_too_large");
    }

    @Test
    void requestsJettyCannotParseAreAnsweredInTheEnvelope() throws Exception {
        for (String raw :
                List.of(
                        "GET /api/v2/biometric/readings?x=%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
                        "GET /health HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n",
                        "POST /api/v2/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n",
                        "GET /%00 HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            String answer = rawHttp(raw);
            int status = Integer.parseInt(answer.substring(9, 12));
            assertTrue(status >= 400 && status < 500, raw + " -> " + answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            JsonNode json =
                    Json.MAPPER.readTree(
                            body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
            assertEquals(status, json.path("error").path("status").asInt(), answer);
            assertFalse(LEAK.matcher(body).find(), body);
        }
    }

    @Test
    void theWebSocketRefusesAnUnauthenticatedUpgradeInTheEnvelopeAndBadEventsWithoutClosing()
            throws Exception {
        String answer =
                rawHttp(
                        "GET /api/v2/ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertEquals(
                "unauthorized",
                Json.MAPPER
                        .readTree(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1))
                        .at("/error/code")
                        .asText(),
                answer);

        try (io.chakrai.api.Socket ws =
                io.chakrai.api.Socket.open(
                        api.server.port(), token, "&since=" + q("+294277-01-01T00:00:00Z"))) {
            assertEquals("connected", ws.next().get("type").asText());
            JsonNode since = ws.next();
            assertEquals("invalid_query", since.at("/error/code").asText(), since.toString());
            for (String msg :
                    List.of(
                            "{\"type\":\"biometric_reading\",\"data\":{\"deviceId\":"
                                    + device
                                    + ",\"dataType\":\"hrv\",\"value\":40,"
                                    + "\"timestamp\":\""
                                    + Instant.now()
                                    + "\",\"metadata\":{\"k\":\"\\u0000\"}}}",
                            "{\"type\":\"\\ud800\"}",
                            "{\"type\":\"biometric_reading\",\"data\":{\"deviceId\":"
                                    + device
                                    + ",\"dataType\":\"hrv\",\"value\":40,"
                                    + "\"timestamp\":\"+294277-01-01T00:00:00Z\"}}",
                            "not json at all",
                            "[]",
                            "{\"type\":\"biometric_reading\",\"data\":[1,2]}")) {
                ws.send(msg);
                JsonNode event = ws.next();
                String reply = event.toString();
                assertEquals("error", event.get("type").asText(), reply);
                int status = event.at("/error/status").asInt();
                assertTrue(status >= 400 && status < 500, reply);
                assertFalse(LEAK.matcher(reply).find(), reply);
            }
            assertFalse(ws.ws.isInputClosed(), "the socket stays open after bad events");
        }
    }

    static String rawHttp(String request) throws IOException {
        try (Socket s = new Socket("localhost", api.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String multipart(String field, byte[] value, String filename) {
        return "--b\r\nContent-Disposition: form-data; name=\""
                + field
                + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"")
                + "\r\n\r\n"
                + new String(value, StandardCharsets.ISO_8859_1)
                + "\r\n--b--\r\n";
    }

    HttpRequest multipartRequest(byte[] body) {
        return HttpRequest.newBuilder(http.uri("/api/v2/prediction/voice-analysis"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(body)))
                .timeout(Duration.ofSeconds(30))
                .build();
    }
}
