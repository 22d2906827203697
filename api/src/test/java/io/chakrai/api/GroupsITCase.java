package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.groups.GroupService;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Therapy groups over real HTTP and WebSocket, on a real PostgreSQL and Kafka. */
class GroupsITCase {
    static ApiFixture api;
    static Http http;
    static String facilitator;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_groups_test", 4L * 1024 * 1024);
        http = api.http;
        facilitator =
                RouteTableITCase.withRoleOn(api, "facilitator-groups@example.org", "facilitator");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static int counter;

    /** A new person who consented to groups. */
    static String person(String name) {
        String token =
                api.registerAndLogin(
                        name + "-" + (++counter) + "-" + System.nanoTime() + "@example.org");
        assertEquals(
                200,
                http.put("/api/v2/me/consents", token, "{\"kind\":\"groups\",\"granted\":true}")
                        .status());
        return token;
    }

    static JsonNode findMatch(String token, String type, String goal) {
        Http.Response r =
                http.post(
                        "/api/v2/therapy/groups/find-match",
                        token,
                        "{\"session_type\":\""
                                + type
                                + "\",\"therapeutic_goals\":[\""
                                + goal
                                + "\"]}");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /**
     * A group the person is in: the one find-match offers (joined), or the new one it forms for
     * them.
     */
    static int ownGroup(String token, String type, String goal) {
        return Integer.parseInt(placed(token, type, goal)[0]);
    }

    /**
     * The group id and the person's pseudonym in it, placed by find-match (joining what it offers).
     */
    static String[] placed(String token, String type, String goal) {
        JsonNode m = findMatch(token, type, goal);
        int id = m.path("group").path("id").asInt();
        if (m.path("joined").asBoolean()) {
            return new String[] {Integer.toString(id), m.path("anonymous_id").asText()};
        }
        Http.Response j = http.post("/api/v2/therapy/groups/" + id + "/join", token, "{}");
        assertEquals(201, j.status(), j.body());
        return new String[] {Integer.toString(id), j.json().path("anonymous_id").asText()};
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
    }

    static long count(String sql) throws Exception {
        try (Connection c = db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The answers' shapes as the OpenAPI description declares them (GroupList's Membership flat,
     * GroupMood's members for staff only, a message's {@code removed} and {@code crisis_support}
     * only when they apply).
     */
    @Test
    void listsMessagesAndMoodAnswerInTheirDeclaredShapes() {
        String fay = person("fay");
        String[] seat = placed(fay, "grief_support", "living with the loss of my father");
        int group = Integer.parseInt(seat[0]);
        JsonNode list = http.get("/api/v2/therapy/groups?limit=5", fay).json();
        JsonNode mine = list.path("groups").get(0);
        assertEquals(group, mine.path("id").asInt(), list.toString());
        assertEquals("grief_support", mine.path("session_type").asText());
        assertEquals(seat[1], mine.path("anonymous_id").asText(), "flat beside the group's fields");
        assertEquals("active", mine.path("participation_style").asText());
        assertTrue(mine.path("joined_at").isTextual());
        assertFalse(mine.has("group"), "not nested");
        assertTrue(list.path("open_groups").isArray());

        String path = "/api/v2/therapy/groups/" + group;
        Http.Response posted =
                http.post(path + "/messages", fay, "{\"content\":\"hello all, first time here\"}");
        assertEquals(201, posted.status(), posted.body());
        assertEquals(group, posted.json().path("group_id").asInt());
        assertEquals("visible", posted.json().path("status").asText());
        assertFalse(posted.json().has("crisis_support"), "only on a held message");
        assertFalse(posted.json().has("removed"), "only once the author is erased");
        assertFalse(posted.json().has("message"), "unwrapped");

        JsonNode page = http.get(path + "/messages?limit=1", fay).json();
        assertEquals(1, page.path("messages").size());
        assertTrue(page.has("next_cursor"));
        assertFalse(page.path("messages").get(0).has("removed"));

        JsonNode own = http.get(path + "/sentiment", fay).json();
        assertEquals(group, own.path("group_id").asInt());
        assertTrue(own.path("windows").isArray());
        assertTrue(own.path("trend").has("direction"), own.toString());
        assertTrue(own.path("trend").has("slope_per_window"));
        assertTrue(own.path("engagement").path("members").asInt() >= 1, own.toString());
        assertTrue(own.path("engagement").has("writers_last_hour"));
        assertFalse(own.has("members"), "a member sees no one's part");
        JsonNode staff = http.get(path + "/sentiment", facilitator).json();
        JsonNode part = staff.path("members").get(0);
        assertNotNull(part, staff.toString());
        assertTrue(part.has("anonymous_id") && part.has("engagement_level"), part.toString());
        assertTrue(part.has("mean_sentiment") && part.has("last_message_at"));

        Http.Response left = http.put(path + "/leave", fay, "{}");
        assertEquals(200, left.status(), left.body());
        assertTrue(left.json().path("left").asBoolean());
        assertEquals(group, left.json().path("group_id").asInt());
    }

    @Test
    void matchingFormsAGroupThenOffersItToSomeoneAlikeWithAnExplainedScore() {
        String ann = person("ann");
        JsonNode first =
                findMatch(ann, "sleep_improvement", "fall asleep without racing thoughts at night");
        assertTrue(first.path("joined").asBoolean(), first.toString());
        assertEquals("forming", first.path("group").path("status").asText());
        assertFalse(first.path("anonymous_id").asText().isBlank());
        int group = first.path("group").path("id").asInt();

        String ben = person("ben");
        JsonNode offer =
                findMatch(ben, "sleep_improvement", "sleep better, my mind races when I lie down");
        assertEquals(group, offer.path("group").path("id").asInt(), offer.toString());
        assertFalse(offer.path("joined").asBoolean());
        assertTrue(offer.path("compatibility_score").asDouble() >= 0.6, offer.toString());
        for (String part : List.of("goal_similarity", "session_type", "current_state")) {
            assertTrue(offer.path("explanation").path(part).has("value"), part + " in " + offer);
        }
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", ben, "{}").status());
        assertEquals(
                200,
                http.post("/api/v2/therapy/groups/" + group + "/join", ben, "{}").status(),
                "a second join is a no-op");
        String cy = person("cy");
        assertEquals(
                201,
                http.post(
                                "/api/v2/therapy/groups/" + group + "/join",
                                cy,
                                "{\"participation_style\":\"listener\"}")
                        .status());
        JsonNode mine = http.get("/api/v2/therapy/groups", cy).json();
        assertEquals(
                "active",
                mine.path("groups").get(0).path("status").asText(),
                "three members make a group active");
        assertEquals(3, mine.path("groups").get(0).path("current_participants").asInt());
    }

    @Test
    void twoHundredConcurrentJoinsFillSixSeatsExactly() throws Exception {
        String founder = person("founder");
        int group = ownGroup(founder, "grief_support", "concurrency test " + System.nanoTime());
        List<String> people = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            people.add(person("joiner"));
        }
        long before = count("SELECT current_participants FROM therapy_groups WHERE id = " + group);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (String p : people) {
            answers.add(
                    pool.submit(
                            () -> {
                                go.await();
                                return http.post(
                                        "/api/v2/therapy/groups/" + group + "/join", p, "{}");
                            }));
        }
        go.countDown();
        int joined = 0;
        int full = 0;
        for (Future<Http.Response> f : answers) {
            Http.Response r = f.get(120, TimeUnit.SECONDS);
            if (r.status() == 201) {
                joined++;
            } else {
                assertEquals(409, r.status(), r.body());
                assertEquals("group_full", r.code());
                full++;
            }
        }
        pool.shutdown();
        assertEquals(6 - before, joined, "the seats left when the stampede began");
        assertEquals(200 - (6 - before), full);
        assertEquals(
                6, count("SELECT current_participants FROM therapy_groups WHERE id = " + group));
        assertEquals(
                6,
                count(
                        "SELECT count(*) FROM group_participants WHERE left_at IS NULL AND group_id = "
                                + group));
    }

    @Test
    void pseudonymsAreStableInAGroupDifferentAcrossGroupsAndOutliveLeaving() throws Exception {
        String dee = person("dee");
        String[] g1 = placed(dee, "stress_management", "unique stress goal " + System.nanoTime());
        String[] g2 = placed(dee, "anxiety_support", "unique anxiety goal " + System.nanoTime());
        int id1 = Integer.parseInt(g1[0]);
        String name1 = g1[1];
        assertNotEquals(g1[0], g2[0]);
        assertFalse(name1.isBlank());
        assertNotEquals(name1, g2[1], "a different pseudonym in every group");

        String eve = person("eve");
        assertEquals(201, http.post("/api/v2/therapy/groups/" + id1 + "/join", eve, "{}").status());
        Http.Response written =
                http.post(
                        "/api/v2/therapy/groups/" + id1 + "/messages",
                        dee,
                        "{\"content\":\"Hi everyone, glad to be here\"}");
        assertEquals(201, written.status(), written.body());
        assertEquals(name1, written.json().path("anonymous_id").asText());
        assertTrue(written.json().path("sentiment").asDouble() > 0);
        int intensity = written.json().path("emotional_intensity").asInt();
        assertTrue(intensity >= 1 && intensity <= 10);
        assertFalse(
                written.body().contains("user_id") || written.body().contains("@example.org"),
                written.body());

        assertEquals(200, http.put("/api/v2/therapy/groups/" + id1 + "/leave", dee, null).status());
        assertEquals(
                404,
                http.get("/api/v2/therapy/groups/" + id1 + "/messages", dee).status(),
                "former members read nothing");
        JsonNode seenByEve = http.get("/api/v2/therapy/groups/" + id1 + "/messages", eve).json();
        assertEquals(
                name1,
                seenByEve.path("messages").get(0).path("anonymous_id").asText(),
                "their messages stay theirs");
        Http.Response back = http.post("/api/v2/therapy/groups/" + id1 + "/join", dee, "{}");
        assertEquals(201, back.status(), back.body());
        assertEquals(
                name1,
                back.json().path("anonymous_id").asText(),
                "rejoining gives the same pseudonym back");
    }

    /**
     * A membership ended where this instance did not see it (on another instance, or by hand in the
     * database) stops the next message at once, though this instance remembered the author; joining
     * again lets them write again.
     */
    @Test
    void aMembershipEndedBehindThisInstancesBackStopsTheNextMessage() throws Exception {
        String hal = person("hal");
        int group = ownGroup(hal, "stress_management", "left elsewhere " + System.nanoTime());
        String ivy = person("ivy");
        Http.Response joined = http.post("/api/v2/therapy/groups/" + group + "/join", ivy, "{}");
        assertEquals(201, joined.status(), joined.body());
        String name = joined.json().path("anonymous_id").asText();
        String messages = "/api/v2/therapy/groups/" + group + "/messages";
        assertEquals(201, http.post(messages, ivy, "{\"content\":\"first\"}").status());
        try (Connection c = db();
                Statement s = c.createStatement()) {
            assertEquals(
                    1,
                    s.executeUpdate(
                            "UPDATE group_participants SET left_at = now() WHERE group_id = "
                                    + group
                                    + " AND anonymous_id = '"
                                    + name
                                    + "'"));
        }
        Http.Response after = http.post(messages, ivy, "{\"content\":\"second\"}");
        assertEquals(404, after.status(), after.body());
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM group_messages m JOIN group_participants p ON p.id ="
                                + " m.participant_id WHERE m.group_id = "
                                + group
                                + " AND p.anonymous_id = '"
                                + name
                                + "'"),
                "nothing stored for a former member");
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", ivy, "{}").status());
        Http.Response back = http.post(messages, ivy, "{\"content\":\"back again\"}");
        assertEquals(201, back.status(), back.body());
    }

    @Test
    void messagesAreForMembersOnlyNewestFirstInCursorPages() {
        String fay = person("fay");
        int group = ownGroup(fay, "mindfulness_practice", "paging test " + System.nanoTime());
        String gus = person("gus");
        assertEquals(404, http.get("/api/v2/therapy/groups/" + group + "/messages", gus).status());
        Http.Response outsider =
                http.post(
                        "/api/v2/therapy/groups/" + group + "/messages",
                        gus,
                        "{\"content\":\"hello\"}");
        assertEquals(404, outsider.status());
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", gus, "{}").status());
        String[] writers = {fay, gus};
        for (int i = 0; i < 5; i++) {
            for (int w = 0; w < 2; w++) {
                Http.Response r =
                        http.post(
                                "/api/v2/therapy/groups/" + group + "/messages",
                                writers[w],
                                "{\"content\":\"note " + i + "-" + w + "\"}");
                assertEquals(201, r.status(), r.body());
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page =
                    http.get(
                            "/api/v2/therapy/groups/"
                                    + group
                                    + "/messages?limit=4"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            fay);
            assertEquals(200, page.status(), page.body());
            page.json().path("messages").forEach(m -> seen.add(m.path("content").asText()));
            cursor =
                    page.json().path("next_cursor").isNull()
                            ? null
                            : page.json().path("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(10, seen.size());
        assertEquals("note 4-1", seen.get(0), "newest first");
        assertEquals("note 0-0", seen.get(9));
        assertEquals(10, new HashSet<>(seen).size(), "no message twice across pages");
        assertEquals(
                400,
                http.get(
                                "/api/v2/therapy/groups/"
                                        + group
                                        + "/messages?cursor=bm90LWEtY3Vyc29y",
                                fay)
                        .status());
    }

    @Test
    void badInputIsNamed() {
        String hal = person("hal");
        Http.Response type =
                http.post(
                        "/api/v2/therapy/groups/find-match",
                        hal,
                        "{\"session_type\":\"karaoke\",\"therapeutic_goals\":[\"x\"]}");
        assertEquals(400, type.status());
        assertTrue(
                type.body().contains("anxiety_support") && type.body().contains("grief_support"),
                type.body());
        assertEquals(
                400,
                http.post(
                                "/api/v2/therapy/groups/find-match",
                                hal,
                                "{\"session_type\":\"grief_support\"}")
                        .status());
        assertEquals(
                400,
                http.post(
                                "/api/v2/therapy/groups/find-match",
                                hal,
                                "{\"session_type\":\"grief_support\",\"therapeutic_goals\":[\"\"]}")
                        .status());
        int group = ownGroup(hal, "general_support", "bad input test " + System.nanoTime());
        String path = "/api/v2/therapy/groups/" + group + "/messages";
        assertEquals("invalid_message", http.post(path, hal, "{\"content\":\"   \"}").code());
        assertEquals(
                "invalid_message",
                http.post(path, hal, "{\"content\":\"" + "a".repeat(2_001) + "\"}").code());
        assertEquals(
                "invalid_message",
                http.post(path, hal, "{\"content\":\"hi\",\"message_type\":\"gif\"}").code());
        assertEquals(
                "invalid_message",
                http.post(
                                path,
                                hal,
                                "{\"content\":\""
                                        // 33 characters (an emoji is one, as JSON Schema counts)
                                        + "👍".repeat(GroupService.MAX_REACTION + 1)
                                        + "\",\"message_type\":\"reaction\"}")
                        .code());
        // the declared schema is the only one: the old alias "message" is named, not read
        Http.Response alias = http.post(path, hal, "{\"message\":\"hi\"}");
        assertEquals("invalid_message", alias.code(), alias.body());
        assertEquals(
                List.of("content: is required", "message: is not a field here"),
                java.util.stream.StreamSupport.stream(
                                alias.json().at("/error/details").spliterator(), false)
                        .map(
                                d ->
                                        d.path("field").asText()
                                                + ": "
                                                + d.path("reason").asText().split(";")[0])
                        .toList(),
                alias.body());
        assertEquals(
                201,
                http.post(path, hal, "{\"content\":\"👍\",\"message_type\":\"reaction\"}")
                        .status());
        assertEquals(404, http.post("/api/v2/therapy/groups/999999/join", hal, "{}").status());
        assertEquals(400, http.post(path, hal, "{\"content\":\"a\u0000b\"}").status());
        Http.Response noConsent =
                http.post(
                        "/api/v2/therapy/groups/find-match",
                        api.registerAndLogin("nc-" + System.nanoTime() + "@example.org"),
                        "{\"session_type\":\"grief_support\",\"therapeutic_goals\":[\"x\"]}");
        assertEquals(403, noConsent.status());
        assertEquals("consent_required", noConsent.code());
    }

    @Test
    void floodControlAnswers429WithRetryAfter() {
        String ida = person("ida");
        int group = ownGroup(ida, "general_support", "flood test " + System.nanoTime());
        // 5 at once, then one every 2 s: however slow the machine, 15 in a row cannot all pass
        List<Integer> statuses = new ArrayList<>();
        Http.Response last = null;
        for (int i = 0; i < 15 && (last == null || last.status() != 429); i++) {
            last =
                    http.post(
                            "/api/v2/therapy/groups/" + group + "/messages",
                            ida,
                            "{\"content\":\"spam " + i + "\"}");
            statuses.add(last.status());
        }
        assertEquals(List.of(201, 201, 201, 201, 201), statuses.subList(0, 5), statuses.toString());
        assertEquals(429, last.status(), statuses.toString());
        assertTrue(last.body().contains("wait"), last.body());
    }

    /**
     * A new group gets the least-loaded facilitator, and another may take charge too; an escalation
     * goes to the facilitators of its group only; nobody acknowledging it within the
     * acknowledgement time (3 s here) raises it to another facilitator and the clinicians, and
     * sends its author help again; once acknowledged, it is raised no more.
     */
    @Test
    void anEscalationGoesToItsGroupsFacilitatorAndIsRaisedWhenNobodyAnswers() throws Exception {
        long n = System.nanoTime();
        String ana = person("ana");
        // a new group is put in the charge of the least-loaded facilitator: here the class's only
        // one
        int group = ownGroup(ana, "general_support", "routing test " + n);
        assertTrue(
                http.get("/api/v2/facilitator/groups", facilitator)
                        .body()
                        .contains("\"group_id\":" + group + ","));
        String first =
                RouteTableITCase.withRoleOn(api, "fac-a-" + n + "@example.org", "facilitator");
        String second =
                RouteTableITCase.withRoleOn(api, "fac-b-" + n + "@example.org", "facilitator");
        String doctor = RouteTableITCase.withRoleOn(api, "dr-" + n + "@example.org", "clinician");
        // a facilitator takes charge of it too; the other one is not in charge
        assertTrue(
                http.put("/api/v2/facilitator/groups/" + group, first, null)
                        .body()
                        .contains("\"group_id\":" + group + ","));
        assertFalse(
                http.get("/api/v2/facilitator/groups", second)
                        .body()
                        .contains("\"group_id\":" + group + ","));
        assertEquals(
                404,
                http.put("/api/v2/facilitator/groups/" + Integer.MAX_VALUE, first, null).status());
        String inCharge = first;
        String other = second;
        try (Socket author = Socket.open(api, ana);
                Socket charge = Socket.open(api, inCharge);
                Socket spare = Socket.open(api, other);
                Socket dr = Socket.open(api, doctor)) {
            Http.Response held =
                    http.post(
                            "/api/v2/therapy/groups/" + group + "/messages",
                            ana,
                            "{\"content\":\"I'm going to kill myself tonight\"}");
            assertEquals("held", held.json().path("status").asText(), held.body());
            long id =
                    charge.await(
                                    e ->
                                            "crisis_alert".equals(e.path("type").asText())
                                                    && e.path("groupId").asInt() == group)
                            .path("escalationId")
                            .asLong();
            java.util.function.Predicate<JsonNode> first0 =
                    e ->
                            "crisis_alert".equals(e.path("type").asText())
                                    && e.path("escalationId").asLong() == id
                                    && !e.has("raises");
            assertTrue(
                    spare.none(first0, Duration.ofMillis(300))
                            && dr.none(first0, Duration.ofMillis(100)),
                    "only the group's facilitators are alerted");
            assertEquals(200, http.get("/api/v2/facilitator/escalations/" + id, inCharge).status());
            assertEquals(404, http.get("/api/v2/facilitator/escalations/" + id, other).status());
            assertEquals(404, http.get("/api/v2/facilitator/escalations/" + id, doctor).status());
            assertFalse(
                    http.get("/api/v2/facilitator/escalations", other)
                            .body()
                            .contains("\"id\":" + id + ","));

            // nobody acknowledges it: raised to another facilitator and the clinicians; its author
            // is given help again
            java.util.function.Predicate<JsonNode> raised =
                    e ->
                            "crisis_alert".equals(e.path("type").asText())
                                    && e.path("escalationId").asLong() == id
                                    && e.path("raises").asInt() == 1;
            assertEquals(1, dr.await(raised).path("raises").asInt());
            JsonNode again =
                    author.await(
                            e ->
                                    "crisis_support".equals(e.path("type").asText())
                                            && e.path("reminder").asBoolean());
            assertEquals(held.json().path("id").asLong(), again.path("messageId").asLong());
            // the one facilitator not in charge of the group
            spare.await(raised);
            String raisedTo = other;
            JsonNode e = http.get("/api/v2/facilitator/escalations/" + id, raisedTo).json();
            assertEquals(1, e.path("raises").asInt(), e.toString());
            assertEquals(200, http.get("/api/v2/facilitator/escalations/" + id, doctor).status());

            // acknowledged: raised no more
            assertEquals(
                    200,
                    http.put(
                                    "/api/v2/facilitator/escalations/" + id,
                                    raisedTo,
                                    "{\"status\":\"acknowledged\"}")
                            .status());
            assertTrue(
                    dr.none(
                            x ->
                                    "crisis_alert".equals(x.path("type").asText())
                                            && x.path("escalationId").asLong() == id
                                            && x.path("raises").asInt() == 2,
                            Duration.ofSeconds(6)),
                    "an acknowledged escalation is not raised again");
        }
    }

    @Test
    void crisisLanguageIsHeldTheAuthorGetsHelpAndAFacilitatorIsPulledIn() throws Exception {
        String jo = person("jo");
        int group = ownGroup(jo, "depression_support", "crisis test " + System.nanoTime());
        String kit = person("kit");
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", kit, "{}").status());
        try (Socket author = Socket.open(api, jo);
                Socket peer = Socket.open(api, kit);
                Socket staff = Socket.open(api, facilitator)) {
            Http.Response r =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create(
                                                    http.base()
                                                            + "/api/v2/therapy/groups/"
                                                            + group
                                                            + "/messages"))
                                    .header("Authorization", "Bearer " + jo)
                                    .header("Accept-Language", "en-GB,en;q=0.8")
                                    .POST(
                                            java.net.http.HttpRequest.BodyPublishers.ofString(
                                                    "{\"content\":\"I can't do this anymore, I'm going to kill myself tonight\"}"))
                                    .build());
            assertEquals(201, r.status(), r.body());
            assertEquals("held", r.json().path("status").asText());
            assertTrue(
                    r.json().path("crisis_support").toString().contains("116 123"),
                    "Samaritans for en-GB: " + r.body());
            JsonNode support = author.await(e -> "crisis_support".equals(e.path("type").asText()));
            assertEquals(r.json().path("id").asLong(), support.path("messageId").asLong());
            JsonNode alert = staff.await(e -> "crisis_alert".equals(e.path("type").asText()));
            assertEquals("critical", alert.path("severity").asText());
            assertEquals(group, alert.path("groupId").asInt());
            assertTrue(
                    peer.none(e -> e.toString().contains("kill myself"), Duration.ofSeconds(1)),
                    "the group never sees it");
        }
        JsonNode listed = http.get("/api/v2/therapy/groups/" + group + "/messages", kit).json();
        assertFalse(listed.toString().contains("kill myself"));

        JsonNode open =
                http.get("/api/v2/facilitator/escalations?status=open", facilitator)
                        .json()
                        .path("escalations");
        JsonNode mine = null;
        for (JsonNode e : open) {
            if (e.path("group_id").asInt() == group) {
                mine = e;
            }
        }
        assertNotNull(mine, open.toString());
        assertEquals("crisis_language", mine.path("kind").asText());
        assertTrue(mine.path("concepts").toString().contains("intent"), mine.toString());
        assertFalse(
                mine.toString().contains("@example.org") || mine.has("user_id"),
                "never an e-mail or user id: " + mine);
        assertTrue(mine.path("message").isNull(), "the text only when one escalation is opened");
        long id = mine.path("id").asLong();
        assertEquals(
                403,
                http.get("/api/v2/facilitator/escalations", kit).status(),
                "people are not facilitators");

        JsonNode one = http.get("/api/v2/facilitator/escalations/" + id, facilitator).json();
        assertTrue(one.path("message").asText().contains("kill myself"));
        assertTrue(
                http.get("/api/v2/me/audit", jo).body().contains("escalation " + id),
                "the read is in the author's trail");
        assertEquals(
                400,
                http.put(
                                "/api/v2/facilitator/escalations/" + id,
                                facilitator,
                                "{\"status\":\"bogus\"}")
                        .status());
        assertEquals(
                "acknowledged",
                http.put(
                                "/api/v2/facilitator/escalations/" + id,
                                facilitator,
                                "{\"status\":\"acknowledged\"}")
                        .json()
                        .path("status")
                        .asText());
        assertEquals(
                409,
                http.put(
                                "/api/v2/facilitator/escalations/" + id,
                                facilitator,
                                "{\"status\":\"acknowledged\"}")
                        .status());
        JsonNode resolved =
                http.put(
                                "/api/v2/facilitator/escalations/" + id,
                                facilitator,
                                "{\"status\":\"resolved\",\"note\":\"called, safe with family\"}")
                        .json();
        assertEquals("resolved", resolved.path("status").asText());
        assertNotNull(resolved.path("resolved_at").textValue());
        assertEquals(
                404, http.get("/api/v2/facilitator/escalations/99999999", facilitator).status());
    }

    @Test
    void someoneAtCriticalRiskIsNotPlacedButHelped() throws Exception {
        String lou = person("lou");
        int user =
                http.get("/api/v2/me/consents", lou).status() == 200 ? ApiFixture.userId(lou) : -1;
        try (Connection c = db();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO mental_health_assessments (user_id, assessment_type, risk_level, overall_risk_score, confidence, "
                            + "timeframe, model_version) VALUES ("
                            + user
                            + ", 'comprehensive', 'critical', 92, 0.8, 'current', 'risk-rule-1')");
        }
        JsonNode r = findMatch(lou, "depression_support", "anything");
        assertFalse(r.path("placed").asBoolean(), r.toString());
        assertNull(r.get("group"));
        assertTrue(r.path("crisis_support").path("resources").size() > 0);
        assertTrue(
                count(
                                "SELECT count(*) FROM crisis_escalations WHERE kind = 'critical_risk' AND user_id = "
                                        + user)
                        == 1);
        findMatch(lou, "depression_support", "anything");
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM crisis_escalations WHERE kind = 'critical_risk' AND user_id = "
                                + user),
                "one escalation a day, however often they ask");
    }

    @Test
    void theWebSocketEventIsStoredAndReachesEveryMemberAndTheSenderGetsTheId() throws Exception {
        String max = person("max");
        int group = ownGroup(max, "anxiety_support", "websocket test " + System.nanoTime());
        String ned = person("ned");
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", ned, "{}").status());
        String outsider = person("oz");
        try (Socket a = Socket.open(api, max);
                Socket b = Socket.open(api, ned);
                Socket c = Socket.open(api, outsider)) {
            a.send(
                    "{\"type\":\"group_message\",\"groupId\":"
                            + group
                            + ",\"message\":\"breathing helped today\",\"messageType\":\"text\","
                            + "\"request_id\":\"r1\"}");
            JsonNode ack = a.await(e -> "group_message_ack".equals(e.path("type").asText()));
            assertEquals("r1", ack.path("request_id").asText());
            long id = ack.path("messageId").asLong();
            JsonNode atB = b.await(e -> "group_message".equals(e.path("type").asText()));
            assertEquals(id, atB.path("messageId").asLong());
            assertEquals("breathing helped today", atB.path("message").asText());
            assertFalse(atB.toString().contains("user"), atB.toString());
            assertEquals(
                    id,
                    a.await(e -> "group_message".equals(e.path("type").asText()))
                            .path("messageId")
                            .asLong(),
                    "the sender's sockets get it too");
            assertTrue(
                    c.none(
                            e -> "group_message".equals(e.path("type").asText()),
                            Duration.ofMillis(500)),
                    "not a member");
            c.send(
                    "{\"type\":\"group_message\",\"groupId\":"
                            + group
                            + ",\"message\":\"let me in\"}");
            assertEquals(
                    404,
                    c.await(e -> "error".equals(e.path("type").asText()))
                            .path("error")
                            .path("status")
                            .asInt());
            a.send("{\"type\":\"group_message\",\"groupId\":\"seven\",\"message\":\"x\"}");
            assertEquals(
                    "invalid_event",
                    a.await(e -> "error".equals(e.path("type").asText()))
                            .path("error")
                            .path("code")
                            .asText());
            a.send("{\"type\":\"group_message\",\"groupId\":" + group + ",\"message\":\"\"}");
            assertEquals(
                    "invalid_message",
                    a.await(e -> "error".equals(e.path("type").asText()))
                            .path("error")
                            .path("code")
                            .asText());
        }
        assertEquals(
                1,
                http.get("/api/v2/therapy/groups/" + group + "/messages", ned)
                        .json()
                        .path("messages")
                        .size());
    }

    @Test
    void erasureFreesTheSeatAndKeepsThePseudonymOnTheThread() throws Exception {
        String pat = person("pat");
        int group = ownGroup(pat, "grief_support", "erasure test " + System.nanoTime());
        String quin = person("quin");
        assertEquals(
                201, http.post("/api/v2/therapy/groups/" + group + "/join", quin, "{}").status());
        assertEquals(
                201,
                http.post(
                                "/api/v2/therapy/groups/" + group + "/messages",
                                pat,
                                "{\"content\":\"thank you all\"}")
                        .status());
        assertEquals(
                200,
                http.send("DELETE", "/api/v2/me", pat, "{\"password\":\"correct horse battery\"}")
                        .status());
        assertEquals(
                1, count("SELECT current_participants FROM therapy_groups WHERE id = " + group));
        JsonNode thread =
                http.get("/api/v2/therapy/groups/" + group + "/messages", quin)
                        .json()
                        .path("messages");
        assertTrue(thread.get(0).path("removed").asBoolean(), thread.toString());
        assertTrue(thread.get(0).path("content").isNull());
    }
}
