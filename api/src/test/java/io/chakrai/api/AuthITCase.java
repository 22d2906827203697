package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Sign-in that resists guessing, short-lived tokens with rotating refresh tokens, and sign-out that
 * takes effect.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthITCase {
    static ApiFixture api;
    static Http http;
    static final String PASSWORD = "correct horse battery";

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_auth_test", 1024 * 1024);
        http = api.http;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static Http.Response signIn(String email, String password) {
        return http.post(
                "/api/v2/auth/token",
                null,
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    static void register(String email) {
        assertEquals(
                201,
                http.post(
                                "/api/v2/auth/register",
                                null,
                                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")
                        .status());
    }

    @Test
    @Order(0) // before the throttle's tests fill the address's failed sign-ins
    void aSecondAccountWithTheSameEmailIsRefusedAndTheFirstIsAnsweredWithItsId() {
        Http.Response first =
                http.post(
                        "/api/v2/auth/register",
                        null,
                        "{\"email\":\"twice@example.org\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, first.status(), first.body());
        assertEquals("twice@example.org", first.json().get("email").asText());
        assertTrue(first.json().get("id").asInt() > 0, first.body());
        Http.Response again =
                http.post(
                        "/api/v2/auth/register",
                        null,
                        "{\"email\":\"twice@example.org\",\"password\":\"another-"
                                + PASSWORD
                                + "\"}");
        assertEquals(409, again.status(), again.body());
        assertEquals("email_taken", again.code());
        Http.Response signedIn = signIn("twice@example.org", PASSWORD);
        assertEquals(200, signedIn.status(), signedIn.body());
        assertEquals(first.json().get("id").asInt(), signedIn.json().get("user_id").asInt());
    }

    @Test
    @Order(1)
    void guessingIsThrottledPerAccountAndAnUnknownAccountLooksTheSame() {
        register("guessed@example.org");
        List<Integer> known = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        Http.Response lastKnown = null;
        Http.Response lastUnknown = null;
        for (int i = 0; i < 30; i++) {
            lastKnown = signIn("guessed@example.org", "wrong password " + i);
            known.add(lastKnown.status());
            lastUnknown = signIn("nobody-" + "here@example.org", "wrong password " + i);
            unknown.add(lastUnknown.status());
            if (i < 5) {
                assertEquals(
                        lastKnown.body(),
                        lastUnknown.body(),
                        "a wrong password and an unknown account read the same");
            }
        }
        assertEquals(List.of(401, 401, 401, 401, 401), known.subList(0, 5));
        assertEquals(known.subList(0, 5), unknown.subList(0, 5));
        assertTrue(
                known.subList(5, 30).stream().filter(s -> s == 429).count() >= 20,
                known.toString());
        assertTrue(
                unknown.subList(5, 30).stream().filter(s -> s == 429).count() >= 20,
                unknown.toString());
        assertEquals("too_many_attempts", lastKnown.code(), lastKnown.body());
        assertEquals(lastKnown.code(), lastUnknown.code());
        // while locked, even the right password is refused, with when to come back
        HttpResponse<String> right =
                raw(
                        "/api/v2/auth/token",
                        "{\"email\":\"guessed@example.org\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(429, right.statusCode(), right.body());
        long retry = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 15 * 60, "Retry-After " + retry);
    }

    static HttpResponse<String> raw(String path, String body) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(http.uri(path))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(2)
    void accessTokensAreShortLivedAndRefreshTokensRotateAndAReusedOneEndsTheSession() {
        register("refresh@example.org");
        JsonNode first = signIn("refresh@example.org", PASSWORD).json();
        assertEquals(api.config.tokenTtl().toSeconds(), first.get("expires_in").asLong());
        assertEquals(30L * 24 * 3600, first.get("refresh_expires_in").asLong());
        Http.Response second =
                http.post(
                        "/api/v2/auth/refresh",
                        null,
                        "{\"refresh_token\":\"" + first.get("refresh_token").asText() + "\"}");
        assertEquals(200, second.status(), second.body());
        assertNotEquals(
                first.get("refresh_token").asText(),
                second.json().get("refresh_token").asText(),
                "rotated");
        String access = second.json().get("access_token").asText();
        assertEquals(200, http.get("/api/v2/biometric/devices", access).status());
        // the first refresh token again: it was copied; the session ends, its fresh access token
        // too
        Http.Response reuse =
                http.post(
                        "/api/v2/auth/refresh",
                        null,
                        "{\"refresh_token\":\"" + first.get("refresh_token").asText() + "\"}");
        assertEquals(401, reuse.status());
        assertTrue(reuse.message().contains("already used"), reuse.body());
        assertEquals(401, http.get("/api/v2/biometric/devices", access).status());
        assertEquals(
                401,
                http.post(
                                "/api/v2/auth/refresh",
                                null,
                                "{\"refresh_token\":\""
                                        + second.json().get("refresh_token").asText()
                                        + "\"}")
                        .status());
        assertEquals(
                401,
                http.post("/api/v2/auth/refresh", null, "{\"refresh_token\":\"made-up\"}")
                        .status());
    }

    @Test
    @Order(3)
    void signingOutEndsThatSessionOnRestAndOnItsOpenSocketsOnly() throws Exception {
        register("signout@example.org");
        String phone = signIn("signout@example.org", PASSWORD).json().get("access_token").asText();
        String laptop = signIn("signout@example.org", PASSWORD).json().get("access_token").asText();
        Socket ws = Socket.open(api, phone);

        assertEquals(204, http.post("/api/v2/auth/logout", phone, null).status());
        assertEquals(401, http.get("/api/v2/biometric/devices", phone).status());
        assertEquals(
                200,
                http.get("/api/v2/biometric/devices", laptop).status(),
                "the other session goes on");
        ws.await(e -> "signed_out".equals(e.path("type").asText()));
        assertEquals(1008, ws.closed.poll(10, TimeUnit.SECONDS));
        ws.close();

        Http.Response everywhere = http.post("/api/v2/auth/logout-all", laptop, null);
        assertEquals(200, everywhere.status(), everywhere.body());
        assertEquals(1, everywhere.json().get("sessions_ended").asInt());
        assertEquals(401, http.get("/api/v2/biometric/devices", laptop).status());
    }

    @Test
    @Order(4)
    void changingThePasswordEndsEveryOtherSession() {
        register("change@example.org");
        String here = signIn("change@example.org", PASSWORD).json().get("access_token").asText();
        String elsewhere =
                signIn("change@example.org", PASSWORD).json().get("access_token").asText();
        Http.Response wrong =
                http.put(
                        "/api/v2/auth/password",
                        here,
                        "{\"current_password\":\"not it at all\",\"new_password\":\"a brand new passphrase\"}");
        assertEquals(403, wrong.status());
        assertEquals(
                400,
                http.put(
                                "/api/v2/auth/password",
                                here,
                                "{\"current_password\":\""
                                        + PASSWORD
                                        + "\",\"new_password\":\"short\"}")
                        .status());
        Http.Response ok =
                http.put(
                        "/api/v2/auth/password",
                        here,
                        "{\"current_password\":\""
                                + PASSWORD
                                + "\",\"new_password\":\"a brand new passphrase\"}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1, ok.json().get("other_sessions_ended").asInt());
        assertEquals(401, http.get("/api/v2/biometric/devices", elsewhere).status());
        assertEquals(200, http.get("/api/v2/biometric/devices", here).status());
        assertEquals(401, signIn("change@example.org", PASSWORD).status());
        assertEquals(200, signIn("change@example.org", "a brand new passphrase").status());
    }

    @Test
    @Order(5)
    void oneAddressGuessingAcrossManyAccountsIsThrottledToo() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            statuses.add(signIn("spray-" + i + "@example.org", "wrong password").status());
        }
        assertTrue(statuses.contains(429), statuses.toString());
        assertEquals(401, statuses.get(0));
    }
}
