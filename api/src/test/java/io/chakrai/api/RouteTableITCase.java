package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.http.RouteTable;
import io.javalin.router.ParsedEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route table against the running app: every registered route is described in /openapi.json and
 * every described route exists; every route with an id in its path is scoped to the caller, and a
 * second person trying it with the first one's id gets 404 and none of their data (the cross-user
 * matrix, taken from the table, so a new route with an id and no entry here fails).
 */
class RouteTableITCase {
    static ApiFixture api;
    static Http http;
    static String alice;
    static String bob;
    static String clinician;
    static String operator;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_routes_test", 4L * 1024 * 1024);
        http = api.http;
        alice = api.registerAndLogin("alice-routes@example.org");
        bob = api.registerAndLogin("bob-routes@example.org");
        clinician = withRole("dr-routes@example.org", "clinician");
        operator = withRole("ops-routes@example.org", "operator");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** An account with {@code role} (given as an operator would, in the database), signed in. */
    static String withRole(String email, String role) throws Exception {
        return withRoleOn(api, email, role);
    }

    static String withRoleOn(ApiFixture api, String email, String role) throws Exception {
        api.registerAndLogin(email);
        try (var c = java.sql.DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                var s = c.createStatement()) {
            s.execute("UPDATE users SET role = '" + role + "' WHERE email = '" + email + "'");
        }
        return api.http
                .post(
                        "/api/v2/auth/token",
                        null,
                        "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}")
                .json()
                .get("access_token")
                .asText();
    }

    static String key(String method, String path) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
    }

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteExists() throws Exception {
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint e :
                api.server.app().unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH")
                    .contains(e.getEndpoint().getMethod().name())) {
                registered.add(key(e.getEndpoint().getMethod().name(), e.getEndpoint().getPath()));
            }
        }
        Http.Response doc = http.get("/openapi.json", null);
        assertEquals(200, doc.status());
        assertTrue(
                doc.json().path("openapi").asText().startsWith("3."), doc.body().substring(0, 100));
        Set<String> described = new TreeSet<>();
        doc.json()
                .path("paths")
                .fields()
                .forEachRemaining(
                        p ->
                                p.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                m -> {
                                                    described.add(key(m, p.getKey()));
                                                    JsonNode op = p.getValue().get(m);
                                                    assertFalse(
                                                            op.path("summary").asText().isBlank(),
                                                            p.getKey() + " has no summary");
                                                    assertTrue(
                                                            op.path("description")
                                                                    .asText()
                                                                    .contains("Roles:"),
                                                            p.getKey()
                                                                    + " does not state its roles");
                                                    assertTrue(
                                                            op.path("x-roles").isArray()
                                                                    && op.path("x-roles").size()
                                                                            > 0,
                                                            p.getKey());
                                                    boolean open =
                                                            op.path("x-roles")
                                                                    .get(0)
                                                                    .asText()
                                                                    .equals("public");
                                                    assertEquals(
                                                            open,
                                                            op.path("security").isArray()
                                                                    && op.path("security")
                                                                            .isEmpty(),
                                                            p.getKey()
                                                                    + ": a route says whether it needs a token (security: [] when it does not)");
                                                    assertEquals(
                                                            1,
                                                            op.path("tags").size(),
                                                            p.getKey() + " belongs to one area");
                                                    op.path("responses")
                                                            .fields()
                                                            .forEachRemaining(
                                                                    r -> {
                                                                        boolean success =
                                                                                r.getKey()
                                                                                        .startsWith(
                                                                                                "2");
                                                                        assertTrue(
                                                                                !success
                                                                                        || r.getKey()
                                                                                                .equals(
                                                                                                        "204")
                                                                                        || r.getValue()
                                                                                                        .path(
                                                                                                                "content")
                                                                                                        .size()
                                                                                                > 0,
                                                                                m
                                                                                        + " "
                                                                                        + p.getKey()
                                                                                        + " "
                                                                                        + r.getKey()
                                                                                        + " declares what it answers");
                                                                        assertTrue(
                                                                                success
                                                                                        || r.getValue()
                                                                                                        .path(
                                                                                                                "content")
                                                                                                        .size()
                                                                                                > 0
                                                                                        || p.getKey()
                                                                                                .startsWith(
                                                                                                        "/health"),
                                                                                m
                                                                                        + " "
                                                                                        + p.getKey()
                                                                                        + " "
                                                                                        + r.getKey()
                                                                                        + " declares its error body");
                                                                    });
                                                }));
        assertEquals(registered, described);
        assertTrue(registered.size() >= 29, registered.toString());
        assertFalse(doc.json().path("servers").isEmpty());
        assertEquals(
                "GPL-3.0-or-later",
                doc.json().path("info").path("license").path("identifier").asText());
    }

    /**
     * The description served is the one committed as {@code api/openapi.json}, from which the Java
     * client is generated and which app developers generate theirs from: a change to any route
     * shows as a diff of that file. After a deliberate change, {@code ./mvnw -pl api verify
     * -Dchakrai.contracts.update=true} writes it anew.
     */
    @Test
    void theDescriptionServedIsTheOneCommitted() throws Exception {
        java.nio.file.Path committed = java.nio.file.Path.of("openapi.json");
        String served = http.get("/openapi.json", null).body() + "\n";
        if (Boolean.getBoolean("chakrai.contracts.update")) {
            java.nio.file.Files.writeString(committed, served);
        }
        assertEquals(
                java.nio.file.Files.readString(committed),
                served,
                "the API's description changed: check the diff, then -Dchakrai.contracts.update=true writes api/openapi.json");
    }

    @Test
    void theDocsPageAndItsAssetsAreServed() {
        Http.Response page = http.get("/docs", null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("swagger-ui-bundle.js"), page.body());
        assertEquals(
                200, http.get("/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js", null).status());
        assertEquals(200, http.get("/docs.js", null).status());
    }

    /**
     * How to make one of Alice's items for each owned route: the id, and a text only her data
     * contains.
     */
    record Made(String id, String secret) {}

    /**
     * Alice in a group of her own, with a message only she wrote (the group routes' matrix
     * entries).
     */
    static Made aliceGroup(String token) {
        String secret = "alice-group-secret-" + System.nanoTime();
        assertEquals(
                200,
                http.send(
                                "PUT",
                                "/api/v2/me/consents",
                                token,
                                "{\"kind\":\"groups\",\"granted\":true}")
                        .status());
        Http.Response match =
                http.post(
                        "/api/v2/therapy/groups/find-match",
                        token,
                        "{\"session_type\":\"grief_support\","
                                + "\"therapeutic_goals\":[\""
                                + secret
                                + " unique goal\"]}");
        assertEquals(200, match.status(), match.body());
        String id = match.json().path("group").path("id").asText();
        if (!match.json().path("joined").asBoolean()) {
            assertEquals(
                    201, http.post("/api/v2/therapy/groups/" + id + "/join", token, "{}").status());
        }
        Http.Response msg =
                http.post(
                        "/api/v2/therapy/groups/" + id + "/messages",
                        token,
                        "{\"content\":\"" + secret + "\"}");
        assertEquals(201, msg.status(), msg.body());
        return new Made(id, secret);
    }

    /** A story Alice generated with a focus only she wrote, and a session of it. */
    static Made aliceContent(String token) {
        String secret = "alice-content-" + System.nanoTime();
        Http.Response r =
                http.post(
                        "/api/v2/content/generate/story",
                        token,
                        "{\"focus\":\"" + secret + "\",\"duration_minutes\":3}");
        assertEquals(201, r.status(), r.body());
        return new Made(r.json().get("id").asText(), secret);
    }

    static Made aliceSession(String token) {
        Made content = aliceContent(token);
        Http.Response r = http.post("/api/v2/content/" + content.id() + "/sessions", token, null);
        assertEquals(201, r.status(), r.body());
        return new Made(r.json().get("usage_id").asText(), content.secret());
    }

    /**
     * An escalation a facilitator of a person's group handles: that person's held message (the
     * secret in it), acknowledged by that facilitator, so it is never raised to anyone else while
     * the matrix runs.
     */
    static Made aliceEscalation(String ignored) {
        try {
            // a person of their own (Alice is in five groups by now)
            String token = api.registerAndLogin("esc-" + System.nanoTime() + "@example.org");
            String facilitator =
                    withRole("fac-" + System.nanoTime() + "@example.org", "facilitator");
            Made group = aliceGroup(token);
            assertEquals(
                    200,
                    http.put("/api/v2/facilitator/groups/" + group.id(), facilitator, null)
                            .status());
            String secret = "escalation-secret-" + System.nanoTime();
            Http.Response held =
                    http.post(
                            "/api/v2/therapy/groups/" + group.id() + "/messages",
                            token,
                            "{\"content\":\"I want to kill myself tonight " + secret + "\"}");
            assertEquals("held", held.json().path("status").asText(), held.body());
            JsonNode mine =
                    http.get("/api/v2/facilitator/escalations?status=open", facilitator)
                            .json()
                            .path("escalations");
            String id = null;
            for (JsonNode e : mine) {
                if (e.path("message_id").asLong() == held.json().path("id").asLong()) {
                    id = e.path("id").asText();
                }
            }
            assertNotNull(id, mine.toString());
            assertEquals(
                    200,
                    http.put(
                                    "/api/v2/facilitator/escalations/" + id,
                                    facilitator,
                                    "{\"status\":\"acknowledged\"}")
                            .status());
            return new Made(id, secret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An import Alice started, named with her secret (one at a time each: her open one, if she has
     * one).
     */
    static Made aliceImport(String token) {
        JsonNode open = http.get("/api/v2/biometric/imports", token).json().path("imports").path(0);
        if (open.path("status").asText().equals("uploading")) {
            return new Made(
                    open.path("id").asText(), open.path("file_name").asText().replace(".zip", ""));
        }
        String secret = "alice-import-" + System.nanoTime();
        Http.Response r =
                http.post(
                        "/api/v2/biometric/imports",
                        token,
                        "{\"file_name\":\"" + secret + ".zip\",\"size_bytes\":1000}");
        assertEquals(201, r.status(), r.body());
        return new Made(r.json().get("id").asText(), secret);
    }

    /**
     * A stress episode the detector found for Alice (written as the stress job writes it); its
     * secret is its trigger.
     */
    static Made aliceEpisode(String ignored) {
        String secret = "alice-episode-" + System.nanoTime();
        try (var c = java.sql.DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                var ps =
                        c.prepareStatement(
                                "INSERT INTO health_predictions (user_id, prediction_type, predicted_value, confidence, "
                                        + "timeframe, prediction_time, target_time, trigger_factors) SELECT id, 'stress_episode', 70, 0.8, '15min', "
                                        + "now() - interval '1 hour' - random() * interval '1 day', now(), ARRAY[?] FROM users "
                                        + "WHERE email = 'alice-routes@example.org' RETURNING id")) {
            ps.setString(1, secret);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return new Made(rs.getString(1), secret);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, Function<String, Made>> MATRIX =
            Map.ofEntries(
                    Map.entry(
                            "/api/v2/biometric/predictions/{id}/answer",
                            RouteTableITCase::aliceEpisode),
                    Map.entry("/api/v2/biometric/imports/{id}", RouteTableITCase::aliceImport),
                    Map.entry(
                            "/api/v2/biometric/imports/{id}/content",
                            RouteTableITCase::aliceImport),
                    Map.entry(
                            "/api/v2/facilitator/escalations/{id}",
                            RouteTableITCase::aliceEscalation),
                    Map.entry("/api/v2/content/{id}", RouteTableITCase::aliceContent),
                    Map.entry("/api/v2/content/{id}/rating", RouteTableITCase::aliceContent),
                    Map.entry("/api/v2/content/{id}/feedback", RouteTableITCase::aliceContent),
                    Map.entry("/api/v2/content/{id}/sessions", RouteTableITCase::aliceContent),
                    Map.entry("/api/v2/content/sessions/{id}", RouteTableITCase::aliceSession),
                    Map.entry("/api/v2/therapy/groups/{id}/leave", RouteTableITCase::aliceGroup),
                    Map.entry("/api/v2/therapy/groups/{id}/messages", RouteTableITCase::aliceGroup),
                    Map.entry(
                            "/api/v2/therapy/groups/{id}/sentiment", RouteTableITCase::aliceGroup),
                    Map.entry( // someone who never granted clinician access: to a clinician
                            // they do not exist
                            "/api/v2/clinician/patients/{id}/risk",
                            token -> {
                                String secret = "carol-" + System.nanoTime();
                                Http.Response reg =
                                        http.post(
                                                "/api/v2/auth/register",
                                                null,
                                                "{\"email\":\""
                                                        + secret
                                                        + "@example.org\",\"password\":\"correct horse battery\",\"display_name\":\""
                                                        + secret
                                                        + "\"}");
                                return new Made(reg.json().get("id").asText(), secret);
                            }),
                    Map.entry(
                            "/api/v2/biometric/devices/{id}",
                            token -> {
                                String secret = "alice-secret-" + System.nanoTime();
                                Http.Response r =
                                        http.post(
                                                "/api/v2/biometric/devices",
                                                token,
                                                "{\"device_type\":\"fitbit\",\"device_id\":\""
                                                        + secret
                                                        + "\",\"data_types\":[\"heart_rate\"],\"device_name\":\""
                                                        + secret
                                                        + "\"}");
                                assertEquals(201, r.status(), r.body());
                                return new Made(r.json().get("id").asText(), secret);
                            }));

    @Test
    void everyRouteTakingAnIdAnswers404ToAnotherPersonWithNoneOfTheOwnersData() {
        RouteTable table = api.server.routes();
        int tried = 0;
        for (RouteTable.Op op : table.routes()) {
            if (!op.path().contains("{")) {
                continue;
            }
            if (op.sharedBecause() != null) {
                assertFalse(op.isOwned(), op.path() + " is either owned or shared");
                continue;
            }
            assertTrue(
                    op.isOwned(),
                    op.method() + " " + op.path() + " takes an id but is not declared owned()");
            Function<String, Made> make = MATRIX.get(op.path());
            assertNotNull(
                    make,
                    op.method() + " " + op.path() + " needs an entry in the cross-user matrix");
            Made made = make.apply(alice);
            String path = op.path().replace("{id}", made.id());
            String body =
                    op.method().name().equals("PUT") ? "{\"device_name\":\"bob was here\"}" : null;
            // the intruder has the route's role but no claim on the item
            String intruder = op.roles().contains(RouteTable.Role.PERSON) ? bob : clinician;
            Http.Response asBob = http.send(op.method().name(), path, intruder, body);
            assertEquals(
                    404,
                    asBob.status(),
                    op.method() + " " + path + " as another person: " + asBob.body());
            assertFalse(asBob.body().contains(made.secret()), asBob.body());
            if (op.roles().contains(RouteTable.Role.PERSON) && op.method().name().equals("GET")) {
                Http.Response asAlice = http.get(path, alice);
                assertEquals(200, asAlice.status(), asAlice.body());
                assertTrue(
                        asAlice.body().contains(made.secret()) || !path.contains("/messages"),
                        asAlice.body());
            }
            tried++;
        }
        assertTrue(tried >= 3, "tried " + tried);
        // nothing of Alice's was changed by Bob
        assertFalse(http.get("/api/v2/biometric/devices", alice).body().contains("bob was here"));
    }

    @Test
    void everyRouteRefusesTheRolesItDoesNotList() {
        RouteTable table = api.server.routes();
        Map<RouteTable.Role, String> tokens =
                Map.of(
                        RouteTable.Role.PERSON,
                        bob,
                        RouteTable.Role.CLINICIAN,
                        clinician,
                        RouteTable.Role.OPERATOR,
                        operator);
        int refused = 0;
        for (RouteTable.Op op : table.routes()) {
            if (op.roles().contains(RouteTable.Role.PUBLIC)
                    || op.path().startsWith("/api/v2/auth/")) {
                continue;
            }
            for (var e : tokens.entrySet()) {
                if (op.roles().contains(e.getKey())) {
                    continue;
                }
                String path = op.path().replace("{id}", "1");
                Http.Response r =
                        http.send(
                                op.method().name(),
                                path,
                                e.getValue(),
                                op.method().name().equals("GET") ? null : "{}");
                assertEquals(
                        403,
                        r.status(),
                        e.getKey() + " on " + op.method() + " " + op.path() + ": " + r.body());
                assertEquals("forbidden", r.code());
                refused++;
            }
        }
        assertTrue(refused >= 40, "tried " + refused);
        // an operator has no health data: not even their own readings route
        assertEquals(403, http.get("/api/v2/biometric/readings", operator).status());
        assertEquals(200, http.get("/health/api", null).status());
    }
}
