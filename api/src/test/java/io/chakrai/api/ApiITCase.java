package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.auth.TokenService;
import io.chakrai.api.devices.TokenCipher;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.models.Json;
import io.chakrai.models.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API on a real PostgreSQL and a real Kafka broker, over real HTTP and WebSocket. */
class ApiITCase {
    static final String SECRET = ApiFixture.SECRET;
    static final String DEVICE_KEY = ApiFixture.DEVICE_KEY;
    static ApiFixture fixture;
    static EmbeddedPostgres pg;
    static EmbeddedKafka kafka;
    static ApiServer server;
    static Http http;
    static ApiConfig config;
    static String tokenA;
    static String tokenB;
    static int deviceA;

    @BeforeAll
    static void start() throws Exception {
        fixture = ApiFixture.start("chakrai_api_test", 4L * 1024 * 1024);
        pg = fixture.pg;
        kafka = fixture.kafka;
        server = fixture.server;
        config = fixture.config;
        http = fixture.http;
        tokenA = registerAndLogin("alice@example.org");
        tokenB = registerAndLogin("bob@example.org");
        deviceA =
                http.post(
                                "/api/v2/biometric/devices",
                                tokenA,
                                """
                {"device_type":"apple_watch","device_id":"AW-1","device_name":"Alice's watch",
                 "data_types":["heart_rate","hrv","steps"],"auth_token":"vendor-secret-123"}""")
                        .json()
                        .get("id")
                        .asInt();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static String registerAndLogin(String email) {
        return fixture.registerAndLogin(email);
    }

    static String reading(int device, String type, String value, Instant at) {
        return "{\"device_id\":"
                + device
                + ",\"data_type\":\""
                + type
                + "\",\"value\":"
                + value
                + ",\"timestamp\":\""
                + at
                + "\"}";
    }

    // ---- auth ----

    @Test
    void registrationRefusesADuplicateEmailAndAWeakPassword() {
        assertEquals(
                409,
                http.post(
                                "/api/v2/auth/register",
                                null,
                                "{\"email\":\"ALICE@example.org\",\"password\":\"another long password\"}")
                        .status());
        Http.Response weak =
                http.post(
                        "/api/v2/auth/register",
                        null,
                        "{\"email\":\"c@example.org\",\"password\":\"short\"}");
        assertEquals(400, weak.status());
        assertTrue(weak.message().startsWith("password:"), weak.body());
        assertEquals(
                401,
                http.post(
                                "/api/v2/auth/token",
                                null,
                                "{\"email\":\"alice@example.org\",\"password\":\"wrong password!!\"}")
                        .status());
        assertEquals(
                401,
                http.post(
                                "/api/v2/auth/token",
                                null,
                                "{\"email\":\"nobody@example.org\",\"password\":\"wrong password!!\"}")
                        .status());
    }

    @Test
    void passwordsAreStoredAsBcryptHashes() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT password_hash FROM users WHERE email = 'alice@example.org'")) {
            rs.next();
            assertTrue(rs.getString(1).startsWith("$2a$"), "bcrypt hash expected");
            assertFalse(rs.getString(1).contains("correct horse"));
        }
    }

    @Test
    void everyApiRouteNeedsAValidToken() {
        String forged =
                new TokenService(
                                "another-secret-of-at-least-32-bytes!!",
                                Duration.ofHours(1),
                                Clock.systemUTC())
                        .issue(1, UUID.randomUUID());
        String expired =
                new TokenService(
                                SECRET,
                                Duration.ofMinutes(1),
                                Clock.fixed(
                                        Instant.now().minus(2, ChronoUnit.HOURS), ZoneOffset.UTC))
                        .issue(1, UUID.randomUUID());
        for (String path : List.of("/api/v2/biometric/devices", "/api/v2/biometric/readings")) {
            Http.Response none = http.get(path, null);
            assertEquals(401, none.status());
            assertEquals("unauthorized", none.code());
            assertEquals(401, http.get(path, forged).status());
            Http.Response old = http.get(path, expired);
            assertEquals(401, old.status());
            assertTrue(old.message().contains("expired"), old.body());
            assertEquals(401, http.get(path, "not.a.jwt").status());
            // signed with the right secret, but for a sign-in session that does not exist
            String noSession =
                    new TokenService(SECRET, Duration.ofMinutes(5), Clock.systemUTC())
                            .issue(1, UUID.randomUUID());
            assertEquals(401, http.get(path, noSession).status());
        }
        assertEquals(401, http.post("/api/v2/biometric/readings", null, "[]").status());
        assertEquals(200, http.get("/health", null).status());
        assertEquals(200, http.get("/metrics", null).status());
    }

    // ---- devices ----

    @Test
    void devicesAreCreatedListedUpdatedAndDeactivatedWithoutEverReturningTheAuthToken()
            throws Exception {
        Http.Response created =
                http.post(
                        "/api/v2/biometric/devices",
                        tokenA,
                        """
                {"device_type":"oura","device_id":"RING-9","data_types":["hrv","skin_temperature"],
                 "auth_token":"oura-refresh-token-xyz","settings":{"ring_size":9}}""");
        assertEquals(201, created.status(), created.body());
        int id = created.json().get("id").asInt();
        assertFalse(created.body().contains("oura-refresh-token-xyz"));
        assertFalse(created.json().has("auth_token"));
        assertTrue(created.json().get("has_auth_token").asBoolean());

        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT auth_token FROM biometric_devices WHERE id = " + id)) {
            rs.next();
            String stored = rs.getString(1);
            assertFalse(
                    stored.contains("oura-refresh-token-xyz"), "token must be encrypted at rest");
            assertEquals("oura-refresh-token-xyz", new TokenCipher(DEVICE_KEY).decrypt(stored, id));
            assertThrows(
                    java.security.GeneralSecurityException.class,
                    () -> new TokenCipher(DEVICE_KEY).decrypt(stored, id + 1));
        }

        assertEquals(
                409,
                http.post(
                                "/api/v2/biometric/devices",
                                tokenA,
                                "{\"device_type\":\"oura\",\"device_id\":\"RING-9\",\"data_types\":[\"hrv\"]}")
                        .status());
        Http.Response updated =
                http.put(
                        "/api/v2/biometric/devices/" + id,
                        tokenA,
                        "{\"device_name\":\"Ring\",\"data_types\":[\"hrv\"],\"sync_frequency\":60}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals("Ring", updated.json().get("device_name").asText());
        assertEquals(60, updated.json().get("sync_frequency").asInt());
        assertFalse(updated.body().contains("oura-refresh-token-xyz"));

        Http.Response list = http.get("/api/v2/biometric/devices", tokenA);
        assertFalse(list.body().contains("oura-refresh-token-xyz"));
        assertTrue(list.json().get("devices").size() >= 2);

        assertEquals(204, http.delete("/api/v2/biometric/devices/" + id, tokenA).status());
        JsonNode after = http.get("/api/v2/biometric/devices/" + id, tokenA).json();
        assertFalse(after.get("is_active").asBoolean());
        Http.Response onInactive =
                http.post(
                        "/api/v2/biometric/readings",
                        tokenA,
                        reading(id, "hrv", "40", Instant.now()));
        assertEquals(400, onInactive.status());
        assertTrue(onInactive.message().contains("deactivated"), onInactive.body());
    }

    @Test
    void deviceValidationNamesTheField() {
        Http.Response r =
                http.post(
                        "/api/v2/biometric/devices",
                        tokenA,
                        "{\"device_type\":\"pebble\",\"device_id\":\"P\",\"data_types\":[\"heart_rate\",\"aura\"]}");
        assertEquals(400, r.status());
        Set<String> fields = new HashSet<>();
        r.json().path("error").path("details").forEach(d -> fields.add(d.get("field").asText()));
        // the unknown data type named by its place in the list
        assertEquals(Set.of("device_type", "data_types[1]"), fields);
    }

    @Test
    void anotherUsersDeviceAnswers404() {
        String path = "/api/v2/biometric/devices/" + deviceA;
        assertEquals(404, http.get(path, tokenB).status());
        assertEquals(404, http.put(path, tokenB, "{\"device_name\":\"mine now\"}").status());
        assertEquals(404, http.delete(path, tokenB).status());
        assertEquals(
                404, http.get("/api/v2/biometric/readings?device_id=" + deviceA, tokenB).status());
        assertEquals(200, http.get(path, tokenA).status());
        assertEquals("Alice's watch", http.get(path, tokenA).json().get("device_name").asText());
    }

    // ---- readings in ----

    @Test
    void aValidBatchIsAcceptedOnlyAfterKafkaHasEveryRecordKeyedByUser() throws Exception {
        Instant t0 = Instant.now().minusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            items.add(
                    reading(
                            deviceA,
                            "heart_rate",
                            Integer.toString(55 + i % 60),
                            t0.plusMillis(500L * i)));
        }
        String tag = UUID.randomUUID().toString();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "api-test-" + tag,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "latest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.READINGS));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);

            Http.Response r =
                    http.post(
                            "/api/v2/biometric/readings",
                            tokenA,
                            "[" + String.join(",", items) + "]");
            assertEquals(202, r.status(), r.body());
            assertEquals(5_000, r.json().get("accepted").asInt());

            Map<String, Integer> byKey = new HashMap<>();
            long deadline = System.currentTimeMillis() + 20_000;
            int seen = 0;
            while (seen < 5_000 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(200))) {
                    byKey.merge(rec.key(), 1, Integer::sum);
                    assertEquals(
                            deviceA, Json.MAPPER.readTree(rec.value()).get("device_id").asInt());
                    seen++;
                }
            }
            String alice = Integer.toString(ApiFixture.userId(tokenA));
            assertEquals(Map.of(alice, 5_000), byKey);
        }
        assertNotEquals(
                "null",
                http.get("/api/v2/biometric/devices/" + deviceA, tokenA)
                        .json()
                        .get("last_sync_at")
                        .asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "malformed JSON|[{\"device_id\": 1,|400|malformed_json|",
                "NaN literal|{\"device_id\":DEV,\"data_type\":\"heart_rate\",\"value\":NaN,\"timestamp\":\"NOW\"}|400|malformed_json|",
                "NaN as text|{\"device_id\":DEV,\"data_type\":\"heart_rate\",\"value\":\"NaN\",\"timestamp\":\"NOW\"}|400|invalid_readings|value",
                "wrong type|{\"device_id\":\"DEV\",\"data_type\":\"heart_rate\",\"value\":70,\"timestamp\":\"NOW\"}|400|invalid_readings|device_id",
                "heart rate of 900|{\"device_id\":DEV,\"data_type\":\"heart_rate\",\"value\":900,\"timestamp\":\"NOW\"}|400|invalid_readings|value",
                "unknown data_type|{\"device_id\":DEV,\"data_type\":\"aura\",\"value\":1,\"timestamp\":\"NOW\"}|400|invalid_readings|data_type",
                "type the device lacks|{\"device_id\":DEV,\"data_type\":\"spo2\",\"value\":97,\"timestamp\":\"NOW\"}|400|invalid_readings|data_type",
                "foreign device|{\"device_id\":999999,\"data_type\":\"heart_rate\",\"value\":70,\"timestamp\":\"NOW\"}|400|invalid_readings|device_id",
                "future timestamp|{\"device_id\":DEV,\"data_type\":\"heart_rate\",\"value\":70,\"timestamp\":\"2999-01-01T00:00:00Z\"}|400|invalid_readings|timestamp",
                "empty batch|[]|400|empty_batch|",
                "not an object|42|400|invalid_body|",
                "empty body||400|empty_body|",
            })
    void badReadingsGetA4xxNamingTheProblem(
            String name, String body, int status, String code, String field) {
        String b =
                body == null
                        ? ""
                        : body.replace("DEV", Integer.toString(deviceA))
                                .replace("NOW", Instant.now().minusSeconds(60).toString());
        Http.Response r = http.post("/api/v2/biometric/readings", tokenA, b);
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.code(), r.body());
        if (field != null) {
            assertEquals(field, r.json().at("/error/details/0/field").asText(), r.body());
            assertEquals(0, r.json().at("/error/details/0/index").asInt());
        }
    }

    @Test
    void aBatchWithBadItemsIsRefusedWholeListingEachIndex() {
        Instant t = Instant.now().minusSeconds(120);
        String body =
                "["
                        + reading(deviceA, "heart_rate", "70", t)
                        + ","
                        + reading(deviceA, "heart_rate", "900", t.plusSeconds(1))
                        + ","
                        + reading(deviceA, "hrv", "45", t.plusSeconds(2))
                        + ","
                        + reading(deviceA, "aura", "1", t.plusSeconds(3))
                        + "]";
        Http.Response r = http.post("/api/v2/biometric/readings", tokenA, body);
        assertEquals(400, r.status());
        List<Integer> indexes = new ArrayList<>();
        r.json().at("/error/details").forEach(d -> indexes.add(d.get("index").asInt()));
        assertEquals(List.of(1, 3), indexes);
        assertTrue(r.message().startsWith("2 of 4 readings are invalid"), r.message());
    }

    @Test
    void oversizeBodiesAndBatchesAreRefusedWith413() {
        String huge = "[" + "x".repeat((int) config.maxBodyBytes() + 10) + "]";
        Http.Response r = http.post("/api/v2/biometric/readings", tokenA, huge);
        assertEquals(413, r.status());
        assertEquals("body_too_large", r.code(), r.body());

        String one = reading(deviceA, "heart_rate", "70", Instant.now().minusSeconds(5));
        String many =
                "["
                        + String.join(
                                ",", java.util.Collections.nCopies(config.maxBatch() + 1, one))
                        + "]";
        Http.Response big = http.post("/api/v2/biometric/readings", tokenA, many);
        assertEquals(413, big.status(), big.body());
        assertEquals("batch_too_large", big.code());
    }

    // ---- readings out ----

    @Test
    void readingsComeBackNewestFirstInCursorPagesAndOnlyToTheirOwner() throws Exception {
        Http.Response dev =
                http.post(
                        "/api/v2/biometric/devices",
                        tokenA,
                        "{\"device_type\":\"fitbit\",\"device_id\":\"FB-page\",\"data_types\":[\"steps\"]}");
        int device = dev.json().get("id").asInt();
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                            + "SELECT d.user_id, d.id, 'steps', g, 'count', timestamptz '"
                            + t0
                            + "' + g * interval '1 minute' "
                            + "FROM biometric_devices d, generate_series(0, 249) g WHERE d.id = "
                            + device);
        }
        List<Instant> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page =
                    http.get(
                            "/api/v2/biometric/readings?data_type=steps&device_id="
                                    + device
                                    + "&limit=100"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            tokenA);
            assertEquals(200, page.status(), page.body());
            page.json()
                    .get("readings")
                    .forEach(r -> seen.add(Instant.parse(r.get("timestamp").asText())));
            cursor =
                    page.json().get("next_cursor").isNull()
                            ? null
                            : page.json().get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(250, seen.size());
        assertEquals(250, new HashSet<>(seen).size());
        assertEquals(t0.plusSeconds(249 * 60), seen.get(0));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).isBefore(seen.get(i - 1)));
        }
        Http.Response window =
                http.get(
                        "/api/v2/biometric/readings?data_type=steps&from="
                                + t0.plusSeconds(600)
                                + "&to="
                                + t0.plusSeconds(1200),
                        tokenA);
        assertEquals(10, window.json().get("readings").size(), window.body());
        assertEquals(
                0,
                http.get("/api/v2/biometric/readings?data_type=steps", tokenB)
                        .json()
                        .get("readings")
                        .size());
        assertEquals(400, http.get("/api/v2/biometric/readings?limit=0", tokenA).status());
        assertEquals(
                400,
                http.get("/api/v2/biometric/readings?cursor=bm90LWEtY3Vyc29y", tokenA).status());
        assertEquals(400, http.get("/api/v2/biometric/readings?from=yesterday", tokenA).status());
    }

    // ---- WebSocket ----

    @Test
    void theWebSocketNeedsATokenAndAcceptsTheSpecsReadingEvent() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI noToken = URI.create("ws://localhost:" + server.port() + "/api/v2/ws");
        Exception refused =
                assertThrows(
                        Exception.class,
                        () ->
                                client.newWebSocketBuilder()
                                        .buildAsync(noToken, new WebSocket.Listener() {})
                                        .get(10, TimeUnit.SECONDS));
        assertEquals(
                401,
                ((java.net.http.WebSocketHandshakeException) refused.getCause())
                        .getResponse()
                        .statusCode());

        Socket ws = Socket.open(server.port(), tokenA, "");
        assertEquals("connected", ws.next().get("type").asText());

        ws.send(
                "{\"type\":\"biometric_reading\",\"request_id\":7,\"data\":{\"deviceType\":\"apple_watch\","
                        + "\"dataType\":\"heart_rate\",\"value\":74,\"timestamp\":\""
                        + Instant.now().minusSeconds(3)
                        + "\"}}");
        // the owner's live echo of what was accepted comes first, then the acknowledgement
        JsonNode echo = ws.next();
        assertEquals("readings", echo.get("type").asText(), echo.toString());
        assertEquals(74, echo.at("/data/0/value").asInt());
        JsonNode ack = ws.next();
        assertEquals("reading_accepted", ack.get("type").asText(), ack.toString());
        assertEquals(7, ack.get("request_id").asInt());

        ws.send(
                "{\"type\":\"biometric_reading\",\"data\":{\"deviceType\":\"apple_watch\","
                        + "\"dataType\":\"heart_rate\",\"value\":900,\"timestamp\":\""
                        + Instant.now()
                        + "\"}}");
        JsonNode err = ws.next();
        assertEquals("error", err.get("type").asText());
        assertEquals("value", err.at("/error/details/0/field").asText(), err.toString());

        ws.send(
                "{\"type\":\"biometric_reading\",\"data\":{\"deviceType\":\"garmin\","
                        + "\"dataType\":\"heart_rate\",\"value\":70,\"timestamp\":\""
                        + Instant.now()
                        + "\"}}");
        assertTrue(ws.next().at("/error/message").asText().contains("no active garmin"));

        ws.send("not json");
        assertEquals("malformed_json", ws.next().at("/error/code").asText());
        ws.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get();
        assertNull(ws.inbox.poll(200, TimeUnit.MILLISECONDS));
        ws.close();
    }

    @Test
    void healthAndMetricsAreOpenAndReportTheParts() {
        Http.Response h = http.get("/health", null);
        assertEquals("up", h.json().get("status").asText(), h.body());
        assertEquals("up", h.json().at("/checks/postgres").asText());
        assertEquals("up", h.json().at("/checks/kafka").asText());
        String metrics = http.get("/metrics", null).body();
        assertTrue(metrics.contains("chakrai_readings_accepted"), metrics);
        assertTrue(metrics.contains("chakrai_http_requests"), metrics);
    }

    // ---- risk assessment ----

    @Test
    void anAssessmentScoresTheQuestionnairesEscalatesOnItem9AndStaysPrivate() {
        Http.Response mild =
                http.post(
                        "/api/v2/prediction/assess",
                        tokenA,
                        "{\"phq9\":[1,1,1,1,1,0,0,0,0],\"gad7\":[1,1,1,0,0,0,0]}");
        assertEquals(201, mild.status(), mild.body());
        assertEquals(5, mild.json().at("/phq9/total").asInt());
        assertEquals("mild", mild.json().at("/phq9/severity").asText());
        assertEquals("comprehensive", mild.json().get("assessment_type").asText());
        assertFalse(mild.json().get("professional_escalation").asBoolean());
        assertEquals("2weeks", mild.json().get("timeframe").asText());

        Http.Response item9 =
                http.post("/api/v2/prediction/assess", tokenA, "{\"phq9\":[0,0,0,0,0,0,0,0,1]}");
        assertEquals(201, item9.status());
        assertTrue(item9.json().get("professional_escalation").asBoolean());
        assertEquals(
                "self_harm_thoughts_phq9_item9",
                item9.json().at("/primary_risk_factors/0").asText());
        assertTrue(item9.json().get("support_message").asText().contains("emergency"));

        Http.Response bad =
                http.post(
                        "/api/v2/prediction/assess",
                        tokenA,
                        "{\"phq9\":[0,0,4,0,0,0,0,0,0],\"gad7\":[1]}");
        assertEquals(400, bad.status());
        Set<String> fields = new HashSet<>();
        bad.json().at("/error/details").forEach(d -> fields.add(d.get("field").asText()));
        // the third answer out of range, and seven answers short
        assertEquals(Set.of("phq9[2]", "gad7"), fields);

        JsonNode listed =
                http.get("/api/v2/prediction/assessments", tokenA).json().get("assessments");
        assertEquals(2, listed.size());
        assertEquals("risk-rule-1", listed.at("/0/model_version").asText());
        assertEquals("request", listed.at("/0/trigger").asText());
        assertTrue(
                listed.at("/1/contributions/depressive_symptoms_phq9").asDouble() > 0,
                listed.toString());
        JsonNode current = http.get("/api/v2/prediction/current-risk", tokenA).json();
        assertFalse(current.get("stale").asBoolean());
        assertEquals(item9.json().get("id").asLong(), current.at("/assessment/id").asLong());
        assertEquals(
                0,
                http.get("/api/v2/prediction/assessments", tokenB)
                        .json()
                        .get("assessments")
                        .size());
        JsonNode none = http.get("/api/v2/prediction/current-risk", tokenB).json();
        assertTrue(none.get("assessment").isNull(), none.toString());
        assertTrue(none.get("stale").asBoolean(), none.toString());
        assertTrue(none.path("message").asText().contains("POST"), none.toString());
        // answers an app kept offline for eight days: the latest assessment, and stale
        String old = java.time.Instant.now().minus(java.time.Duration.ofDays(8)).toString();
        assertEquals(
                201,
                http.post(
                                "/api/v2/prediction/assess",
                                tokenB,
                                "{\"gad7\":[1,1,1,1,1,1,1],\"answered_at\":\"" + old + "\"}")
                        .status());
        JsonNode stale = http.get("/api/v2/prediction/current-risk", tokenB).json();
        assertTrue(stale.get("stale").asBoolean(), stale.toString());
        assertFalse(stale.has("message"), stale.toString());
        assertEquals(401, http.post("/api/v2/prediction/assess", null, "{}").status());
    }

    @Test
    void aResponseToAnOldInterventionIsRecordedAndAnsweredWithIt() throws Exception {
        String token = registerAndLogin("responds-late@example.org");
        String other = registerAndLogin("not-theirs@example.org");
        int user = ApiFixture.userId(token);
        long oldest;
        // a year of suggestions: the one answered is older than the newest thousand
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                var ps =
                        c.prepareStatement(
                                "INSERT INTO interventions (user_id, intervention_type, content, urgency, created_at) "
                                        + "SELECT ?, 'breathing_478', 'Breathe in for 4', 'medium', now() - g * interval '6 hours' "
                                        + "FROM generate_series(1, 1100) g RETURNING id")) {
            ps.setInt(1, user);
            try (var rs = ps.executeQuery()) {
                long last = 0;
                while (rs.next()) {
                    last = rs.getLong(1);
                }
                oldest = last;
            }
        }
        String body =
                "{\"intervention_id\":" + oldest + ",\"response\":\"accepted\",\"helpful\":4}";
        Http.Response r = http.post("/api/v2/biometric/interventions/respond", token, body);
        assertEquals(200, r.status(), r.body());
        assertEquals(oldest, r.json().get("id").asLong());
        assertEquals("accepted", r.json().get("status").asText());
        assertEquals(4, r.json().get("helpful_rating").asInt());
        assertFalse(r.json().get("responded_at").isNull(), r.body());
        // someone else's intervention is not found, and stays as it was
        Http.Response theirs = http.post("/api/v2/biometric/interventions/respond", other, body);
        assertEquals(404, theirs.status(), theirs.body());
        JsonNode accepted =
                http.get("/api/v2/biometric/interventions?status=accepted", token)
                        .json()
                        .get("interventions");
        assertEquals(1, accepted.size(), accepted.toString());
        assertEquals(oldest, accepted.at("/0/id").asLong());
    }

    // ---- patterns and correlations ----

    @Test
    void patternsAndCorrelationsComeFromTheCallersOwnDaysAndOnlyWithEnoughOfThem()
            throws Exception {
        String tokenD = registerAndLogin("dana@example.org");
        Http.Response dev =
                http.post(
                        "/api/v2/biometric/devices",
                        tokenD,
                        "{\"device_type\":\"fitbit\",\"device_id\":\"FB-days\",\"data_types\":[\"steps\",\"hrv\",\"sleep_stage\"]}");
        int device = dev.json().get("id").asInt();
        int user = ApiFixture.userId(tokenD);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement()) {
            // 20 days: more steps, higher HRV; short nights before days with two stress episodes
            for (int d = 1; d <= 20; d++) {
                String day = "date_trunc('day', now()) - interval '" + d + " days'";
                int steps = 3000 + 400 * d;
                s.execute(
                        "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") VALUES ("
                                + user
                                + ", "
                                + device
                                + ", 'steps', "
                                + steps
                                + ", 'count', "
                                + day
                                + " + interval '12 hours'), ("
                                + user
                                + ", "
                                + device
                                + ", 'hrv', "
                                + (30 + steps / 500.0)
                                + ", 'ms', "
                                + day
                                + " + interval '13 hours')");
                int sleepMinutes = d % 3 == 0 ? 300 : 450;
                s.execute(
                        "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                                + "SELECT "
                                + user
                                + ", "
                                + device
                                + ", 'sleep_stage', 2, 'stage', "
                                + day
                                + " - interval '1 hour' + g * interval '1 minute' FROM generate_series(0, "
                                + (sleepMinutes - 1)
                                + ") g");
                if (d % 3 == 0) {
                    s.execute(
                            "INSERT INTO health_predictions (user_id, prediction_type, predicted_value, confidence, timeframe, "
                                    + "prediction_time, target_time) SELECT "
                                    + user
                                    + ", 'stress_episode', 70, 0.8, '15min', "
                                    + day
                                    + " + h * interval '1 hour', "
                                    + day
                                    + " + h * interval '1 hour' + interval '15 minutes' "
                                    + "FROM (VALUES (9), (15)) v(h)");
                }
            }
        }
        JsonNode patterns = http.get("/api/v2/prediction/patterns?days=30", tokenD).json();
        assertEquals(12, patterns.get("stress_episodes").asInt(), patterns.toString());
        assertEquals(6, patterns.at("/episodes_by_hour/9").asInt());
        assertEquals(6, patterns.at("/sleep_before_high_stress_days/high_stress_days").asInt());
        assertEquals(
                5.0,
                patterns.at(
                                "/sleep_before_high_stress_days/mean_sleep_hours_before_high_stress_days")
                        .asDouble(),
                0.01);
        assertEquals(
                7.5,
                patterns.at("/sleep_before_high_stress_days/mean_sleep_hours_before_other_days")
                        .asDouble(),
                0.01);

        JsonNode corr =
                http.get("/api/v2/prediction/correlations?days=30", tokenD)
                        .json()
                        .get("correlations");
        assertTrue(corr.get(0).get("reported").asBoolean());
        assertTrue(corr.get(0).get("coefficient").asDouble() < -0.9, corr.toString());
        assertTrue(corr.get(1).get("coefficient").asDouble() > 0.99, corr.toString());
        assertFalse(
                corr.get(2).get("reported").asBoolean(), "no heart-rate data: nothing reported");
        assertEquals(
                0,
                http.get("/api/v2/prediction/patterns", tokenA)
                        .json()
                        .at("/sleep_before_high_stress_days/high_stress_days")
                        .asInt());
        assertEquals(400, http.get("/api/v2/prediction/patterns?tz=Mars/Olympus", tokenD).status());
    }

    // ---- voice ----

    static byte[] wavTone(double hz, double seconds) throws Exception {
        int rate = 16_000;
        int n = (int) (seconds * rate);
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(n * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(16_000 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(
                new javax.sound.sampled.AudioInputStream(
                        new java.io.ByteArrayInputStream(b.array()),
                        new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false),
                        n),
                javax.sound.sampled.AudioFileFormat.Type.WAVE,
                out);
        return out.toByteArray();
    }

    static Http.Response upload(String token, String field, byte[] content) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\""
                                + field
                                + "\"; filename=\"v.wav\"\r\n"
                                + "Content-Type: audio/wav\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.write(content);
        body.write(
                ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var req =
                java.net.http.HttpRequest.newBuilder(
                                URI.create(
                                        "http://localhost:"
                                                + server.port()
                                                + "/api/v2/prediction/voice-analysis"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                        body.toByteArray()));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        var r =
                HttpClient.newHttpClient()
                        .send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), Json.MAPPER.readTree(r.body()), r.body());
    }

    @Test
    void aRecordingIsAnalysedAndStoredWithoutClaimingScoresAndBadAudioIs400() throws Exception {
        Http.Response ok = upload(tokenA, "audio", wavTone(150, 2));
        assertEquals(201, ok.status(), ok.body());
        assertEquals(150, ok.json().at("/analysis_features/f0_mean_hz").asDouble(), 1);
        assertTrue(ok.json().get("depression_score").isNull());
        assertTrue(ok.json().get("scores_note").asText().contains("no validated voice model"));
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT analysis_features->>'f0_mean_hz' FROM voice_health_analysis WHERE id = "
                                        + ok.json().get("id").asLong())) {
            rs.next();
            assertEquals(150, Double.parseDouble(rs.getString(1)), 1);
        }
        Http.Response notWav = upload(tokenA, "audio", "hello".getBytes());
        assertEquals(400, notWav.status());
        assertEquals("invalid_audio", notWav.code());
        assertEquals("audio", notWav.json().at("/error/details/0/field").asText());
        Http.Response tooShort = upload(tokenA, "audio", wavTone(150, 0.3));
        assertEquals(400, tooShort.status());
        assertTrue(tooShort.message().contains("0.3 s long"), tooShort.body());
        assertEquals(400, upload(tokenA, "recording", wavTone(150, 2)).status());
        assertEquals(401, upload(null, "audio", wavTone(150, 2)).status());
        assertEquals(400, http.post("/api/v2/prediction/voice-analysis", tokenA, "{}").status());
    }

    /**
     * A voice model a data scientist trained (here on synthetic rows: flat pitch = 1; pauses carry
     * no signal).
     */
    static io.chakrai.models.ml.TrainedModel flatVoiceModel() {
        java.util.Random r = new java.util.Random(5);
        int n = 300;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] people = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[i] =
                    new double[] {
                        y[i] == 1 ? 3 + 3 * r.nextDouble() : 15 + 10 * r.nextDouble(),
                        0.1 + 0.4 * r.nextDouble()
                    };
            people[i] = "P" + i % 10;
        }
        return io.chakrai.models.ml.TrainedModel.train(
                new io.chakrai.models.ml.FeatureTable(
                        List.of("f0_sd_hz", "pause_ratio"), x, y, people, "synthetic"),
                io.chakrai.models.ml.ModelKind.LOGISTIC_REGRESSION,
                1);
    }

    @Test
    void aPromotedVoiceModelScoresRecordingsAndNamesItsVersion() throws Exception {
        javax.sql.DataSource ds = fixture.dataSource();
        io.chakrai.models.ml.ModelRegistry registry = new io.chakrai.models.ml.ModelRegistry(ds);
        int version =
                registry.register("voice_depression", flatVoiceModel(), "{}", "synthetic", "test");
        try {
            String tokenC = registerAndLogin("carol-voice@example.org");
            assertTrue(
                    upload(tokenC, "audio", wavTone(150, 2))
                            .json()
                            .get("depression_score")
                            .isNull(),
                    "a candidate version is not used");
            registry.promote("voice_depression", version);
            Http.Response scored =
                    upload(tokenC, "audio", wavTone(150, 2)); // a perfectly flat "voice"
            assertEquals(201, scored.status(), scored.body());
            double p = scored.json().get("depression_score").asDouble();
            assertTrue(p > 0.5 && p <= 1, scored.body());
            assertTrue(
                    scored.json().get("anxiety_score").isNull(),
                    "no anxiety model, no anxiety score");
            assertEquals(p, scored.json().get("overall_mental_state_score").asDouble(), 1e-9);
            assertEquals(version, scored.json().at("/scored_by/depression/version").asInt());
            assertTrue(scored.json().get("scores_note").asText().contains("scored_by"));
            // a recording without a voiced frame has no F0 SD: the model cannot score it, and the
            // note says why
            Http.Response silent = upload(tokenC, "audio", wavTone(0, 2));
            assertEquals(201, silent.status(), silent.body());
            assertTrue(silent.json().get("depression_score").isNull());
            assertTrue(
                    silent.json()
                            .get("scores_note")
                            .asText()
                            .contains("voice_depression v" + version + " needs f0_sd_hz"),
                    silent.body());
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT depression_score, scored_by->'depression'->>'model' FROM "
                                            + "voice_health_analysis WHERE id = "
                                            + scored.json().get("id").asLong())) {
                rs.next();
                assertEquals(p, rs.getDouble(1), 1e-9);
                assertEquals("voice_depression", rs.getString(2));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                    Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM model_versions WHERE name = 'voice_depression'");
            }
        }
    }

    @Test
    void unknownRoutesAnswerJson404() {
        Http.Response r = http.get("/api/v2/nothing-here", tokenA);
        assertEquals(404, r.status());
        assertEquals("not_found", r.code());
    }
}
