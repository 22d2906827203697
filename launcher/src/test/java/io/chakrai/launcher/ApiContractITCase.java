package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.client.ApiClient;
import io.chakrai.client.ApiException;
import io.chakrai.client.api.AssessmentsApi;
import io.chakrai.client.api.AuthApi;
import io.chakrai.client.api.ContentApi;
import io.chakrai.client.api.DevicesApi;
import io.chakrai.client.api.GroupsApi;
import io.chakrai.client.api.ImportsApi;
import io.chakrai.client.api.PredictionsApi;
import io.chakrai.client.api.PrivacyApi;
import io.chakrai.client.api.ReadingsApi;
import io.chakrai.client.model.AssessRequest;
import io.chakrai.client.model.AssessmentResult;
import io.chakrai.client.model.Content;
import io.chakrai.client.model.ContentRequest;
import io.chakrai.client.model.CurrentRisk;
import io.chakrai.client.model.Device;
import io.chakrai.client.model.FindGroupRequest;
import io.chakrai.client.model.GroupMatch;
import io.chakrai.client.model.JoinGroupRequest;
import io.chakrai.client.model.MessagesPage;
import io.chakrai.client.model.ModelImport;
import io.chakrai.client.model.NewDevice;
import io.chakrai.client.model.NewReading;
import io.chakrai.client.model.PostMessageRequest;
import io.chakrai.client.model.PostedMessage;
import io.chakrai.client.model.PredictionList;
import io.chakrai.client.model.ReadingsPage;
import io.chakrai.client.model.RegisterRequest;
import io.chakrai.client.model.SetConsentRequest;
import io.chakrai.client.model.SignInRequest;
import io.chakrai.client.model.StartImportRequest;
import io.chakrai.client.model.Tokens;
import io.chakrai.lab.bench.ApiFuzzer;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The API against its own description on the whole stack: an app's session written only with the
 * Java client generated from {@code api/openapi.json} (every answer typed, no hand-written JSON),
 * then a bounded run of the OpenAPI-driven fuzzer ({@code ./chakrai fuzz-api} runs longer): no 5xx,
 * no 2xx for input that breaks the schema, every answer within its route's declared response, and
 * afterwards every job still RUNNING with nothing restarted.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiContractITCase {
    @TempDir static Path data;
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(data);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void anAppWrittenOnlyWithTheGeneratedClientRunsAWholeSession() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(stack.apiUrl());
        AuthApi auth = new AuthApi(client);
        String email = "generated-client@example.org";
        assertEquals(
                email,
                auth.register(new RegisterRequest().email(email).password("a long password here"))
                        .getEmail());
        Tokens tokens =
                auth.signIn(new SignInRequest().email(email).password("a long password here"));
        assertEquals(Tokens.TokenTypeEnum.BEARER, tokens.getTokenType());
        client.setRequestInterceptor(
                b -> b.header("Authorization", "Bearer " + tokens.getAccessToken()));

        Device device =
                new DevicesApi(client)
                        .registerDevice(
                                new NewDevice()
                                        .deviceType(NewDevice.DeviceTypeEnum.OURA)
                                        .deviceId("RING-CLIENT-1")
                                        .addDataTypesItem(NewDevice.DataTypesEnum.HEART_RATE)
                                        .addDataTypesItem(NewDevice.DataTypesEnum.HRV));
        assertTrue(device.getIsActive());

        ReadingsApi readings = new ReadingsApi(client);
        OffsetDateTime start =
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
        List<NewReading> batch = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            batch.add(
                    new NewReading()
                            .deviceId(device.getId())
                            .dataType(NewReading.DataTypeEnum.HEART_RATE)
                            .value(BigDecimal.valueOf(60 + i % 7))
                            .timestamp(start.plusSeconds(30L * i)));
        }
        assertEquals(120, readings.sendReadings(batch).getAccepted());
        // durable in Kafka at 202; in PostgreSQL once the ingestion job has written them
        ReadingsPage page =
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () ->
                                        readings.listReadings(
                                                "heart_rate", null, null, null, 200, null),
                                p -> p.getReadings().size() == 120);
        assertEquals(
                start.plusSeconds(30L * 119).toInstant(),
                page.getReadings().get(0).getTimestamp().toInstant());
        assertEquals("bpm", page.getReadings().get(0).getUnit());

        // a reading the API refuses: the error envelope, typed as well
        ApiException refused =
                assertThrows(
                        ApiException.class,
                        () ->
                                readings.sendReadings(
                                        List.of(
                                                new NewReading()
                                                        .deviceId(device.getId())
                                                        .dataType(
                                                                NewReading.DataTypeEnum.HEART_RATE)
                                                        .value(BigDecimal.valueOf(900))
                                                        .timestamp(start))));
        assertEquals(400, refused.getCode());
        io.chakrai.client.model.Error error =
                new ObjectMapper()
                        .readValue(refused.getResponseBody(), io.chakrai.client.model.Error.class);
        assertTrue(error.getError().getMessage().contains("value"), error.toString());

        PredictionList predictions =
                new PredictionsApi(client).listPredictions(null, null, null, 10);
        assertNotNull(predictions.getPredictions());

        AssessmentsApi assessments = new AssessmentsApi(client);
        AssessmentResult assessed =
                assessments.assess(
                        new AssessRequest()
                                .phq9(List.of(1, 1, 0, 1, 0, 0, 1, 0, 0))
                                .gad7(List.of(1, 0, 1, 0, 0, 1, 0)));
        assertEquals(4, assessed.getPhq9().getTotal());
        CurrentRisk risk = assessments.currentRisk();
        assertEquals(assessed.getId(), risk.getAssessment().getId());
        assertFalse(risk.getStale());

        new PrivacyApi(client)
                .setConsent(
                        new SetConsentRequest()
                                .kind(SetConsentRequest.KindEnum.GROUPS)
                                .granted(true));
        GroupsApi groups = new GroupsApi(client);
        GroupMatch match =
                groups.findGroup(
                        new FindGroupRequest()
                                .sessionType(FindGroupRequest.SessionTypeEnum.SLEEP_IMPROVEMENT)
                                .addTherapeuticGoalsItem("fall asleep without racing thoughts"));
        assertTrue(match.getPlaced());
        int group = match.getGroup().getId();
        if (!Boolean.TRUE.equals(match.getJoined())) {
            groups.joinGroup(group, new JoinGroupRequest());
        }
        PostedMessage posted =
                groups.postMessage(
                        group,
                        new PostMessageRequest().content("the breathing before bed helped a bit"));
        assertNull(posted.getCrisisSupport());
        MessagesPage messages = groups.listMessages(group, 10, null);
        assertTrue(
                messages.getMessages().stream()
                        .anyMatch(
                                m ->
                                        m.getId().equals(posted.getId())
                                                && m.getAnonymousId()
                                                        .equals(posted.getAnonymousId())),
                messages.toString());

        Content meditation =
                new ContentApi(client)
                        .generateMeditation(
                                new ContentRequest()
                                        .focus("sleep before exams")
                                        .durationMinutes(10));
        assertEquals(Content.ContentTypeEnum.MEDITATION, meditation.getContentType());
        assertFalse(meditation.getContent().isBlank());

        File export = new PrivacyApi(client).exportMyData();
        try (ZipFile zip = new ZipFile(export)) {
            assertNotNull(zip.getEntry("manifest.json"));
            assertNotNull(zip.getEntry("readings.csv"));
        } finally {
            export.delete();
        }
    }

    /** A person's own client, signed in as a new account. */
    static ApiClient signedIn(String email) throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(stack.apiUrl());
        AuthApi auth = new AuthApi(client);
        auth.register(new RegisterRequest().email(email).password("a long password here"));
        String token =
                auth.signIn(new SignInRequest().email(email).password("a long password here"))
                        .getAccessToken();
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        return client;
    }

    /**
     * Sends one chunk. The generated Java client ("native" library) serialises a binary body as
     * JSON, a known generator bug (OpenAPITools/openapi-generator#17801), so the chunk goes as raw
     * bytes with the JDK's client; the description (octet-stream, string/binary) is right, and the
     * answer is read with the generated model.
     */
    static ModelImport sendChunk(ApiClient client, long id, long offset, byte[] bytes)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create(
                                        stack.apiUrl()
                                                + "/api/v2/biometric/imports/"
                                                + id
                                                + "/content?offset="
                                                + offset))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        client.getRequestInterceptor().accept(b);
        HttpResponse<String> r =
                HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new ApiException(
                    r.statusCode(),
                    "chunk refused: " + r.statusCode() + " " + r.body(),
                    r.headers(),
                    r.body());
        }
        return client.getObjectMapper().readValue(r.body(), ModelImport.class);
    }

    /** Uploads {@code file} in chunks of {@code chunk} bytes, resuming where the server stands. */
    static ModelImport upload(ApiClient client, Path file, int chunk) throws Exception {
        ImportsApi imports = new ImportsApi(client);
        byte[] all = java.nio.file.Files.readAllBytes(file);
        ModelImport started =
                imports.startImport(
                        new StartImportRequest()
                                .fileName("export.zip")
                                .sizeBytes((long) all.length));
        assertEquals(ModelImport.StatusEnum.UPLOADING, started.getStatus());
        long offset = 0;
        while (offset < all.length) {
            int n = (int) Math.min(chunk, all.length - offset);
            offset =
                    sendChunk(
                                    client,
                                    started.getId(),
                                    offset,
                                    java.util.Arrays.copyOfRange(
                                            all, (int) offset, (int) offset + n))
                            .getReceivedBytes();
        }
        // a chunk sent again for an offset already passed is refused, naming where the server
        // stands
        ApiException again =
                assertThrows(
                        ApiException.class,
                        () -> sendChunk(client, started.getId(), 0, new byte[] {1}));
        assertEquals(409, again.getCode());
        long id = started.getId();
        return await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> imports.getImport(id),
                        i ->
                                i.getStatus() == ModelImport.StatusEnum.DONE
                                        || i.getStatus() == ModelImport.StatusEnum.FAILED);
    }

    @Test
    @Order(2)
    void anAppleHealthExportUploadedInChunksIsStoredOnceAndAReimportStoresNothingTwice()
            throws Exception {
        ApiClient client = signedIn("importer@example.org");
        ImportsApi imports = new ImportsApi(client);
        Path export = data.resolve("apple-export.zip");
        io.chakrai.models.imports.SampleExport.write(
                io.chakrai.models.imports.ImportFormat.APPLE_HEALTH,
                export,
                11,
                java.time.Instant.now().minus(Duration.ofHours(1)),
                1);

        ModelImport first = upload(client, export, 16 * 1024);
        assertEquals(
                ModelImport.StatusEnum.DONE, first.getStatus(), String.valueOf(first.getError()));
        assertEquals(ModelImport.FormatEnum.APPLE_HEALTH, first.getFormat());
        assertTrue(first.getAccepted() > 1_440, first.toString());
        assertEquals(0L, first.getDuplicates(), first.toString());

        Device watch = new DevicesApi(client).listDevices().getDevices().get(0);
        assertEquals("Apple Watch (imported)", watch.getDeviceName());
        ReadingsApi readings = new ReadingsApi(client);
        // the day's heart rate, a reading a minute, reaches PostgreSQL through Kafka and the
        // ingestion job
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count(readings, "heart_rate", watch.getId()) == 1_440);
        // and every other type: the re-import below must find all of them stored
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count(readings, null, watch.getId()) == first.getAccepted());
        assertTrue(count(readings, "hrv_sdnn", watch.getId()) > 200, "SDNN is stored as SDNN");

        ModelImport second = upload(client, export, 64 * 1024);
        assertEquals(ModelImport.StatusEnum.DONE, second.getStatus());
        assertEquals(0L, second.getAccepted(), second.toString());
        assertEquals(first.getAccepted(), second.getDuplicates(), second.toString());
        assertEquals(1_440, count(readings, "heart_rate", watch.getId()));
        assertEquals(2, imports.listImports(10).getImports().size());

        // a hostile file: refused with a clear error, nothing stored, the person's next import
        // still possible
        StringBuilder laughs =
                new StringBuilder(
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY a \"aaaaaaaaaa\">\n");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY a")
                    .append(i)
                    .append(" \"")
                    .append(("&a" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">\n");
        }
        laughs.append(
                "]>\n<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&a9;\"/></HealthData>\n");
        Path bomb = data.resolve("export.xml");
        java.nio.file.Files.writeString(bomb, laughs);
        ModelImport refused = upload(client, bomb, 1 << 20);
        assertEquals(ModelImport.StatusEnum.FAILED, refused.getStatus());
        assertTrue(refused.getError().contains("entities are not accepted"), refused.getError());
        assertEquals(0L, refused.getAccepted());
        assertEquals(1_440, count(readings, "heart_rate", watch.getId()));
    }

    /** How many readings of a type one device has stored, page by page. */
    static int count(ReadingsApi readings, String type, int device) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            ReadingsPage page = readings.listReadings(type, device, null, null, 1_000, cursor);
            n += page.getReadings().size();
            cursor = page.getNextCursor();
        } while (cursor != null);
        return n;
    }

    @Test
    @Order(3)
    void thousandsOfTypedMutationsOfEveryRouteGetNo5xxStayWithinTheDescriptionAndStopNoJob()
            throws Exception {
        ApiFuzzer.Result r = ApiFuzzer.run(stack.apiUrl(), 3_000, Duration.ofSeconds(150), 7);
        LoggerFactory.getLogger(ApiContractITCase.class).info("fuzz: {}", r.summary());
        assertTrue(r.sent() >= 1_000, r.summary());
        assertEquals(List.of(), r.findings(), r.summary());
        assertTrue(
                r.statuses().keySet().stream().anyMatch(s -> s >= 200 && s < 300),
                "some requests were valid: " + r.summary());
        assertTrue(r.statuses().getOrDefault(400, 0) > r.sent() / 4, r.summary());
        // the pipeline behind: every job RUNNING, checkpointing, read up, and none restarted
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/health").statusCode() == 200);
        String metrics = get("/metrics").body();
        for (String job :
                new String[] {"chakrai-ingestion", "chakrai-analytics", "chakrai-group-dynamics"}) {
            assertTrue(
                    metrics.contains("chakrai_pipeline_job_restarts{job=\"" + job + "\"} 0.0"),
                    job + " restarted:\n" + metrics);
        }
    }
}
