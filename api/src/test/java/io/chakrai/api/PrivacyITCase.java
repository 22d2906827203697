package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A person takes everything stored about them, and erases it; nobody else's data is touched. */
@Timeout(120)
class PrivacyITCase {
    static ApiFixture api;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_privacy_test", 4L * 1024 * 1024);
        http = api.http;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A person with a device, readings stored, a prediction, an assessment and a group message. */
    static int person(String email, String token) throws Exception {
        int device =
                http.post(
                                "/api/v2/biometric/devices",
                                token,
                                "{\"device_type\":\"oura\",\"device_id\":\""
                                        + email
                                        + "\",\"data_types\":[\"heart_rate\"],\"auth_token\":\"vendor-secret\"}")
                        .json()
                        .get("id")
                        .asInt();
        int user =
                Integer.parseInt(
                        new String(
                                        java.util.Base64.getUrlDecoder()
                                                .decode(token.split("\\.")[1]),
                                        StandardCharsets.UTF_8)
                                .replaceAll(".*\"sub\":\"(\\d+)\".*", "$1"));
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        // a daily risk score, as the risk job writes it beside every assessment
        exec(
                "INSERT INTO risk_scores (user_id, assessed_day, model_version, role, score, features, created_at) VALUES ("
                        + user
                        + ", current_date - 1, 'risk-rule-1', 'champion', 12.5, '{\"phq9_prev\": 4}', current_date)");
        // readings as the ingestion job stores them
        for (int i = 0; i < 25; i++) {
            exec(
                    "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, quality, confidence, \"timestamp\") "
                            + "VALUES ("
                            + user
                            + ", "
                            + device
                            + ", 'heart_rate', "
                            + (60 + i)
                            + ", 'bpm', 1, 0.9, '"
                            + t.plusSeconds(i)
                            + "')");
        }
        exec(
                "INSERT INTO health_predictions (user_id, prediction_type, predicted_value, confidence, timeframe, prediction_time, "
                        + "target_time) VALUES ("
                        + user
                        + ", 'stress_episode', 70, 0.8, '15min', now(), now())");
        assertEquals(
                201,
                http.post("/api/v2/prediction/assess", token, "{\"phq9\":[1,1,0,0,0,0,0,0,0]}")
                        .status());
        exec(
                "INSERT INTO therapy_groups (group_key, session_type) VALUES ('g-"
                        + user
                        + "', 'anxiety_support') ON CONFLICT DO NOTHING");
        exec(
                "INSERT INTO group_participants (group_id, user_id, anonymous_id) SELECT id, "
                        + user
                        + ", 'Willow-"
                        + user
                        + "' FROM therapy_groups WHERE group_key = 'g-"
                        + user
                        + "'");
        exec(
                "INSERT INTO group_messages (group_id, participant_id, message_type, content) SELECT group_id, id, 'text', "
                        + "'my secret words "
                        + user
                        + "' FROM group_participants WHERE user_id = "
                        + user);
        return user;
    }

    @Test
    void aPersonExportsEverythingOfTheirsAndThenErasesItWhileOthersAreUntouched() throws Exception {
        String erin = api.registerAndLogin("erin@example.org");
        String otto = api.registerAndLogin("otto@example.org");
        int erinId = person("erin@example.org", erin);
        int ottoId = person("otto@example.org", otto);

        HttpResponse<byte[]> export =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(http.uri("/api/v2/me/export"))
                                        .header("Authorization", "Bearer " + erin)
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, export.statusCode());
        assertTrue(
                export.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("application/zip"));
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(export.body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(
                files.keySet()
                        .containsAll(
                                List.of(
                                        "manifest.json",
                                        "account.json",
                                        "devices.json",
                                        "predictions.json",
                                        "assessments.json",
                                        "group_messages_written.json",
                                        "sign_in_sessions.json",
                                        "readings.csv")),
                files.keySet().toString());
        JsonNode manifest = Json.MAPPER.readTree(files.get("manifest.json"));
        assertEquals(25, manifest.at("/rows/readings").asInt());
        List<String> csv = files.get("readings.csv").lines().toList();
        assertEquals(26, csv.size(), "a header and 25 readings");
        assertEquals(
                "timestamp,data_type,value,unit,quality,confidence,device_id,metadata", csv.get(0));
        assertEquals(
                "erin@example.org",
                Json.MAPPER.readTree(files.get("account.json")).get(0).get("email").asText());
        assertTrue(files.get("group_messages_written.json").contains("my secret words " + erinId));
        assertTrue(
                files.get("risk_scores.json").contains("phq9_prev"), files.get("risk_scores.json"));
        String everything = String.join("\n", files.values());
        assertFalse(
                everything.contains("otto@example.org")
                        || everything.contains("my secret words " + ottoId),
                "nothing of anyone else");
        assertFalse(
                everything.contains("vendor-secret") || everything.contains("$2a$"), "no secrets");

        // consent: opt-in, revocable, the latest choice counts; each choice and the export are in
        // the trail
        assertEquals(
                false,
                http.get("/api/v2/me/consents", erin)
                        .json()
                        .at("/consents/model_training/granted")
                        .asBoolean(),
                "never asked: not granted");
        assertEquals(
                200,
                http.put(
                                "/api/v2/me/consents",
                                erin,
                                "{\"kind\":\"model_training\",\"granted\":true}")
                        .status());
        assertEquals(
                200,
                http.put(
                                "/api/v2/me/consents",
                                erin,
                                "{\"kind\":\"model_training\",\"granted\":false}")
                        .status());
        assertEquals(
                false,
                http.get("/api/v2/me/consents", erin)
                        .json()
                        .at("/consents/model_training/granted")
                        .asBoolean());
        Http.Response badKind =
                http.put("/api/v2/me/consents", erin, "{\"kind\":\"marketing\",\"granted\":true}");
        assertEquals(400, badKind.status());
        assertTrue(badKind.message().contains("model_training"), badKind.body());
        JsonNode trail = http.get("/api/v2/me/audit", erin).json().get("audit");
        assertEquals(
                List.of("consent", "consent", "export"),
                List.of(
                        trail.get(0).get("action").asText(),
                        trail.get(1).get("action").asText(),
                        trail.get(2).get("action").asText()));
        assertEquals(
                0,
                http.get("/api/v2/me/audit", otto).json().get("audit").size(),
                "Otto's trail is his own");
        assertEquals(3, count("SELECT count(*) FROM audit_log WHERE user_id = " + erinId));

        Http.Response wrong =
                http.send("DELETE", "/api/v2/me", erin, "{\"password\":\"not my password\"}");
        assertEquals(403, wrong.status());
        assertEquals(
                1, count("SELECT count(*) FROM users WHERE id = " + erinId), "nothing was erased");

        Http.Response erased =
                http.send("DELETE", "/api/v2/me", erin, "{\"password\":\"correct horse battery\"}");
        assertEquals(200, erased.status(), erased.body());
        assertEquals(25, erased.json().at("/erased/biometric_readings").asInt());
        // every table with a user_id — a new one included the day it is added — is exported and
        // erased
        List<String> personal = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT c.table_name FROM information_schema.columns c JOIN pg_class k "
                                        + "ON k.relname = c.table_name WHERE c.column_name = 'user_id' AND c.table_schema = 'public' "
                                        + "AND NOT k.relispartition AND k.relkind IN ('r', 'p') AND c.table_name <> 'erased_users'")) {
            while (rs.next()) {
                personal.add(rs.getString(1));
            }
        }
        assertTrue(personal.contains("risk_scores") && personal.size() >= 15, personal.toString());
        assertTrue(
                io.chakrai.api.privacy.PrivacyRepository.exportedTables().containsAll(personal),
                "not in the export: "
                        + personal.stream()
                                .filter(
                                        t ->
                                                !io.chakrai.api.privacy.PrivacyRepository
                                                        .exportedTables()
                                                        .contains(t))
                                .toList());
        for (String table : personal) {
            assertEquals(
                    0,
                    count("SELECT count(*) FROM " + table + " WHERE user_id = " + erinId),
                    table);
        }
        assertEquals(0, count("SELECT count(*) FROM users WHERE id = " + erinId));
        assertEquals(
                0,
                count("SELECT count(*) FROM audit_log WHERE user_id = " + erinId),
                "the trail goes with them");
        assertEquals(0, count("SELECT count(*) FROM consents WHERE user_id = " + erinId));
        // the thread stays readable: the message keeps its place, its text gone, the pseudonym
        // unlinked
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM group_messages m JOIN group_participants p ON p.id = m.participant_id "
                                + "WHERE p.anonymous_id = 'Willow-"
                                + erinId
                                + "' AND p.user_id IS NULL AND m.content IS NULL AND m.removed_at IS NOT NULL"));
        assertEquals(
                401,
                http.get("/api/v2/biometric/devices", erin).status(),
                "signed out with the account");
        assertEquals(
                401,
                http.post(
                                "/api/v2/auth/token",
                                null,
                                "{\"email\":\"erin@example.org\",\"password\":\"correct horse battery\"}")
                        .status());

        // Otto: every row still there
        assertEquals(
                25, count("SELECT count(*) FROM biometric_readings WHERE user_id = " + ottoId));
        assertEquals(1, count("SELECT count(*) FROM health_predictions WHERE user_id = " + ottoId));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM group_messages m JOIN group_participants p ON p.id = m.participant_id "
                                + "WHERE p.user_id = "
                                + ottoId
                                + " AND m.content = 'my secret words "
                                + ottoId
                                + "'"));
        assertEquals(200, http.get("/api/v2/biometric/devices", otto).status());
    }

    @Test
    void aClinicianSeesOnlyPeopleWhoGrantedAccessAndEachLookIsInTheirTrail() throws Exception {
        String pat = api.registerAndLogin("pat@example.org");
        String quinn = api.registerAndLogin("quinn@example.org");
        api.registerAndLogin("dr-who@example.org");
        exec("UPDATE users SET role = 'clinician' WHERE email = 'dr-who@example.org'");
        String doctor =
                http.post(
                                "/api/v2/auth/token",
                                null,
                                "{\"email\":\"dr-who@example.org\",\"password\":\"correct horse battery\"}")
                        .json()
                        .get("access_token")
                        .asText();
        assertEquals(
                201,
                http.post("/api/v2/prediction/assess", pat, "{\"phq9\":[3,3,3,2,2,2,1,1,1]}")
                        .status());
        assertEquals(
                201,
                http.post("/api/v2/prediction/assess", quinn, "{\"phq9\":[3,3,3,3,3,3,3,3,0]}")
                        .status());
        int patId = (int) count("SELECT id FROM users WHERE email = 'pat@example.org'");
        int quinnId = (int) count("SELECT id FROM users WHERE email = 'quinn@example.org'");

        assertEquals(
                0,
                http.get("/api/v2/clinician/patients", doctor).json().get("patients").size(),
                "nobody granted access");
        assertEquals(
                200,
                http.put(
                                "/api/v2/me/consents",
                                pat,
                                "{\"kind\":\"clinician_access\",\"granted\":true}")
                        .status());
        JsonNode patients = http.get("/api/v2/clinician/patients", doctor).json().get("patients");
        assertEquals(1, patients.size(), patients.toString());
        assertEquals(patId, patients.get(0).get("user_id").asInt());
        assertFalse(patients.toString().contains("@"), "no e-mail addresses");
        assertEquals(
                200, http.get("/api/v2/clinician/patients/" + patId + "/risk", doctor).status());
        assertEquals(
                404,
                http.get("/api/v2/clinician/patients/" + quinnId + "/risk", doctor).status(),
                "Quinn never granted access");
        assertEquals(
                403,
                http.get("/api/v2/clinician/patients", pat).status(),
                "a person is no clinician");

        JsonNode trail = http.get("/api/v2/me/audit", pat).json().get("audit");
        assertTrue(trail.toString().contains("clinician:"), trail.toString());
        assertEquals(
                2,
                count(
                        "SELECT count(*) FROM audit_log WHERE user_id = "
                                + patId
                                + " AND actor LIKE 'clinician:%'"));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM audit_log WHERE user_id = "
                                + quinnId
                                + " AND actor LIKE 'clinician:%'"));
        // withdrawn: at once, the clinician no longer sees Pat
        assertEquals(
                200,
                http.put(
                                "/api/v2/me/consents",
                                pat,
                                "{\"kind\":\"clinician_access\",\"granted\":false}")
                        .status());
        assertEquals(
                404, http.get("/api/v2/clinician/patients/" + patId + "/risk", doctor).status());
    }
}
