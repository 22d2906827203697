package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.embedded.Ports;
import io.chakrai.lab.bench.IngestBenchmark;
import io.chakrai.lab.bench.ScriptedDay;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.launcher.sim.DeviceSimulator;
import io.chakrai.models.Topics;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole system as `./chakrai run` starts it, driven through the public API only. */
class EmbeddedStackITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path data;
    static EmbeddedStack stack;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(data);
        api = new ApiClient(stack.apiUrl());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static long rows(String where) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM biometric_readings WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int post(String token, byte[] body) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        stack.apiUrl()
                                                                + "/api/v2/biometric/readings"))
                                        .header("Authorization", "Bearer " + token)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    static HttpResponse<String> health() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthTellsTheTruthAboutEachJobAndGoes503NamingOneThatStopped() throws Exception {
        // every job RUNNING with a completed checkpoint and its consumer group read: up
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health().statusCode() == 200);
        JsonNode up = JSON.readTree(health().body());
        for (String job :
                new String[] {"chakrai-ingestion", "chakrai-analytics", "chakrai-group-dynamics"}) {
            assertEquals("up", up.at("/checks/job " + job).asText(), up.toString());
        }
        String metrics =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertTrue(
                metrics.contains("chakrai_pipeline_job_up{job=\"chakrai-ingestion\"} 1.0"),
                metrics);
        assertTrue(
                metrics.contains(
                        "chakrai_pipeline_consumer_lag_records{job=\"chakrai-analytics\"}"),
                metrics);
        assertTrue(metrics.contains("chakrai_dead_letters_records"), metrics);

        // storage stops: the ingestion job is gone
        stack.flink().miniCluster().cancelJob(stack.ingestionJob()).get();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health().statusCode() == 503);
        JsonNode down = JSON.readTree(health().body());
        assertEquals("down", down.get("status").asText());
        assertTrue(
                down.at("/checks/job chakrai-ingestion").asText().startsWith("down: CANCEL"),
                down.toString());
        assertEquals("up", down.at("/checks/job chakrai-analytics").asText(), down.toString());
        // the API's own readiness (what docker-compose waits on) does not depend on the jobs
        assertEquals(
                200,
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/health/api"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());

        // back from its last checkpoint: up again
        stack.restartIngestion();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health().statusCode() == 200);
    }

    @Test
    void aPersonErasedMidStreamLeavesNothingOfTheirsWhileOthersAreUntouched() throws Exception {
        long erasuresBefore = analyticsMetric("erasures");
        String gone = api.login("erase-me@e2e.test", "erase me, long password");
        String kept = api.login("keep-me@e2e.test", "keep me, long password");
        int goneDevice = api.device(gone, "fitbit", "ERASE-1", "[\"heart_rate\"]");
        int keptDevice = api.device(kept, "fitbit", "KEEP-1", "[\"heart_rate\"]");
        Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        java.util.concurrent.atomic.AtomicInteger keptAccepted =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop =
                new java.util.concurrent.atomic.AtomicBoolean();
        Thread client =
                new Thread(
                        () -> {
                            for (int batch = 0; !stop.get(); batch++) {
                                for (int who = 0; who < 2; who++) {
                                    StringBuilder b = new StringBuilder("[");
                                    for (int k = 0; k < 100; k++) {
                                        b.append(k == 0 ? "" : ",")
                                                .append("{\"device_id\":")
                                                .append(who == 0 ? goneDevice : keptDevice)
                                                .append(
                                                        ",\"data_type\":\"heart_rate\",\"value\":70,\"timestamp\":\"")
                                                .append(t0.plusMillis(batch * 100L + k))
                                                .append("\"}");
                                    }
                                    try {
                                        int status =
                                                api.call(
                                                                "POST",
                                                                "/api/v2/biometric/readings",
                                                                who == 0 ? gone : kept,
                                                                b.append("]").toString())
                                                        .status();
                                        if (who == 1 && status == 202) {
                                            keptAccepted.addAndGet(100);
                                        }
                                    } catch (Exception e) {
                                        return;
                                    }
                                }
                            }
                        },
                        "erasure-client");
        client.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    rows("device_id = " + goneDevice) > 500
                                            && rows("device_id = " + keptDevice) > 500);
            ApiClient.Reply erased =
                    api.call(
                            "DELETE",
                            "/api/v2/me",
                            gone,
                            "{\"password\":\"erase me, long password\"}");
            assertEquals(200, erased.status(), erased.body().toString());
            // the erased person's client is refused from now on; the other goes on a little
            await().atMost(Duration.ofSeconds(30)).until(() -> keptAccepted.get() > 2_000);
        } finally {
            stop.set(true);
            client.join(30_000);
        }
        // everything on the topic has been read by the ingestion job (a checkpoint holds its
        // offsets)
        long end = stack.kafka().endOffsets(Topics.READINGS);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                stack.kafka().committedOffsets("chakrai-ingestion", Topics.READINGS)
                                        >= end);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> rows("device_id = " + keptDevice) == keptAccepted.get());
        assertEquals(
                0,
                rows("device_id = " + goneDevice),
                "readings in flight when they were erased were not stored");
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT (SELECT count(*) FROM users WHERE email = 'erase-me@e2e.test') "
                                        + "+ (SELECT count(*) FROM biometric_devices WHERE id = "
                                        + goneDevice
                                        + ")")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
        assertEquals(
                keptAccepted.get(),
                rows("device_id = " + keptDevice),
                "the other person's readings all there, once");
        assertEquals(200, health().statusCode(), "no job was stopped by the erasure");
        // the stress job heard of it (erased_users → CDC → Kafka) and dropped what it kept of them
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> analyticsMetric("erasures") > erasuresBefore);
    }

    @Test
    void tenThousandReadingsPostedTwiceAreStoredExactlyOnce() throws Exception {
        String alice = api.login("alice@e2e.test", "alice's long password");
        String bob = api.login("bob@e2e.test", "bob's long password!!");
        int device = api.device(alice, "garmin", "E2E-1", "[\"heart_rate\"]");
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        byte[] first = IngestBenchmark.batchJson(device, base, 0, 5_000);
        byte[] second = IngestBenchmark.batchJson(device, base, 5_000, 5_000);

        assertEquals(202, post(alice, first));
        assertEquals(202, post(alice, second));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> rows("device_id = " + device) >= 10_000);
        assertEquals(10_000, rows("device_id = " + device));

        // the same readings again, then one new one behind them on the same partition (same user
        // key)
        assertEquals(202, post(alice, first));
        assertEquals(202, post(alice, second));
        assertEquals(202, post(alice, IngestBenchmark.batchJson(device, base, 10_000, 1)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> rows("device_id = " + device) >= 10_001);
        assertEquals(
                10_001,
                rows("device_id = " + device),
                "replayed readings must not be stored twice");

        // the reader sees their own readings, newest first; the other user sees none and not the
        // device
        JsonNode page = api.call("GET", "/api/v2/biometric/readings?limit=5", alice, null).body();
        assertEquals(5, page.get("readings").size());
        assertEquals(base.plusMillis(10_000).toString(), page.at("/readings/0/timestamp").asText());
        assertEquals(
                0,
                api.call("GET", "/api/v2/biometric/readings", bob, null)
                        .body()
                        .get("readings")
                        .size());
        assertEquals(
                404,
                api.call("GET", "/api/v2/biometric/readings?device_id=" + device, bob, null)
                        .status());
        assertEquals(
                404, api.call("GET", "/api/v2/biometric/devices/" + device, bob, null).status());
    }

    /**
     * A data directory from before the analytics job: its group takes over the stress job's offsets
     * (so it does not read the whole topic again), once; a group with offsets of its own keeps
     * them.
     */
    @Test
    void aGroupTakesOverAnotherGroupsOffsetsOnlyWhenItHasNoneOfItsOwn() throws Exception {
        String topic = "carry-over-" + System.nanoTime();
        stack.kafka()
                .createTopics(
                        java.util.List.of(
                                new org.apache.kafka.clients.admin.NewTopic(topic, 2, (short) 1)
                                        .configs(EmbeddedKafka.KEEP_HISTORY)));
        io.chakrai.embedded.KafkaAdmin admin =
                new io.chakrai.embedded.KafkaAdmin(stack.kafka().bootstrapServers());
        assertEquals(
                0,
                admin.carryOverOffsets("old-" + topic, "new-" + topic, topic),
                "nothing to carry over");
        java.util.Map<String, Object> props =
                java.util.Map.of(
                        "bootstrap.servers",
                        stack.kafka().bootstrapServers(),
                        "group.id",
                        "old-" + topic,
                        "key.deserializer",
                        org.apache.kafka.common.serialization.StringDeserializer.class,
                        "value.deserializer",
                        org.apache.kafka.common.serialization.StringDeserializer.class);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> p =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        java.util.Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                p.send(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        topic, i % 2, "k", "v" + i))
                        .get();
            }
        }
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(props)) {
            c.commitSync(
                    java.util.Map.of(
                            new org.apache.kafka.common.TopicPartition(topic, 0),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(3),
                            new org.apache.kafka.common.TopicPartition(topic, 1),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(4)));
            assertEquals(2, admin.carryOverOffsets("old-" + topic, "new-" + topic, topic));
            assertEquals(7, admin.committedOffsets("new-" + topic, topic));
            c.commitSync(
                    java.util.Map.of(
                            new org.apache.kafka.common.TopicPartition(topic, 0),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(5)));
            assertEquals(
                    0,
                    admin.carryOverOffsets("old-" + topic, "new-" + topic, topic),
                    "it has its own now");
            assertEquals(7, admin.committedOffsets("new-" + topic, topic));
        }
    }

    @Test
    void theIngestionJobRunsInTheFlinkWebUi() throws Exception {
        String url = stack.flink().webUrl();
        HttpResponse<String> jobs =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url + "/jobs/overview")).build(),
                                HttpResponse.BodyHandlers.ofString());
        // the newest run of each name (a job cancelled and resubmitted by another test stays
        // listed)
        java.util.Map<String, JsonNode> newest = new java.util.TreeMap<>();
        JSON.readTree(jobs.body())
                .get("jobs")
                .forEach(
                        j ->
                                newest.merge(
                                        j.get("name").asText(),
                                        j,
                                        (a, b) ->
                                                a.get("start-time").asLong()
                                                                >= b.get("start-time").asLong()
                                                        ? a
                                                        : b));
        java.util.Map<String, String> states = new java.util.TreeMap<>();
        newest.forEach((name, j) -> states.put(name, j.get("state").asText()));
        assertEquals(
                java.util.Map.of(
                        "chakrai-ingestion",
                        "RUNNING",
                        "chakrai-analytics",
                        "RUNNING",
                        "chakrai-group-dynamics",
                        "RUNNING"),
                states);
        HttpResponse<String> ui =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url + "/")).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ui.statusCode());
        assertTrue(
                ui.body().toLowerCase(java.util.Locale.ROOT).contains("<html"),
                "the Web UI page is served: "
                        + ui.body().substring(0, Math.min(200, ui.body().length())));
    }

    /**
     * Two simulated wearers with a day of history: their backlog is stored (readings a day old),
     * their content sessions in it are measured from the stored readings (the late path), and the
     * live stream grows after it.
     */
    @Test
    void theSimulatorUploadsADayOfHistoryWithMeasuredContentThenStreams() throws Exception {
        try (DeviceSimulator sim =
                DeviceSimulator.start(stack.apiUrl(), 2, 200, 1, "simulator password e2e")) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    rows(
                                                    "metadata ? 'sim_state' AND \"timestamp\" < now() - interval '20 hours'")
                                            > 2 * 60 * 4);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> sim.sessionsCompleted() >= 2);
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(1000))
                    .until(
                            () ->
                                    count(
                                                    "SELECT count(*) FROM content_usage_tracking u JOIN users p ON p.id = u.user_id "
                                                            + "WHERE p.email LIKE 'sim-%' AND u.effectiveness IS NOT NULL AND u.hr_change IS NOT NULL")
                                            >= 2);
            long live =
                    rows("metadata ? 'sim_state' AND \"timestamp\" > now() - interval '1 minute'");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    rows(
                                                    "metadata ? 'sim_state' AND \"timestamp\" > now() - interval '1 minute'")
                                            > live + 10);
        }
        assertTrue(rows("metadata->>'sim_state' = 'rest' AND data_type = 'heart_rate'") > 0);
    }

    static long count(String sql) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSecondInstanceOnTheSamePortsIsAClearError() {
        Ports.PortInUseException e =
                assertThrows(
                        Ports.PortInUseException.class,
                        () -> EmbeddedPostgres.start(null, stack.postgres().port(), "other"));
        assertTrue(e.getMessage().contains("--pg-port"), e.getMessage());
    }

    @Test
    void aPoisonRecordOnTheTopicGoesToTheDeadLetterTopicAndTheJobRunsOn() throws Exception {
        var props = new java.util.Properties();
        props.put("bootstrap.servers", stack.kafka().bootstrapServers());
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                        props,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(
                            new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    "biometric.readings", "1", "\u0000poison\u00ff"))
                    .get();
        }
        try (var consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
                        java.util.Map.of(
                                "bootstrap.servers",
                                stack.kafka().bootstrapServers(),
                                "group.id",
                                "dlq-e2e",
                                "auto.offset.reset",
                                "earliest"),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(java.util.List.of(Topics.DEAD_LETTERS));
            JsonNode letter = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (letter == null && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode n = JSON.readTree(r.value().getBytes(StandardCharsets.UTF_8));
                    if (n.get("value").asText().contains("poison")) {
                        letter = n;
                    }
                }
            }
            assertTrue(letter != null, "no dead letter arrived");
            assertTrue(
                    letter.get("reason").asText().startsWith("record: is not valid JSON"),
                    letter.toString());
        }
        theIngestionJobRunsInTheFlinkWebUi();
    }

    /** A WebSocket as an app holds it, on a given API instance. */
    static java.util.concurrent.LinkedBlockingQueue<JsonNode> socket(String apiUrl, String token)
            throws Exception {
        java.util.concurrent.LinkedBlockingQueue<JsonNode> inbox =
                new java.util.concurrent.LinkedBlockingQueue<>();
        StringBuilder partial = new StringBuilder();
        HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create(apiUrl.replace("http", "ws") + "/api/v2/ws?token=" + token),
                        new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(
                                    java.net.http.WebSocket w, CharSequence d, boolean last) {
                                partial.append(d);
                                if (last) {
                                    try {
                                        inbox.add(JSON.readTree(partial.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    partial.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        })
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        return inbox;
    }

    static JsonNode next(
            java.util.concurrent.LinkedBlockingQueue<JsonNode> inbox,
            java.util.function.Predicate<JsonNode> what)
            throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            JsonNode e = inbox.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (e != null && what.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no such event within 60 s");
    }

    /**
     * Groups through the whole path: messages posted to one API instance reach a member whose
     * socket is on another (through Debezium's change stream), and a group's negative spiral, found
     * by the group-dynamics job on that stream, alerts a facilitator connected to the other
     * instance and shows in the group's mood; crisis language nobody acknowledges in time is
     * raised, and the clinician and the author connected to the other instance learn it through the
     * same stream.
     */
    @Test
    void groupMessagesCrossApiInstancesAndASpiralReachesAFacilitatorThroughCdcAndFlink()
            throws Exception {
        JsonNode checks = JSON.readTree(health().body()).path("checks");
        assertEquals("up", checks.path("cdc slot").asText(), checks.toString());
        assertEquals("up", checks.path("job chakrai-group-dynamics").asText(), checks.toString());
        io.chakrai.api.ApiConfig second = stack.apiConfig();
        second =
                new io.chakrai.api.ApiConfig(
                        second.host(),
                        0,
                        second.dbUrl(),
                        second.dbUser(),
                        second.dbPassword(),
                        second.kafkaBootstrap(),
                        second.readingsTopic(),
                        second.predictionsTopic(),
                        second.jwtSecret(),
                        second.tokenTtl(),
                        second.deviceTokenKey(),
                        second.maxBatch(),
                        second.maxBodyBytes(),
                        second.bcryptCost(),
                        second.escalationAck());
        try (io.chakrai.api.ApiServer b = io.chakrai.api.ApiServer.start(second)) {
            String instanceB = "http://localhost:" + b.port();
            String[] tokens = new String[3];
            for (int i = 0; i < 3; i++) {
                tokens[i] = api.login("group-e2e-" + i + "@example.org", "correct horse battery");
                assertEquals(
                        200,
                        api.call(
                                        "PUT",
                                        "/api/v2/me/consents",
                                        tokens[i],
                                        "{\"kind\":\"groups\",\"granted\":true}")
                                .status());
            }
            JsonNode match =
                    api.call(
                                    "POST",
                                    "/api/v2/therapy/groups/find-match",
                                    tokens[0],
                                    "{\"session_type\":\"depression_support\",\"therapeutic_goals\":[\"end to end "
                                            + System.nanoTime()
                                            + "\"]}")
                            .body();
            int group = match.path("group").path("id").asInt();
            if (!match.path("joined").asBoolean()) {
                assertEquals(
                        201,
                        api.call(
                                        "POST",
                                        "/api/v2/therapy/groups/" + group + "/join",
                                        tokens[0],
                                        "{}")
                                .status());
            }
            for (int i = 1; i < 3; i++) {
                assertEquals(
                        201,
                        api.call(
                                        "POST",
                                        "/api/v2/therapy/groups/" + group + "/join",
                                        tokens[i],
                                        "{}")
                                .status());
            }
            String facilitator = api.login("facilitator-e2e@example.org", "correct horse battery");
            try (Connection c =
                            DriverManager.getConnection(
                                    stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                    Statement st = c.createStatement()) {
                st.execute(
                        "UPDATE users SET role = 'facilitator' WHERE email = 'facilitator-e2e@example.org'");
            }
            facilitator = api.login("facilitator-e2e@example.org", "correct horse battery");
            var memberOnB = socket(instanceB, tokens[2]);
            var staffOnB = socket(instanceB, facilitator);
            next(memberOnB, e -> "connected".equals(e.path("type").asText()));

            long sent = System.nanoTime();
            ApiClient.Reply first =
                    api.call(
                            "POST",
                            "/api/v2/therapy/groups/" + group + "/messages",
                            tokens[0],
                            "{\"content\":\"hello from instance A\"}");
            assertEquals(201, first.status(), first.body().toString());
            JsonNode arrived =
                    next(memberOnB, e -> "group_message".equals(e.path("type").asText()));
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertEquals(first.body().path("id").asLong(), arrived.path("messageId").asLong());
            assertEquals("hello from instance A", arrived.path("message").asText());
            System.out.println("instance A → CDC → instance B socket: " + millis + " ms");

            String[] low = {
                "I feel awful today",
                "same, everything is terrible",
                "this week has been horrible and sad",
                "I hate how bad everything feels",
                "awful, just awful and miserable"
            };
            for (int i = 0; i < low.length; i++) {
                ApiClient.Reply r =
                        api.call(
                                "POST",
                                "/api/v2/therapy/groups/" + group + "/messages",
                                tokens[i % 2],
                                "{\"content\":\"" + low[i] + "\"}");
                assertEquals(201, r.status(), r.body().toString());
                assertTrue(r.body().path("sentiment").asDouble() <= -0.3, low[i] + " " + r.body());
            }
            JsonNode alert =
                    next(
                            staffOnB,
                            e ->
                                    "crisis_alert".equals(e.path("type").asText())
                                            && e.path("groupId").asInt() == group
                                            && "group_spiral".equals(e.path("kind").asText()));
            assertTrue(alert.path("escalationId").asLong() > 0);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    api.call(
                                                            "GET",
                                                            "/api/v2/therapy/groups/"
                                                                    + group
                                                                    + "/sentiment",
                                                            tokens[1],
                                                            null)
                                                    .body()
                                                    .path("windows")
                                                    .size()
                                            > 0);
            JsonNode mood =
                    api.call(
                                    "GET",
                                    "/api/v2/therapy/groups/" + group + "/sentiment",
                                    facilitator,
                                    null)
                            .body();
            assertTrue(
                    mood.path("windows").get(0).path("mean_sentiment").asDouble() < 0,
                    mood.toString());
            assertEquals(
                    3, mood.path("members").size(), "facilitators see each pseudonym: " + mood);

            // crisis language held on instance A; nobody acknowledges it, so it is raised (every
            // instance learns it through
            // the change stream): the clinician connected to instance B is alerted, and the author,
            // on B, helped again
            api.login("clinician-e2e@example.org", "correct horse battery");
            try (Connection c =
                            DriverManager.getConnection(
                                    stack.postgres().jdbcUrl(), stack.postgres().user(), "");
                    Statement st = c.createStatement()) {
                st.execute(
                        "UPDATE users SET role = 'clinician' WHERE email = 'clinician-e2e@example.org'");
            }
            var clinicianOnB =
                    socket(
                            instanceB,
                            api.login("clinician-e2e@example.org", "correct horse battery"));
            var authorOnB = socket(instanceB, tokens[1]);
            next(authorOnB, e -> "connected".equals(e.path("type").asText()));
            ApiClient.Reply held =
                    api.call(
                            "POST",
                            "/api/v2/therapy/groups/" + group + "/messages",
                            tokens[1],
                            "{\"content\":\"I have decided, I am going to kill myself tonight\"}");
            assertEquals("held", held.body().path("status").asText(), held.body().toString());
            JsonNode firstAlert =
                    next(
                            staffOnB,
                            e ->
                                    "crisis_alert".equals(e.path("type").asText())
                                            && "crisis_language".equals(e.path("kind").asText())
                                            && e.path("groupId").asInt() == group);
            long escalation = firstAlert.path("escalationId").asLong();
            JsonNode raised =
                    next(
                            clinicianOnB,
                            e ->
                                    "crisis_alert".equals(e.path("type").asText())
                                            && e.path("escalationId").asLong() == escalation
                                            && e.path("raises").asInt() >= 1);
            assertEquals(group, raised.path("groupId").asInt());
            JsonNode again =
                    next(
                            authorOnB,
                            e ->
                                    "crisis_support".equals(e.path("type").asText())
                                            && e.path("reminder").asBoolean());
            assertEquals(held.body().path("id").asLong(), again.path("messageId").asLong());
        }
    }

    /**
     * Heart rate and RMSSD once a minute for [from, to) minutes relative to {@code t0}, as a watch
     * syncs them.
     */
    /**
     * Content's effect on the body through the whole path: a session completed through the API
     * reaches the content-effectiveness job through Debezium, the job compares the person's heart
     * rate and RMSSD before and after (posted through the API like any watch's), writes the effect
     * on the session, and the library ranks the piece that calmed them above the one that did not.
     * The measured effect reaches the stress job through the same change stream: when the person is
     * stressed again, their intervention offers a meditation.
     */
    @Test
    void aSessionsEffectOnTheBodyIsMeasuredAndRanksTheLibrary() throws Exception {
        String token = api.login("content-e2e@example.org", "correct horse battery");
        int device =
                api.device(
                        token,
                        "garmin",
                        "G-CONTENT",
                        "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        Instant t0 =
                Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                        .minusSeconds(230 * 60);
        long breathing =
                api.call(
                                "POST",
                                "/api/v2/content/generate/meditation",
                                token,
                                "{\"duration_minutes\":5}")
                        .body()
                        .path("id")
                        .asLong();
        long story =
                api.call(
                                "POST",
                                "/api/v2/content/generate/story",
                                token,
                                "{\"duration_minutes\":5}")
                        .body()
                        .path("id")
                        .asLong();
        // the watch synced first, then the app reported the two sessions (recorded offline); the
        // person at rest is
        // the simulated one whose stress period comes later, so the baseline their readings build
        // is theirs
        SimulatedPerson self = new SimulatedPerson(9, 0, t0);
        double hr = Math.round(self.restingHr());
        double rmssd = Math.round(self.baselineRmssd());
        for (String batch :
                new String[] {
                    ScriptedDay.steady(device, t0, 0, 15, hr + 3, rmssd),
                    ScriptedDay.steady(device, t0, 25, 45, hr - 5, rmssd * 1.25),
                    ScriptedDay.steady(device, t0, 60, 75, hr + 1, rmssd),
                    ScriptedDay.steady(device, t0, 85, 105, hr + 5, rmssd * 0.9),
                    ScriptedDay.steady(device, t0, 110, 129, hr + 1, rmssd)
                }) {
            assertEquals(
                    202, api.call("POST", "/api/v2/biometric/readings", token, batch).status());
        }
        // the meditation: heart rate 8 bpm lower after than before, RMSSD up a quarter; the story
        // (an hour later):
        // 4 bpm higher after, RMSSD down a tenth
        long[] sessions = new long[2];
        long[] pieces = {breathing, story};
        int[] starts = {15, 75};
        for (int i = 0; i < 2; i++) {
            ApiClient.Reply started =
                    api.call(
                            "POST",
                            "/api/v2/content/" + pieces[i] + "/sessions",
                            token,
                            "{\"started_at\":\"" + t0.plusSeconds(starts[i] * 60L) + "\"}");
            assertEquals(201, started.status(), started.body().toString());
            sessions[i] = started.body().path("usage_id").asLong();
            assertEquals(
                    200,
                    api.call(
                                    "PUT",
                                    "/api/v2/content/sessions/" + sessions[i],
                                    token,
                                    "{\"completion_rate\":1,\"completed_at\":\""
                                            + t0.plusSeconds((starts[i] + 10) * 60L)
                                            + "\"}")
                            .status());
        }
        // each session is measured when its own after-window closes, in no promised order: wait for
        // both
        for (long session : sessions) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    !api.call(
                                                    "GET",
                                                    "/api/v2/content/sessions/" + session,
                                                    token,
                                                    null)
                                            .body()
                                            .path("effectiveness")
                                            .isNull());
        }
        JsonNode calm =
                api.call("GET", "/api/v2/content/sessions/" + sessions[0], token, null).body();
        JsonNode agitated =
                api.call("GET", "/api/v2/content/sessions/" + sessions[1], token, null).body();
        assertTrue(
                calm.path("hr_change").asDouble() < -7
                        && calm.path("rmssd_change").asDouble() > rmssd * 0.2,
                calm.toString());
        assertTrue(agitated.path("hr_change").asDouble() > 0, agitated.toString());
        assertTrue(
                calm.path("effectiveness").asDouble() > agitated.path("effectiveness").asDouble(),
                calm + " vs " + agitated);
        JsonNode library =
                api.call("GET", "/api/v2/content/library", token, null).body().path("content");
        java.util.List<Long> order = new java.util.ArrayList<>();
        library.forEach(c -> order.add(c.path("id").asLong()));
        assertTrue(
                order.indexOf(breathing) < order.indexOf(story),
                "what calmed them ranks first: " + library);

        // the stress graph holds both measured sessions once a checkpoint has committed their
        // change events
        String usageTopic = stack.stressConfig().usageTopic;
        String stressUsage = stack.analyticsConfig().stressUsageGroup();
        for (long session : sessions) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    stack.kafka()
                                            .committedPast(
                                                    stressUsage,
                                                    usageTopic,
                                                    v ->
                                                            v.contains("\"id\":" + session + ",")
                                                                    && !v.contains(
                                                                            "\"effectiveness\":null")));
        }
        // then a stress period: the intervention offers what calmed them, with the evidence
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.json(
                                        device,
                                        9,
                                        t0.plusSeconds(130 * 60),
                                        60,
                                        Activity.STRESS,
                                        10,
                                        5))
                        .status());
        String episodes =
                "/api/v2/biometric/predictions?type=stress_episode&from="
                        + t0.plusSeconds(170 * 60);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                api.call("GET", episodes, token, null)
                                                .body()
                                                .path("predictions")
                                                .size()
                                        > 0);
        JsonNode episode = api.call("GET", episodes, token, null).body().path("predictions").get(0);
        // a share of offers (--explore, 15 %) tries the least-tried kind instead, by a draw on the
        // person and the
        // onset minute: the same draw says which this one is (the worksheet was never tried)
        int user =
                Integer.parseInt(
                        new String(
                                        java.util.Base64.getUrlDecoder()
                                                .decode(token.split("\\.")[1]),
                                        java.nio.charset.StandardCharsets.UTF_8)
                                .replaceAll(".*\"sub\":\"(\\d+)\".*", "$1"));
        long onset =
                Instant.parse(episode.path("prediction_time").asText()).toEpochMilli()
                        - 60_000L; // the onset minute ends then
        if (io.chakrai.models.content.WhatHelps.explores(
                io.chakrai.models.content.WhatHelps.seed(user, onset),
                stack.stressConfig().explore)) {
            assertEquals(
                    "content_worksheet",
                    episode.at("/intervention/type").asText(),
                    episode.toString());
            assertTrue(
                    episode.at("/intervention/content").asText().contains("not tried much"),
                    episode.toString());
        } else {
            assertEquals(
                    "content_meditation",
                    episode.at("/intervention/type").asText(),
                    episode.toString());
            assertTrue(
                    episode.at("/intervention/content")
                            .asText()
                            .contains("heart rate fell by 8 bpm"),
                    episode.toString());
        }
    }

    /** The stress graph's answers learned so far, summed over its subtasks. */
    static long answersLearned() throws Exception {
        return analyticsMetric("answersLearned");
    }

    /**
     * A counter of the running analytics job, summed over the subtasks that have it (the Flink REST
     * API, as the Web UI reads it).
     */
    static long analyticsMetric(String name) throws Exception {
        String url = stack.flink().webUrl();
        HttpClient http = HttpClient.newHttpClient();
        long sum = 0;
        for (JsonNode j :
                JSON.readTree(
                                http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(url + "/jobs/overview"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())
                        .get("jobs")) {
            if (!j.get("name").asText().equals("chakrai-analytics")
                    || !j.get("state").asText().equals("RUNNING")) {
                continue;
            }
            String job = url + "/jobs/" + j.get("jid").asText();
            for (JsonNode v :
                    JSON.readTree(
                                    http.send(
                                                    HttpRequest.newBuilder(URI.create(job)).build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .body())
                            .get("vertices")) {
                String vertex = job + "/vertices/" + v.get("id").asText() + "/metrics";
                StringBuilder ids = new StringBuilder();
                for (JsonNode m :
                        JSON.readTree(
                                http.send(
                                                HttpRequest.newBuilder(URI.create(vertex)).build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())) {
                    if (m.get("id").asText().endsWith("." + name)) {
                        ids.append(ids.isEmpty() ? "" : ",").append(m.get("id").asText());
                    }
                }
                if (!ids.isEmpty()) {
                    for (JsonNode m :
                            JSON.readTree(
                                    http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            vertex + "?get=" + ids))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .body())) {
                        sum += (long) Double.parseDouble(m.get("value").asText());
                    }
                }
            }
        }
        return sum;
    }

    /**
     * The "done means", end to end through the API, PostgreSQL, CDC and the running Flink
     * job: a person whose heart races with HRV only a little down keeps answering "no" to those
     * episodes and "yes" to their real ones (HRV deeply down); within a dozen rounds the first kind
     * stops being an episode, and the real kind still is one.
     */
    @Test
    void aPersonWhoKeepsAnsweringNoToAKindOfEpisodeStopsGettingItWithoutLosingTrueOnes()
            throws Exception {
        String token = api.login("answers-e2e@example.org", "correct horse battery");
        int device = api.device(token, "garmin", "G-ANSWERS", "[\"heart_rate\",\"hrv\"]");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.HOURS);
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                token,
                                ScriptedDay.steady(device, t0, 0, 40, 62, 45))
                        .status());
        int minute = 40;
        Boolean harmlessStillRaised = null;
        int rounds = 0;
        for (int round = 0; round < 14 && !Boolean.FALSE.equals(harmlessStillRaised); round++) {
            rounds++;
            int harmless = minute;
            int real = minute + 10;
            for (String batch :
                    new String[] {
                        ScriptedDay.steady(device, t0, harmless, harmless + 4, 90, 33),
                        ScriptedDay.steady(device, t0, harmless + 4, real, 62, 45),
                        ScriptedDay.steady(device, t0, real, real + 4, 92, 14),
                        ScriptedDay.steady(device, t0, real + 4, real + 10, 62, 45)
                    }) {
                assertEquals(
                        202, api.call("POST", "/api/v2/biometric/readings", token, batch).status());
            }
            minute = real + 10;
            Instant realFrom = t0.plusSeconds(real * 60L);
            // the real kind's episode written means the harmless kind before it has been judged
            JsonNode realEpisode =
                    await().atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(300))
                            .until(
                                    () ->
                                            episodeBetween(
                                                    token, realFrom, realFrom.plusSeconds(6 * 60)),
                                    java.util.Objects::nonNull);
            JsonNode harmlessEpisode =
                    episodeBetween(token, t0.plusSeconds(harmless * 60L), realFrom);
            harmlessStillRaised = harmlessEpisode != null;
            if (round == 0) {
                assertTrue(
                        harmlessStillRaised,
                        "before any answer the rule raises the harmless kind too");
            }
            int answers = 0;
            long before = answersLearned();
            if (harmlessEpisode != null) {
                assertEquals(
                        201,
                        api.call(
                                        "POST",
                                        "/api/v2/biometric/predictions/"
                                                + harmlessEpisode.get("id").asLong()
                                                + "/answer",
                                        token,
                                        "{\"answer\":\"no\"}")
                                .status());
                answers++;
            }
            assertEquals(
                    201,
                    api.call(
                                    "POST",
                                    "/api/v2/biometric/predictions/"
                                            + realEpisode.get("id").asLong()
                                            + "/answer",
                                    token,
                                    "{\"answer\":\"yes\"}")
                            .status());
            answers++;
            long expected = before + answers;
            // the job has learned them (through CDC) before the next round's minutes are judged
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> answersLearned() >= expected);
        }
        assertEquals(
                Boolean.FALSE,
                harmlessStillRaised,
                "after a dozen 'no's the harmless kind is still an episode");
        System.out.println(
                "answers: the harmless kind stopped being an episode in round " + rounds);
        JsonNode summary =
                api.call("GET", "/api/v2/biometric/answers", token, null).body().get("summary");
        assertTrue(
                summary.get("no").asInt() >= 1
                        && summary.get("yes").asInt() >= summary.get("no").asInt(),
                summary.toString());
        assertTrue(summary.get("personal_model").asBoolean());
    }

    /**
     * The person's stress episode predicted (stamped) within [from + 1 min, to + 1 min), or null.
     */
    static JsonNode episodeBetween(String token, Instant from, Instant to) throws Exception {
        JsonNode all =
                api.call(
                                "GET",
                                "/api/v2/biometric/predictions?type=stress_episode&from="
                                        + from.plusSeconds(60)
                                        + "&to="
                                        + to.plusSeconds(60),
                                token,
                                null)
                        .body()
                        .get("predictions");
        return all.isEmpty() ? null : all.get(0);
    }
}
