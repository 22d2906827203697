package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Therapeutic content over real HTTP on a real PostgreSQL: generation, safety, the library, rating,
 * feedback, sessions.
 */
class ContentITCase {
    static ApiFixture api;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_content_test", 4L * 1024 * 1024);
        http = api.http;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static void sql(String s) throws Exception {
        try (Connection c = DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                Statement st = c.createStatement()) {
            st.execute(s);
        }
    }

    @Test
    void eachTypeIsGeneratedPersonalisedAndTheLengthAsked() throws Exception {
        String token = api.registerAndLogin("content-gen@example.org");
        int user = ApiFixture.userId(token);
        // two evening stress episodes with a raised heart rate in the last days
        sql(
                "INSERT INTO health_predictions (user_id, prediction_type, predicted_value, confidence, timeframe, prediction_time, target_time, "
                        + "trigger_factors) SELECT "
                        + user
                        + ", 'stress_episode', 70, 0.8, '15min', d, d + interval '15 minutes', "
                        + "ARRAY['heart_rate_elevated'] FROM (VALUES (date_trunc('day', now()) - interval '1 day' + interval '20 hours'), "
                        + "(date_trunc('day', now()) - interval '2 days' + interval '19 hours')) v(d)");
        for (String[] t :
                new String[][] {{"meditation", "12"}, {"worksheet", "20"}, {"story", "6"}}) {
            Http.Response r =
                    http.post(
                            "/api/v2/content/generate/" + t[0],
                            token,
                            "{\"focus\":\"calm after work\",\"goals\":[\"feel calmer\"],"
                                    + "\"duration_minutes\":"
                                    + t[1]
                                    + ",\"difficulty\":\"beginner\"}");
            assertEquals(201, r.status(), r.body());
            JsonNode c = r.json();
            assertEquals(t[0], c.path("content_type").asText());
            double asked = Integer.parseInt(t[1]) * 60.0;
            assertTrue(
                    Math.abs(c.path("estimated_duration").asInt() - asked) <= 0.15 * asked,
                    c.path("estimated_duration") + " for " + asked);
            assertTrue(
                    c.path("personalizations").toString().contains("2 stress episodes"),
                    c.path("personalizations").toString());
            assertTrue(c.path("content").asText().contains("evening"), c.path("content").asText());
            assertFalse(c.path("content").asText().contains("{{"));
            assertTrue(c.path("therapeutic_goals").toString().contains("feel calmer"));
        }
    }

    @Test
    void someoneInCrisisIsGivenHelpNotAnExercise() throws Exception {
        String token = api.registerAndLogin("content-crisis@example.org");
        Http.Response r =
                http.post(
                        "/api/v2/content/generate/meditation",
                        token,
                        "{\"focus\":\"I want to end my life\"}");
        assertEquals(409, r.status(), r.body());
        assertEquals("crisis_support", r.code());
        assertTrue(r.body().contains("resources"), r.body());
        String critical = api.registerAndLogin("content-critical@example.org");
        sql(
                "INSERT INTO mental_health_assessments (user_id, assessment_type, risk_level, overall_risk_score, confidence, timeframe, "
                        + "model_version) VALUES ("
                        + ApiFixture.userId(critical)
                        + ", 'comprehensive', 'critical', 90, 0.8, 'current', 'risk-rule-1')");
        assertEquals(409, http.post("/api/v2/content/generate/story", critical, "{}").status());
    }

    @Test
    void badInputIsNamed() {
        String token = api.registerAndLogin("content-bad@example.org");
        Http.Response diff =
                http.post(
                        "/api/v2/content/generate/meditation",
                        token,
                        "{\"difficulty\":\"expert\"}");
        assertEquals(400, diff.status());
        assertTrue(
                diff.body().contains("beginner") && diff.body().contains("advanced"), diff.body());
        assertTrue(
                http.post("/api/v2/content/generate/story", token, "{\"duration_minutes\":45}")
                        .body()
                        .contains("duration_minutes"));
        assertEquals(404, http.post("/api/v2/content/generate/poem", token, "{}").status());
        Http.Response type = http.get("/api/v2/content/library?type=poem", token);
        assertEquals(400, type.status());
        assertTrue(type.body().contains("meditation, worksheet, story"), type.body());
        assertEquals(
                400,
                http.post("/api/v2/content/generate/worksheet", token, "{\"goals\":[\"\"]}")
                        .status());
    }

    @Test
    void ratingFeedbackSessionsAndTheLibraryRankedByWhatWorked() throws Exception {
        String token = api.registerAndLogin("content-use@example.org");
        String other = api.registerAndLogin("content-other@example.org");
        long mine =
                http.post("/api/v2/content/generate/story", token, "{\"duration_minutes\":3}")
                        .json()
                        .path("id")
                        .asLong();
        assertEquals(
                404,
                http.get("/api/v2/content/" + mine, other).status(),
                "another's private content");
        assertEquals(
                404,
                http.send("PUT", "/api/v2/content/" + mine + "/rating", other, "{\"rating\":5}")
                        .status());

        Http.Response bad =
                http.send("PUT", "/api/v2/content/" + mine + "/rating", token, "{\"rating\":6}");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("rating"), bad.body());
        Http.Response started = http.post("/api/v2/content/" + mine + "/sessions", token, null);
        assertEquals(201, started.status(), started.body());
        long usage = started.json().path("usage_id").asLong();
        assertEquals(
                404, http.send("PUT", "/api/v2/content/sessions/" + usage, other, "{}").status());
        Http.Response done =
                http.send(
                        "PUT",
                        "/api/v2/content/sessions/" + usage,
                        token,
                        "{\"completion_rate\":0.9}");
        assertEquals(200, done.status(), done.body());
        assertEquals(0.9, done.json().path("completion_rate").asDouble(), 1e-9);
        assertEquals(
                409, http.send("PUT", "/api/v2/content/sessions/" + usage, token, "{}").status());
        assertEquals(
                5,
                http.send("PUT", "/api/v2/content/" + mine + "/rating", token, "{\"rating\":5}")
                        .json()
                        .path("user_rating")
                        .asInt());
        JsonNode fb =
                http.post(
                                "/api/v2/content/" + mine + "/feedback",
                                token,
                                "{\"mood_before\":3,\"mood_after\":6,\"comment\":\"helped\"}")
                        .json();
        assertEquals("6", fb.path("mood_after").asText());
        assertEquals(
                400,
                http.post("/api/v2/content/" + mine + "/feedback", token, "{\"mood_after\":11}")
                        .status());

        // the shared library: one piece that measurably worked, one that did not
        sql(
                "INSERT INTO therapeutic_content (user_id, content_type, title, content, target_conditions, therapeutic_goals, estimated_duration) "
                        + "VALUES (NULL, 'meditation', 'Shared: worked', 'x', ARRAY['stress'], ARRAY['feel calmer'], 600), "
                        + "(NULL, 'meditation', 'Shared: did not', 'x', ARRAY['stress'], ARRAY['feel calmer'], 600)");
        sql(
                "INSERT INTO content_usage_tracking (user_id, content_id, effectiveness) SELECT u.id, c.id, CASE WHEN c.title LIKE '%worked' "
                        + "THEN 0.9 ELSE 0.2 END FROM users u, therapeutic_content c WHERE u.email = 'content-other@example.org' AND c.user_id IS NULL");
        JsonNode lib =
                http.get("/api/v2/content/library?type=meditation&condition=stress", token)
                        .json()
                        .path("content");
        assertEquals("Shared: worked", lib.get(0).path("title").asText(), lib.toString());
        assertEquals("Shared: did not", lib.get(lib.size() - 1).path("title").asText());
        JsonNode all = http.get("/api/v2/content/library", other).json().path("content");
        assertFalse(
                all.toString().contains("\"id\":" + mine + ","),
                "someone else's private content is not in the library");
        assertEquals(
                200,
                http.get("/api/v2/content/" + lib.get(0).path("id").asLong(), other).status(),
                "shared content is for everyone");
    }
}
