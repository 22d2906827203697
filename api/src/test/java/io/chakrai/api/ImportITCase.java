package io.chakrai.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.imports.ExportReader;
import io.chakrai.models.imports.ImportFormat;
import io.chakrai.models.imports.ImportSink;
import io.chakrai.models.imports.SampleExport;
import io.chakrai.models.readings.DataType;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports on the API with its PostgreSQL and Kafka: an export sent in chunks is read and its
 * owner's socket follows it by {@code import_progress} events (each checked against {@code
 * api/asyncapi.yaml}); a hostile archive ends as a failed import naming why; one import at a time
 * each.
 */
class ImportITCase {
    static ApiFixture api;
    static Http http;

    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("chakrai_import_test", 8L * 1024 * 1024);
        http = api.http;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** Starts an import of {@code file} and sends it in chunks; returns its id. */
    static long upload(String token, Path file, int chunk) throws Exception {
        byte[] all = Files.readAllBytes(file);
        Http.Response started =
                http.post(
                        "/api/v2/biometric/imports",
                        token,
                        "{\"file_name\":\""
                                + file.getFileName()
                                + "\",\"size_bytes\":"
                                + all.length
                                + ",\"time_zone\":\"Europe/Berlin\"}");
        assertEquals(201, started.status(), started.body());
        long id = started.json().get("id").asLong();
        for (int off = 0; off < all.length; off += chunk) {
            Http.Response r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://localhost:"
                                                            + api.server.port()
                                                            + "/api/v2/biometric/imports/"
                                                            + id
                                                            + "/content?offset="
                                                            + off))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/octet-stream")
                                    .PUT(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    Arrays.copyOfRange(
                                                            all,
                                                            off,
                                                            Math.min(all.length, off + chunk))))
                                    .build());
            assertEquals(200, r.status(), r.body());
            assertEquals(
                    Math.min(all.length, off + chunk), r.json().get("received_bytes").asLong());
        }
        return id;
    }

    @Test
    void aFitbitTakeoutSentInChunksIsReadAndItsOwnersSocketFollowsIt() throws Exception {
        String token = api.registerAndLogin("importer@example.org");
        Path takeout = dir.resolve("takeout.zip");
        SampleExport.write(ImportFormat.FITBIT, takeout, 9, Instant.now().minusSeconds(7_200), 3);
        try (Socket socket = Socket.open(api, token)) {
            long id = upload(token, takeout, 64 * 1024);
            JsonNode done =
                    socket.await(
                                    e ->
                                            e.path("type").asText().equals("import_progress")
                                                    && e.at("/import/id").asLong() == id
                                                    && e.at("/import/status")
                                                            .asText()
                                                            .equals("done"))
                            .get("import");
            assertEquals("fitbit", done.get("format").asText(), done.toString());
            assertTrue(done.get("accepted").asLong() > 3 * 1440, done.toString());
            // what the reader finds in the file, read here on its own, is what the API accepted
            long samples =
                    samples(
                            takeout,
                            "takeout.zip",
                            ImportFormat.FITBIT,
                            java.time.ZoneId.of("Europe/Berlin"));
            assertEquals(samples, done.get("accepted").asLong(), done.toString());
            assertEquals(0, done.get("duplicates").asLong(), done.toString());
        }
        Http.Response listed = http.get("/api/v2/biometric/devices", token);
        assertTrue(listed.body().contains("\"import:fitbit:Fitbit\""), listed.body());

        // the day view, over readings as the ingestion job stores them (no job runs here: two days
        // written directly)
        int user = ApiFixture.userId(token);
        int device =
                http.get("/api/v2/biometric/devices", token)
                        .json()
                        .path("devices")
                        .path(0)
                        .path("id")
                        .asInt();
        try (var c = java.sql.DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                var st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") VALUES "
                            + "("
                            + user
                            + ", "
                            + device
                            + ", 'heart_rate', 60, 'bpm', now() - interval '1 day'), "
                            + "("
                            + user
                            + ", "
                            + device
                            + ", 'heart_rate', 70, 'bpm', now() - interval '1 day' + interval '1 minute'), "
                            + "("
                            + user
                            + ", "
                            + device
                            + ", 'sleep_stage', 2, 'stage', now() - interval '1 day'), "
                            + "("
                            + user
                            + ", "
                            + device
                            + ", 'steps', 12, 'count', now())");
        }
        Http.Response daily = http.get("/api/v2/biometric/daily?days=7&tz=Europe/Berlin", token);
        assertEquals(200, daily.status(), daily.body());
        JsonNode days = daily.json().path("daily");
        assertTrue(days.size() >= 2, daily.body());
        assertTrue(
                days.toString().contains("\"heart_rate\":65.0"), "the day's mean: " + daily.body());
        assertTrue(days.toString().contains("\"steps\":12"), daily.body());
        assertEquals(400, http.get("/api/v2/biometric/daily?tz=Mars/Olympus", token).status());
    }

    @Test
    void aGarminFitExportSentInChunksIsReadWhole() throws Exception {
        String token = api.registerAndLogin("garmin@example.org");
        Path export = dir.resolve("garmin.zip");
        SampleExport.write(
                ImportFormat.GARMIN_FIT, export, 11, Instant.now().minusSeconds(7_200), 2);
        JsonNode first = finished(token, upload(token, export, 256 * 1024));
        assertEquals("garmin_fit", first.get("format").asText(), first.toString());
        assertEquals(
                samples(export, "garmin.zip", ImportFormat.GARMIN_FIT, java.time.ZoneOffset.UTC),
                first.get("accepted").asLong(),
                first.toString());
        assertTrue(first.get("accepted").asLong() > 2 * 1440, first.toString());
        Http.Response listed = http.get("/api/v2/biometric/devices", token);
        assertTrue(listed.body().contains("\"import:garmin_fit:Garmin\""), listed.body());
    }

    @Test
    void aMinuteAnotherOfThePersonsDevicesRecordedIsNotImportedAgain() throws Exception {
        String token = api.registerAndLogin("streams-live@example.org");
        int user = ApiFixture.userId(token);
        Http.Response watch =
                http.post(
                        "/api/v2/biometric/devices",
                        token,
                        "{\"device_type\":\"garmin\",\"device_id\":\"FR-255\",\"data_types\":[\"heart_rate\",\"steps\"]}");
        assertEquals(201, watch.status(), watch.body());
        int live = watch.json().get("id").asInt();
        Path export = dir.resolve("garmin-overlap.zip");
        SampleExport.write(
                ImportFormat.GARMIN_FIT, export, 12, Instant.now().minusSeconds(7_200), 1);
        java.util.List<Instant> heart = new java.util.ArrayList<>();
        java.util.Set<Long> stepMinutes = new java.util.HashSet<>();
        long all =
                samples(
                        export,
                        "garmin-overlap.zip",
                        ImportFormat.GARMIN_FIT,
                        java.time.ZoneOffset.UTC,
                        (type, at) -> {
                            if (type == DataType.HEART_RATE) {
                                heart.add(at);
                            } else if (type == DataType.STEPS) {
                                stepMinutes.add(at.getEpochSecond() / 60);
                            }
                        });
        java.util.Collections.sort(heart);
        // the watch streamed 90 of those minutes' heart rate live, at other seconds of them, and
        // steps in 90 others, of which the export's quarter-hour step totals share a few; the
        // minute before the export, too
        int heartOverlap = 90;
        long stepsOverlap = 0;
        for (int i = 0; i < heartOverlap; i++) {
            if (stepMinutes.contains(heart.get(800 + i).plusSeconds(5).getEpochSecond() / 60)) {
                stepsOverlap++;
            }
        }
        assertTrue(stepsOverlap > 0, "the export's steps share minutes with the live ones");
        long overlap = heartOverlap + stepsOverlap;
        try (var c = java.sql.DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                var ps =
                        c.prepareStatement(
                                "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                                        + "VALUES (?, ?, ?, 70, ?, ?)")) {
            java.util.List<Object[]> rows = new java.util.ArrayList<>();
            rows.add(new Object[] {"heart_rate", "bpm", heart.get(0).minusSeconds(60)});
            for (int i = 0; i < heartOverlap; i++) {
                rows.add(new Object[] {"heart_rate", "bpm", heart.get(600 + i).plusSeconds(17)});
                rows.add(new Object[] {"steps", "count", heart.get(800 + i).plusSeconds(5)});
            }
            for (Object[] row : rows) {
                ps.setInt(1, user);
                ps.setInt(2, live);
                ps.setString(3, (String) row[0]);
                ps.setString(4, (String) row[1]);
                ps.setTimestamp(5, java.sql.Timestamp.from((Instant) row[2]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String reason =
                "recorded in the same minute by another of your devices (streamed live, or from another export)";
        JsonNode done = finished(token, upload(token, export, 256 * 1024));
        assertEquals(all - overlap, done.get("accepted").asLong(), done.toString());
        assertEquals(0, done.get("duplicates").asLong(), done.toString());
        assertEquals(overlap, done.path("skipped").path(reason).asLong(), done.toString());

        // what this format's own device stored (no job runs here: written directly, at other
        // seconds) is the same device's, not another's: a second export of it is judged by its
        // exact times alone
        int imported = -1;
        for (JsonNode d : http.get("/api/v2/biometric/devices", token).json().path("devices")) {
            if (d.path("device_id").asText().equals("import:garmin_fit:Garmin")) {
                imported = d.path("id").asInt();
            }
        }
        try (var c = java.sql.DriverManager.getConnection(api.pg.jdbcUrl(), api.pg.user(), "");
                var ps =
                        c.prepareStatement(
                                "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                                        + "VALUES (?, ?, 'heart_rate', 70, 'bpm', ?)")) {
            for (int i = 0; i < 50; i++) {
                ps.setInt(1, user);
                ps.setInt(2, imported);
                ps.setTimestamp(3, java.sql.Timestamp.from(heart.get(100 + i).plusSeconds(30)));
                ps.addBatch();
            }
            // and 20 at the export's own times: stored already, by the natural key
            for (int i = 0; i < 20; i++) {
                ps.setInt(1, user);
                ps.setInt(2, imported);
                ps.setTimestamp(3, java.sql.Timestamp.from(heart.get(300 + i)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        JsonNode again = finished(token, upload(token, export, 256 * 1024));
        assertEquals(overlap, again.path("skipped").path(reason).asLong(), again.toString());
        assertEquals(20, again.get("duplicates").asLong(), again.toString());
        assertEquals(all - overlap - 20, again.get("accepted").asLong(), again.toString());
    }

    @Test
    void aBatchIsFoundStoredByItsExactTimesWhetherItSpansDaysOrMonths() throws Exception {
        String token = api.registerAndLogin("stored-check@example.org");
        Http.Response device =
                http.post(
                        "/api/v2/biometric/devices",
                        token,
                        "{\"device_type\":\"oura\",\"device_id\":\"ring-stored\",\"data_types\":[\"heart_rate\"]}");
        assertEquals(201, device.status(), device.body());
        int id = device.json().get("id").asInt();
        int user = ApiFixture.userId(token);
        javax.sql.DataSource ds = api.dataSource();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        // stored: every fifth hour of three days, and the first minute of each of four months
        java.util.Set<Instant> stored = new java.util.HashSet<>();
        for (int h = 0; h < 72; h += 5) {
            stored.add(t0.plusSeconds(3_600L * h));
        }
        for (int m = 0; m < 4; m++) {
            stored.add(t0.plus(Duration.ofDays(40L * m + 100)));
        }
        // the first batch's last minute (an edge a range scan must include), and a second no
        // batch holds, between its minutes
        stored.add(t0.plus(Duration.ofMinutes(3 * 1_440 - 1)));
        stored.add(t0.plusSeconds(30));
        try (var c = ds.getConnection();
                var ps =
                        c.prepareStatement(
                                "INSERT INTO biometric_readings (user_id, device_id, data_type, value, unit, \"timestamp\") "
                                        + "VALUES (?, ?, 'heart_rate', 70, 'bpm', ?::timestamptz)")) {
            for (Instant t : stored) {
                ps.setInt(1, user);
                ps.setInt(2, id);
                ps.setString(3, t.toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        var repository = new io.chakrai.api.imports.ImportRepository(ds);
        // three days a minute apart, then four months a day apart
        for (var span : java.util.List.of(Duration.ofMinutes(1), Duration.ofDays(1))) {
            java.util.List<io.chakrai.models.readings.BiometricReading> batch =
                    new java.util.ArrayList<>();
            boolean days = span.equals(Duration.ofDays(1));
            Instant from = days ? t0.plus(Duration.ofDays(90)) : t0;
            Instant to = from.plus(span.multipliedBy(days ? 131 : 3 * 1_440));
            for (Instant t = from; t.isBefore(to); t = t.plus(span)) {
                batch.add(
                        new io.chakrai.models.readings.BiometricReading(
                                user, id, "heart_rate", 70, "bpm", 1, 0.9, t, null));
            }
            java.util.BitSet found = repository.stored(batch);
            java.util.BitSet expected = new java.util.BitSet();
            for (int i = 0; i < batch.size(); i++) {
                if (stored.contains(batch.get(i).timestamp())) {
                    expected.set(i);
                }
            }
            assertTrue(expected.cardinality() >= 4, "the batch meets stored rows: " + expected);
            assertEquals(expected, found, "stored rows of a batch a " + span + " apart");
        }
    }

    /** What the reader finds in the file, read here on its own. */
    private static long samples(Path file, String name, ImportFormat format, java.time.ZoneId zone)
            throws Exception {
        return samples(file, name, format, zone, (type, at) -> {});
    }

    private static long samples(
            Path file,
            String name,
            ImportFormat format,
            java.time.ZoneId zone,
            java.util.function.BiConsumer<DataType, Instant> each)
            throws Exception {
        long[] n = {0};
        ExportReader.read(
                file,
                name,
                format,
                zone,
                new ImportSink() {
                    @Override
                    public void sample(String source, DataType type, double value, Instant at) {
                        n[0]++;
                        each.accept(type, at);
                    }

                    @Override
                    public void skip(String reason) {}
                },
                p -> {});
        return n[0];
    }

    /** The import once it has ended, read whole: done. */
    private JsonNode finished(String token, long id) {
        JsonNode ended = ended(token, id);
        assertEquals("done", ended.get("status").asText(), ended.toString());
        return ended;
    }

    /** The import once it has ended, done or failed. */
    private JsonNode ended(String token, long id) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> http.get("/api/v2/biometric/imports/" + id, token).json(),
                        i ->
                                i.get("status").asText().equals("done")
                                        || i.get("status").asText().equals("failed"));
    }

    @Test
    void aChunkSentTwiceAtOnceIsTakenOnceAndAnUploadCanBeCancelled() throws Exception {
        String token = api.registerAndLogin("retrier@example.org");
        Path export = dir.resolve("oura.zip");
        SampleExport.write(ImportFormat.OURA, export, 4, Instant.now().minusSeconds(7_200), 2);
        byte[] all = Files.readAllBytes(export);
        long id =
                http.post(
                                "/api/v2/biometric/imports",
                                token,
                                "{\"file_name\":\"oura.zip\",\"size_bytes\":" + all.length + "}")
                        .json()
                        .get("id")
                        .asLong();
        // a client that timed out sends the same chunk again while the first is still arriving
        HttpRequest chunk =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://localhost:"
                                                + api.server.port()
                                                + "/api/v2/biometric/imports/"
                                                + id
                                                + "/content?offset=0"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(all))
                        .build();
        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> http.send(chunk));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> http.send(chunk));
        java.util.List<Integer> statuses =
                java.util.stream.Stream.of(a.get(), b.get())
                        .map(Http.Response::status)
                        .sorted()
                        .toList();
        assertEquals(200, statuses.get(0), statuses.toString());
        assertEquals(
                409, statuses.get(1), "the second copy is refused, never interleaved: " + statuses);
        finished(token, id);

        long open =
                http.post(
                                "/api/v2/biometric/imports",
                                token,
                                "{\"file_name\":\"big.zip\",\"size_bytes\":1000000}")
                        .json()
                        .get("id")
                        .asLong();
        Http.Response cancelled =
                http.send("DELETE", "/api/v2/biometric/imports/" + open, token, null);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("cancelled", cancelled.json().get("error").asText());
        assertEquals(
                409,
                http.send("DELETE", "/api/v2/biometric/imports/" + open, token, null).status());
        assertEquals(
                201,
                http.post(
                                "/api/v2/biometric/imports",
                                token,
                                "{\"file_name\":\"c.zip\",\"size_bytes\":10}")
                        .status(),
                "a cancelled upload frees the person to start another");
    }

    @Test
    void aHostileArchiveFailsNamingWhyAndOneImportAtATime() throws Exception {
        String token = api.registerAndLogin("hostile@example.org");
        Path zip = dir.resolve("traversal.zip");
        try (OutputStream os = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("../../etc/cron.d/evil"));
            z.write("* * * * * root true".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Http.Response first =
                http.post(
                        "/api/v2/biometric/imports",
                        token,
                        "{\"file_name\":\"a.zip\",\"size_bytes\":" + Files.size(zip) + "}");
        Http.Response second =
                http.post(
                        "/api/v2/biometric/imports",
                        token,
                        "{\"file_name\":\"b.zip\",\"size_bytes\":10}");
        assertEquals(409, second.status(), "one import at a time: " + second.body());
        long id = first.json().get("id").asLong();
        Http.Response r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://localhost:"
                                                        + api.server.port()
                                                        + "/api/v2/biometric/imports/"
                                                        + id
                                                        + "/content?offset=0"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofFile(zip))
                                .build());
        assertEquals(200, r.status(), r.body());
        JsonNode ended = ended(token, id);
        assertEquals("failed", ended.get("status").asText(), ended.toString());
        assertTrue(ended.get("error").asText().contains("unsafe name"), ended.toString());
        assertEquals(0, ended.get("accepted").asLong());
        // the refused import is finished: the person may start another
        assertEquals(
                201,
                http.post(
                                "/api/v2/biometric/imports",
                                token,
                                "{\"file_name\":\"c.zip\",\"size_bytes\":10}")
                        .status());
    }
}
