package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What people say of their own stress, on the API with its PostgreSQL: an answer on an episode
 * (once, final, stored for its onset minute), a 0-10 check-in (once a minute), the list with how
 * often the detector agreed, and an erasure taking them all. The stress job's side is in the jobs
 * module (MinuteFunctionTest).
 */
class AnswersITCase {
    static ApiFixture api;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_answers_test", 1024 * 1024);
        http = api.http;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
    }

    /** A prediction the stress job wrote for {@code email}, made {@code hoursAgo} hours ago. */
    static long prediction(String email, String type, int hoursAgo) throws Exception {
        try (Connection c = db();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO health_predictions (user_id, "
                                        + "prediction_type, predicted_value, confidence, timeframe, prediction_time, target_time) SELECT id, ?, 70, 0.8, "
                                        + "?, date_trunc('minute', now()) - make_interval(hours => ?), date_trunc('minute', now()) - make_interval(hours => ?) "
                                        + "+ interval '15 minutes' FROM users WHERE email = ? RETURNING id")) {
            ps.setString(1, type);
            ps.setString(2, type.equals("stress_episode") ? "15min" : "24hours");
            ps.setInt(3, hoursAgo);
            ps.setInt(4, hoursAgo);
            ps.setString(5, email);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aPersonAnswersTheirEpisodesAndChecksInAndSeesHowOftenTheDetectorAgreed() throws Exception {
        String ann = api.registerAndLogin("ann-answers@example.org");
        String ben = api.registerAndLogin("ben-answers@example.org");
        long episode = prediction("ann-answers@example.org", "stress_episode", 2);
        long mood = prediction("ann-answers@example.org", "mood_decline", 3);
        String path = "/api/v2/biometric/predictions/" + episode + "/answer";

        // bad input is named; another person's episode does not exist for them
        Http.Response bad = http.post(path, ann, "{\"answer\":\"maybe\"}");
        assertEquals(400, bad.status());
        assertEquals("invalid_answer", bad.code());
        assertTrue(bad.body().contains("yes, no, not_sure"), bad.body());
        assertEquals("invalid_answer", http.post(path, ann, "{}").code());
        assertEquals(404, http.post(path, ben, "{\"answer\":\"no\"}").status());
        assertEquals(
                "not_an_episode",
                http.post(
                                "/api/v2/biometric/predictions/" + mood + "/answer",
                                ann,
                                "{\"answer\":\"yes\"}")
                        .code());
        assertEquals(
                404,
                http.post("/api/v2/biometric/predictions/abc/answer", ann, "{\"answer\":\"yes\"}")
                        .status());

        Http.Response yes = http.post(path, ann, "{\"answer\":\"yes\"}");
        assertEquals(201, yes.status(), yes.body());
        assertEquals("episode", yes.json().get("kind").asText());
        assertEquals(episode, yes.json().get("prediction_id").asLong());
        Instant predicted;
        try (Connection c = db();
                var s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT prediction_time FROM health_predictions WHERE id = "
                                        + episode)) {
            rs.next();
            predicted = rs.getTimestamp(1).toInstant();
        }
        assertEquals(
                predicted.minusSeconds(60),
                Instant.parse(yes.json().get("minute_start").asText()),
                "the answer speaks of the onset minute, the one before the prediction's stamp");
        Http.Response again = http.post(path, ann, "{\"answer\":\"no\"}");
        assertEquals(409, again.status());
        assertEquals("already_answered", again.code());

        // check-ins: 0-10, one a minute
        assertEquals(
                "invalid_check_in",
                http.post("/api/v2/biometric/check-ins", ann, "{\"stress_level\":11}").code());
        assertEquals(
                "invalid_check_in",
                http.post("/api/v2/biometric/check-ins", ann, "{\"stress_level\":\"high\"}")
                        .code());
        assertEquals(
                "invalid_check_in", http.post("/api/v2/biometric/check-ins", ann, "{}").code());
        Http.Response first = http.post("/api/v2/biometric/check-ins", ann, "{\"stress_level\":7}");
        assertEquals(201, first.status(), first.body());
        Http.Response second =
                http.post("/api/v2/biometric/check-ins", ann, "{\"stress_level\":7}");
        if (second.status() == 201) {
            // the two fell on either side of a minute's end: the next one shares the second's
            // minute
            assertNotEquals(
                    first.json().get("minute_start").asText(),
                    second.json().get("minute_start").asText());
            second = http.post("/api/v2/biometric/check-ins", ann, "{\"stress_level\":7}");
        }
        assertEquals(409, second.status(), second.body());
        assertEquals("already_checked_in", second.code());

        JsonNode mine = http.get("/api/v2/biometric/answers", ann).json();
        JsonNode summary = mine.get("summary");
        int checkIns = summary.get("check_ins").asInt();
        assertEquals(1, summary.get("episodes_answered").asInt());
        assertEquals(1, summary.get("yes").asInt());
        assertEquals(1 + checkIns, summary.get("labelled").asInt());
        // the episode answered yes agrees; a 7 in a minute no episode of hers covered does not
        assertEquals(1.0 / (1 + checkIns), summary.get("agreement").asDouble(), 1e-9);
        assertTrue(summary.get("personal_model").asBoolean());
        assertEquals(1 + checkIns, mine.get("answers").size());
        assertEquals(
                0,
                http.get("/api/v2/biometric/answers", ben).json().get("answers").size(),
                "nothing of Ann's for Ben");
        assertEquals("invalid_query", http.get("/api/v2/biometric/answers?limit=0", ann).code());

        // an erasure takes them (the stress job hears the deletes and drops her personal model)
        assertEquals(
                200,
                http.send("DELETE", "/api/v2/me", ann, "{\"password\":\"correct horse battery\"}")
                        .status());
        try (Connection c = db();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM stress_answers")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }
}
