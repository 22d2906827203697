package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.lab.bench.ScriptedDay;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.simulation.Activity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Stress episodes through the whole system: API → Kafka → Flink (both jobs) → PostgreSQL and
 * WebSocket.
 */
class StressEndToEndITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALL_TYPES =
            "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]";
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

    /** A WebSocket client collecting the server's events. */
    static final class Socket implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final StringBuilder buf = new StringBuilder();
        WebSocket ws;

        static Socket open(String token, String since) throws Exception {
            Socket s = new Socket();
            s.ws =
                    HttpClient.newHttpClient()
                            .newWebSocketBuilder()
                            .buildAsync(
                                    URI.create(
                                            stack.apiUrl().replace("http", "ws")
                                                    + "/api/v2/ws?token="
                                                    + token
                                                    + (since == null ? "" : "&since=" + since)),
                                    s)
                            .get(10, TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence d, boolean last) {
            buf.append(d);
            if (last) {
                try {
                    events.add(JSON.readTree(buf.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                buf.setLength(0);
            }
            w.request(1);
            return CompletableFuture.completedFuture(null);
        }

        /** The next event of a type, skipping others, or null after the wait. */
        JsonNode next(String type, Duration wait) throws InterruptedException {
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (System.currentTimeMillis() < deadline) {
                JsonNode e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && type.equals(e.path("type").asText())) {
                    return e;
                }
            }
            return null;
        }
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

    static int userId(String token) throws Exception {
        return api.call("GET", "/api/v2/biometric/devices", token, null).status() == 200
                ? ApiClient.userId(token)
                : -1;
    }

    @Test
    void aStressPeriodReachesOnlyItsOwnersSocketAndExerciseRaisesNothing() throws Exception {
        String alice = api.login("alice@stress.test", "alice's long password");
        String bob = api.login("bob@stress.test", "bob's long password!!");
        int aliceDevice = api.device(alice, "apple_watch", "AW-A", ALL_TYPES);
        int bobDevice = api.device(bob, "garmin", "G-B", ALL_TYPES);
        int aliceId = userId(alice);
        int bobId = userId(bob);
        Socket aliceSocket = Socket.open(alice, null);
        Socket bobSocket = Socket.open(bob, null);
        Instant start = Instant.now().minus(76, ChronoUnit.MINUTES);

        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                alice,
                                ScriptedDay.json(aliceDevice, 1, start, 60, Activity.STRESS, 10, 5))
                        .status());
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                bob,
                                ScriptedDay.json(bobDevice, 2, start, 60, Activity.EXERCISE, 10, 5))
                        .status());

        JsonNode prediction = aliceSocket.next("stress_prediction", Duration.ofSeconds(60));
        assertTrue(prediction != null, "alice's socket got no stress_prediction");
        assertTrue(prediction.at("/prediction/level").asInt() >= 50);
        assertTrue(prediction.at("/prediction/confidence").asDouble() > 0);
        assertEquals(0, prediction.at("/prediction/timeToOnset").asInt());
        assertTrue(prediction.at("/prediction/recommendations/0").asText().contains("4-7-8"));
        JsonNode intervention = aliceSocket.next("intervention_trigger", Duration.ofSeconds(10));
        assertTrue(
                intervention != null
                        && !intervention.at("/intervention/content").asText().isEmpty());
        assertTrue(
                List.of("low", "medium", "high")
                        .contains(intervention.at("/intervention/urgency").asText()));
        assertEquals(
                null,
                bobSocket.next("stress_prediction", Duration.ofSeconds(5)),
                "bob's exercise is not stress");

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                count(
                                                "SELECT count(*) FROM health_predictions WHERE user_id = "
                                                        + aliceId)
                                        == 1);
        assertEquals(0, count("SELECT count(*) FROM health_predictions WHERE user_id = " + bobId));

        JsonNode mine =
                api.call("GET", "/api/v2/biometric/predictions?type=stress_episode", alice, null)
                        .body();
        assertEquals(1, mine.get("predictions").size());
        assertFalse(mine.at("/predictions/0").has("user_id"));
        assertEquals(
                0,
                api.call("GET", "/api/v2/biometric/predictions", bob, null)
                        .body()
                        .get("predictions")
                        .size());
        assertEquals(
                400,
                api.call("GET", "/api/v2/biometric/predictions?type=bad_mood", alice, null)
                        .status());

        JsonNode interventions =
                api.call("GET", "/api/v2/biometric/interventions", alice, null).body();
        assertEquals(1, interventions.get("interventions").size());
        long interventionId = interventions.at("/interventions/0/id").asLong();
        String respond =
                "{\"intervention_id\":"
                        + interventionId
                        + ",\"response\":\"accepted\",\"helpful\":4}";
        assertEquals(
                404,
                api.call("POST", "/api/v2/biometric/interventions/respond", bob, respond).status());
        assertEquals(
                400,
                api.call(
                                "POST",
                                "/api/v2/biometric/interventions/respond",
                                alice,
                                "{\"intervention_id\":" + interventionId + ",\"helpful\":9}")
                        .status());
        ApiClient.Reply ok =
                api.call("POST", "/api/v2/biometric/interventions/respond", alice, respond);
        assertEquals(200, ok.status(), ok.body().toString());
        assertEquals("accepted", ok.body().get("status").asText());
        assertEquals(4, ok.body().get("helpful_rating").asInt());

        JsonNode analysis =
                api.call(
                                "GET",
                                "/api/v2/biometric/analysis?from=" + start.minusSeconds(60),
                                alice,
                                null)
                        .body();
        assertEquals(1, analysis.get("stress_episodes").size());
        assertTrue(
                analysis.at("/days/0/resting_heart_rate_bpm").asDouble() > 40, analysis.toString());
        assertTrue(analysis.get("time_in_stress_minutes").asLong() >= 3);

        // a client that reconnects asks for what it missed
        Socket again = Socket.open(alice, start.toString());
        JsonNode replayed = again.next("stress_prediction", Duration.ofSeconds(10));
        assertTrue(replayed != null && replayed.get("replay").asBoolean());
        assertEquals(
                prediction.get("prediction_time").asText(),
                replayed.get("prediction_time").asText());
        assertEquals(
                null,
                Socket.open(bob, start.toString())
                        .next("stress_prediction", Duration.ofSeconds(2)));
    }

    /**
     * The same stress period uploaded three days late (a phone that was off, an import) is found,
     * stored and listed, but offers nothing: nobody is helped by an intervention for last week.
     */
    @Test
    void aStressPeriodThatArrivesDaysLateIsStoredButOffersNoIntervention() throws Exception {
        String dora = api.login("dora@stress.test", "dora's long password!!");
        int device = api.device(dora, "oura", "OR-D", ALL_TYPES);
        int doraId = userId(dora);
        Instant start = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                dora,
                                ScriptedDay.json(device, 1, start, 60, Activity.STRESS, 10, 5))
                        .status());
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                count(
                                                "SELECT count(*) FROM health_predictions WHERE user_id = "
                                                        + doraId
                                                        + " AND prediction_type = 'stress_episode'")
                                        == 1);
        JsonNode mine =
                api.call("GET", "/api/v2/biometric/predictions?type=stress_episode", dora, null)
                        .body();
        assertEquals(1, mine.get("predictions").size(), mine.toString());
        assertFalse(mine.at("/predictions/0/intervention_triggered").asBoolean(), mine.toString());
        assertEquals(
                0,
                api.call("GET", "/api/v2/biometric/interventions", dora, null)
                        .body()
                        .get("interventions")
                        .size());
        assertEquals(0, count("SELECT count(*) FROM interventions WHERE user_id = " + doraId));
    }

    /**
     * Headless Chromium from Debian's packages (CI installs them; elsewhere the test is skipped
     * without them).
     */
    static WebDriver browser() {
        Path chromium = Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(driver);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(
                    "CI must install chromium and chromium-driver (.ci/run)");
        }
        Assumptions.assumeTrue(
                installed, "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1400");
        return new ChromeDriver(
                new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(),
                options);
    }

    static void signIn(WebDriver b, String email, String password) {
        b.get(stack.apiUrl() + "/dashboard");
        b.findElement(By.id("email")).sendKeys(email);
        b.findElement(By.id("password")).sendKeys(password);
        b.findElement(By.id("login-button")).click();
    }

    /**
     * /docs in a real browser: Swagger UI renders every operation of the typed description, grouped
     * by area.
     */
    @Test
    void theDocsPageRendersEveryOperationOfTheDescription() throws Exception {
        JsonNode doc =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(
                                java.net.http.HttpClient.newHttpClient()
                                        .send(
                                                java.net.http.HttpRequest.newBuilder(
                                                                java.net.URI.create(
                                                                        stack.apiUrl()
                                                                                + "/openapi.json"))
                                                        .build(),
                                                java.net.http.HttpResponse.BodyHandlers.ofString())
                                        .body());
        int operations = 0;
        for (JsonNode path : doc.path("paths")) {
            operations += path.size();
        }
        WebDriver b = browser();
        try {
            b.get(stack.apiUrl() + "/docs");
            int expected = operations;
            new WebDriverWait(b, Duration.ofSeconds(30))
                    .until(x -> x.findElements(By.cssSelector(".opblock")).size() == expected);
            assertEquals(
                    doc.path("tags").size(), b.findElements(By.cssSelector(".opblock-tag")).size());
            assertTrue(
                    b.findElements(By.cssSelector(".errors-wrapper")).isEmpty(),
                    "Swagger UI reports errors in the description");
        } finally {
            b.quit();
        }
    }

    /**
     * "Your history" in a real browser: an Apple Health export chosen, uploaded, read, and its days
     * drawn.
     */
    @Test
    void aPersonImportsAnAppleHealthExportAndSeesTheirDays() throws Exception {
        api.login("gil@import.test", "gil's long password!");
        Path export = Files.createTempFile("export", ".zip");
        io.chakrai.models.imports.SampleExport.write(
                io.chakrai.models.imports.ImportFormat.APPLE_HEALTH,
                export,
                21,
                java.time.Instant.now().minus(Duration.ofHours(2)),
                3);
        WebDriver b = browser();
        try {
            signIn(b, "gil@import.test", "gil's long password!");
            WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(90));
            wait.until(x -> x.findElement(By.id("history")).isDisplayed());
            b.findElement(By.id("import-file")).sendKeys(export.toAbsolutePath().toString());
            b.findElement(By.id("import-button")).click();
            wait.until(x -> x.findElement(By.id("import-status")).getText().startsWith("done"));
            assertTrue(
                    b.findElement(By.id("import-status")).getText().contains("readings added"),
                    b.findElement(By.id("import-status")).getText());
            // three days and the part-days at either end, drawn once the readings are stored
            wait.until(
                    x ->
                            Integer.parseInt(
                                            x.findElement(By.id("history-chart"))
                                                    .getAttribute("data-days"))
                                    >= 3);
            Path shot = Path.of("target", "history.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
        } finally {
            b.quit();
            Files.deleteIfExists(export);
        }
    }

    /**
     * The "for you" panel in a real browser: a practice written from the person's data, started,
     * done, rated.
     */
    @Test
    void aPersonGetsAPracticeStartsItFinishesItAndRatesIt() throws Exception {
        String fin = api.login("fin@content.test", "fin's long password");
        WebDriver b = browser();
        try {
            signIn(b, "fin@content.test", "fin's long password");
            WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(30));
            wait.until(x -> x.findElement(By.id("foryou")).isDisplayed());
            b.findElement(By.id("content-focus")).sendKeys("sleep before exams");
            b.findElement(By.id("content-button")).click();
            wait.until(
                    x ->
                            x.findElement(By.id("content-text"))
                                    .getText()
                                    .contains("Guided attention"));
            assertTrue(
                    b.findElement(By.id("content-why")).getText().contains("About 10 min"),
                    b.findElement(By.id("content-why")).getText());
            b.findElement(By.id("content-start")).click();
            wait.until(x -> x.findElement(By.id("content-done")).isEnabled());
            b.findElement(By.id("content-done")).click();
            wait.until(x -> x.findElement(By.id("content-status")).getText().contains("measured"));
            new org.openqa.selenium.support.ui.Select(b.findElement(By.id("content-rating")))
                    .selectByVisibleText("5");
            wait.until(x -> x.findElement(By.id("content-status")).getText().contains("thank you"));
            JsonNode library =
                    api.call("GET", "/api/v2/content/library", fin, null).body().path("content");
            assertEquals(1, library.size(), library.toString());
            assertEquals(
                    5.0,
                    library.get(0).path("mean_rating").asDouble(),
                    1e-9,
                    "the rating reached the session");
            Path shot = Path.of("target", "foryou.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
        } finally {
            b.quit();
        }
    }

    /** Two people in two browsers: one finds a group, the other joins it, and they talk live. */
    @Test
    void twoPeopleInTwoBrowsersFindAGroupAndTalkLive() throws Exception {
        String dana = api.login("dana@groups.test", "dana's long password");
        String eli = api.login("eli@groups.test", "eli's long password");
        for (String t : new String[] {dana, eli}) {
            assertEquals(
                    200,
                    api.call(
                                    "PUT",
                                    "/api/v2/me/consents",
                                    t,
                                    "{\"kind\":\"groups\",\"granted\":true}")
                            .status());
        }
        WebDriver first = browser();
        WebDriver second = browser();
        try {
            signIn(first, "dana@groups.test", "dana's long password");
            WebDriverWait wait1 = new WebDriverWait(first, Duration.ofSeconds(30));
            wait1.until(b -> b.findElement(By.id("groups")).isDisplayed());
            new org.openqa.selenium.support.ui.Select(first.findElement(By.id("session-type")))
                    .selectByValue("mindfulness_practice");
            first.findElement(By.id("goal"))
                    .sendKeys("learn to notice my breath when work gets busy");
            first.findElement(By.id("match-button")).click();
            wait1.until(b -> b.findElements(By.cssSelector("#group-list button")).size() == 1);
            int group =
                    Integer.parseInt(
                            first.findElement(By.cssSelector("#group-list button"))
                                    .getDomAttribute("data-group-id"));
            assertEquals(
                    201,
                    api.call("POST", "/api/v2/therapy/groups/" + group + "/join", eli, "{}")
                            .status());

            signIn(second, "eli@groups.test", "eli's long password");
            WebDriverWait wait2 = new WebDriverWait(second, Duration.ofSeconds(30));
            wait2.until(b -> b.findElements(By.cssSelector("#group-list button")).size() == 1);

            first.findElement(By.id("message"))
                    .sendKeys("Hello from the first browser, breathing helped today");
            first.findElement(By.id("send-button")).click();
            wait2.until(
                    b ->
                            b.findElement(By.id("chat"))
                                    .getText()
                                    .contains("Hello from the first browser"));
            second.findElement(By.id("message")).sendKeys("Good to hear, I will try it tonight");
            second.findElement(By.id("send-button")).click();
            wait1.until(
                    b -> b.findElement(By.id("chat")).getText().contains("I will try it tonight"));
            assertFalse(
                    first.findElement(By.id("chat")).getText().contains("@groups.test"),
                    "pseudonyms only");

            // crisis language never reaches the other browser; its writer sees help at once
            second.findElement(By.id("message")).sendKeys("honestly I want to kill myself");
            second.findElement(By.id("send-button")).click();
            wait2.until(b -> b.findElement(By.id("crisis")).isDisplayed());
            assertTrue(second.findElement(By.id("crisis")).getText().contains("emergency"));
            first.findElement(By.id("message")).sendKeys("anyone else around?");
            first.findElement(By.id("send-button")).click();
            wait2.until(
                    b -> b.findElement(By.id("chat")).getText().contains("anyone else around?"));
            assertFalse(first.findElement(By.id("chat")).getText().contains("kill myself"));
            wait1.until(
                    b ->
                            Integer.parseInt(
                                            b.findElement(By.id("mood"))
                                                    .getDomAttribute("data-windows"))
                                    >= 0);
            Path shot = Path.of("target", "groups.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) first).getScreenshotAs(OutputType.BYTES));
        } finally {
            first.quit();
            second.quit();
        }
    }

    @Test
    void theDashboardDrawsLiveHeartRateAndMarksAnEpisodeInARealBrowser() throws Exception {

        String carol = api.login("carol@stress.test", "carol's long password");
        int device = api.device(carol, "oura", "RING-C", ALL_TYPES);
        Instant start = Instant.now().minus(80, ChronoUnit.MINUTES);
        // an hour of calm first: the chart has points and the person a baseline
        assertEquals(
                202,
                api.call(
                                "POST",
                                "/api/v2/biometric/readings",
                                carol,
                                ScriptedDay.json(device, 3, start, 60, Activity.REST, 0, 0))
                        .status());

        // a check-in with moderate depressive symptoms and thoughts of self-harm: escalated, shown
        // with support
        assertEquals(
                201,
                api.call(
                                "POST",
                                "/api/v2/prediction/assess",
                                carol,
                                "{\"phq9\":[2,2,1,1,1,1,1,1,1]}")
                        .status());

        WebDriver browser = browser();
        try {
            browser.get(stack.apiUrl() + "/dashboard");
            browser.findElement(By.id("email")).sendKeys("carol@stress.test");
            browser.findElement(By.id("password")).sendKeys("carol's long password");
            browser.findElement(By.id("login-button")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(
                    b ->
                            Integer.parseInt(
                                            b.findElement(By.id("chart"))
                                                    .getDomAttribute("data-hr-points"))
                                    > 100);
            assertEquals("0", browser.findElement(By.id("chart")).getDomAttribute("data-episodes"));
            assertEquals("high", browser.findElement(By.id("risk-level")).getText());
            assertTrue(
                    browser.findElement(By.id("risk-factors"))
                            .getText()
                            .contains("thoughts of self-harm"));
            assertTrue(
                    browser.findElement(By.id("risk-support"))
                            .getText()
                            .contains("emergency number"));
            // the check-in's bar; a daily assessment's may stand beside it when the readings
            // (from 80 minutes ago) cross midnight UTC and the risk job closes that day
            List<String> bars =
                    browser.findElements(By.cssSelector("#risk-history div")).stream()
                            .map(b -> b.getDomAttribute("title"))
                            .toList();
            assertTrue(
                    bars.size() <= 2 && bars.stream().anyMatch(t -> t.contains(": high (")),
                    bars.toString());

            // the simulated person then has a stress period, streamed in over the last 20 minutes
            String rest =
                    ScriptedDay.json(
                            device,
                            4,
                            start.plus(60, ChronoUnit.MINUTES),
                            0,
                            Activity.STRESS,
                            10,
                            9);
            assertEquals(202, api.call("POST", "/api/v2/biometric/readings", carol, rest).status());
            new WebDriverWait(browser, Duration.ofSeconds(60))
                    .until(
                            b ->
                                    Integer.parseInt(
                                                    b.findElement(By.id("chart"))
                                                            .getDomAttribute("data-episodes"))
                                            >= 1);
            assertFalse(browser.findElements(By.cssSelector("#episodes li.episode")).isEmpty());
            assertTrue(
                    browser.findElement(By.id("episodes"))
                            .getText()
                            .contains("heart_rate_elevated"));
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(
                            b ->
                                    b.findElement(By.id("interventions"))
                                            .getText()
                                            .contains("pending"));
            // "was it stress?": the episode's buttons, once its stored id is known; the answer is
            // stored and shown
            assertEquals(
                    "0", browser.findElement(By.id("agreement")).getDomAttribute("data-labelled"));
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(
                            b ->
                                    !b.findElements(
                                                    By.cssSelector(
                                                            "#episodes li.episode button[data-answer=yes]"))
                                            .isEmpty());
            browser.findElement(By.cssSelector("#episodes li.episode button[data-answer=yes]"))
                    .click();
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(
                            b ->
                                    b.findElement(By.id("episodes"))
                                            .getText()
                                            .contains("you said: stress"));
            assertEquals(
                    "1", browser.findElement(By.id("agreement")).getDomAttribute("data-labelled"));
            assertTrue(
                    browser.findElement(By.id("agreement"))
                            .getText()
                            .contains("agreed with 100% of the 1 answer it learns from"),
                    browser.findElement(By.id("agreement")).getText());
            JsonNode said = api.call("GET", "/api/v2/biometric/answers", carol, null).body();
            assertEquals("yes", said.at("/answers/0/answer").asText());
            // and a check-in, with the slider
            browser.findElement(By.id("check-in")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(
                            b ->
                                    b.findElement(By.id("check-in-status"))
                                            .getText()
                                            .contains("5/10 noted"));
            assertEquals(
                    1,
                    api.call("GET", "/api/v2/biometric/answers", carol, null)
                            .body()
                            .at("/summary/check_ins")
                            .asInt());
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }
}
