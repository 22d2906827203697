package io.chakrai.launcher.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.Json;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import io.chakrai.models.stress.StressAnswers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated wearers streaming through the public API, as real apps do: each registers (or logs in),
 * registers a watch, and on every tick posts what its {@link SimulatedPerson} reports. Every
 * reading is labelled with what the person was doing ({@code metadata.sim_state}) so detectors can
 * be scored.
 *
 * <p>A new wearer first uploads {@code historyDays} of history (a reading of each kind a minute, as
 * a watch's backlog syncs), so a first start shows risk, patterns, episodes and "what helps you"
 * within a minute instead of after days. Wearers also use content, through the same API: every few
 * hours a session of a meditation, worksheet or story, after which their body responds as that
 * person responds to that kind ({@link SimulatedPerson#afterContent}); the content-effectiveness
 * job measures it like any other.
 *
 * <p>Every wearer has a latent mood ({@link SimulatedPerson#withMood}) that moves their sleep,
 * activity, heart rate and HRV, and now and then answers PHQ-9 and GAD-7 through {@code POST
 * /api/v2/prediction/assess} (every two to five days in the history, which is dated with {@code
 * answered_at}; every {@code questionnaireHours} live). Before the detailed history comes {@code
 * moodHistoryDays} of coarser history (a reading of each kind every five minutes, the same daily
 * figures), so the risk job has fortnights before answers and {@code chakrai train --dataset
 * PLATFORM_RISK} something to learn from on a fresh machine.
 *
 * <p>Live, wearers also tell their detector whether it was right: "was this stress?" on their new
 * episodes and a 0-10 check-in every hour or two, truthfully {@link #TRUTHFUL} of the time, so
 * personal models form on a fresh stack.
 */
public final class DeviceSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String DATA_TYPES =
            "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\",\"eda\"]";
    static final Duration SESSION = Duration.ofMinutes(10);
    static final Duration CALM_AFTER = Duration.ofMinutes(25);

    /** The step of the coarse (mood) history. */
    static final long COARSE_STEP_S = 300;

    private final ApiClient api;
    private final List<Wearer> wearers = new ArrayList<>();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "device-simulator");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong questionnaires = new AtomicLong();
    private final AtomicLong stressAnswers = new AtomicLong();
    private Duration questionnaireEvery = Duration.ofHours(12);
    private volatile String lastToken;

    /** One simulated person with their watch, their pieces of content and their content habit. */
    private static final class Wearer {
        final String email;
        final String password;
        final int deviceId;
        final SplittableRandom habit;

        /** Its own draws, so answering leaves the content habit's sequence as it was. */
        final SplittableRandom says;

        final long[] pieces = new long[ContentType.values().length];
        String token;
        SimulatedPerson person;
        Instant nextSession;
        ContentType inSession;
        Instant sessionStarted;
        Instant restingSince;
        long usageId;
        Instant nextAnswers;

        /**
         * When the person was stressed lately ({start, end} epoch ms, newest last), to answer "was
         * this stress?".
         */
        final java.util.ArrayDeque<long[]> stressSpans = new java.util.ArrayDeque<>();

        /** Episodes answered already (bounded: the newest few hundred). */
        final java.util.LinkedHashSet<Long> answered = new java.util.LinkedHashSet<>();

        Instant nextEpisodeAnswers;
        Instant nextCheckIn;

        Wearer(String email, String password, int deviceId, String token, long seed) {
            this.email = email;
            this.password = password;
            this.deviceId = deviceId;
            this.token = token;
            this.habit = new SplittableRandom(seed * 131 + 3);
            this.says = new SplittableRandom(seed * 977 + 11);
        }
    }

    private DeviceSimulator(ApiClient api) {
        this.api = api;
    }

    /**
     * Registers {@code users} wearers and starts posting every {@code intervalMs}, without history.
     */
    public static DeviceSimulator start(String apiUrl, int users, long intervalMs, String password)
            throws Exception {
        return start(apiUrl, users, intervalMs, 0, password);
    }

    /**
     * Registers {@code users} wearers; those with no readings yet first upload {@code historyDays}
     * of history (in the background, with progress in the log); then every wearer posts every
     * {@code intervalMs}.
     */
    public static DeviceSimulator start(
            String apiUrl, int users, long intervalMs, int historyDays, String password)
            throws Exception {
        return start(apiUrl, users, intervalMs, historyDays, 0, 12, password);
    }

    /**
     * The same, with {@code moodHistoryDays} of coarse history before the detailed days and live
     * questionnaires every {@code questionnaireHours}.
     */
    public static DeviceSimulator start(
            String apiUrl,
            int users,
            long intervalMs,
            int historyDays,
            int moodHistoryDays,
            int questionnaireHours,
            String password)
            throws Exception {
        DeviceSimulator sim = new DeviceSimulator(new ApiClient(apiUrl));
        sim.questionnaireEvery = Duration.ofHours(Math.max(1, questionnaireHours));
        for (int i = 1; i <= users; i++) {
            String email = String.format("sim-%03d@chakrai.local", i);
            String token = sim.api.login(email, password);
            int device =
                    sim.api.device(
                            token, "apple_watch", String.format("SIM-WATCH-%03d", i), DATA_TYPES);
            // four in five let their data train models (every fifth does not, so the consent filter
            // has work to do)
            sim.api.call(
                    "PUT",
                    "/api/v2/me/consents",
                    token,
                    "{\"kind\":\"model_training\",\"granted\":" + (i % 5 != 0) + "}");
            sim.wearers.add(new Wearer(email, password, device, token, i));
            sim.lastToken = token;
        }
        // one thread: the history is all posted before the first live tick, so each watch's
        // readings stay in order
        sim.ticker.execute(() -> sim.history(historyDays, moodHistoryDays));
        sim.ticker.scheduleAtFixedRate(sim::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info(
                "device simulator streaming for {} wearers every {} ms (users sim-001..sim-{}@chakrai.local)",
                users,
                intervalMs,
                String.format("%03d", users));
        return sim;
    }

    private void history(int days, int moodDays) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int uploaded = 0;
        for (int i = 0; i < wearers.size(); i++) {
            Wearer w = wearers.get(i);
            long seed = i + 1;
            try {
                boolean fresh =
                        days + moodDays > 0
                                && api.call(
                                                "GET",
                                                "/api/v2/biometric/readings?limit=1",
                                                w.token,
                                                null)
                                        .body()
                                        .path("readings")
                                        .isEmpty();
                if (!fresh) {
                    goLive(w, seed, now);
                    continue;
                }
                Instant from = now.minus(Duration.ofDays(days + moodDays));
                Instant detailed = now.minus(Duration.ofDays(days));
                w.person = body(seed, from);
                w.nextSession = detailed.plus(minutes(w.habit, 60, 240));
                w.nextAnswers = from.plus(minutes(w.habit, 60 * 24, 60 * 24 * 3));
                ArrayNode batch = JSON.createArrayNode();
                List<Instant[]> done = new ArrayList<>();
                List<ContentType> kinds = new ArrayList<>();
                for (Instant t = from;
                        t.isBefore(now);
                        t = t.plusSeconds(t.isBefore(detailed) ? COARSE_STEP_S : 60)) {
                    // content only in the detailed days: the API takes sessions of the last week
                    Instant[] finished = t.isBefore(detailed) ? null : advance(w, t);
                    if (finished != null) {
                        done.add(finished);
                        kinds.add(w.inSession);
                        w.inSession = null;
                    }
                    add(batch, w, t);
                    noteStress(w, t);
                    if (!t.isBefore(w.nextAnswers)) {
                        // the watch has synced up to here before the app sends the answers, as the
                        // risk job expects
                        post(w, batch);
                        batch = JSON.createArrayNode();
                        answer(w, t);
                        w.nextAnswers = t.plus(minutes(w.habit, 60 * 24 * 2, 60 * 24 * 5));
                    }
                    if (batch.size() >= 7_000) {
                        post(w, batch);
                        batch = JSON.createArrayNode();
                    }
                }
                post(w, batch);
                goLive(w, seed, now);
                // the app reports its sessions after the watch has synced: measured from the stored
                // readings
                for (int s = 0; s < done.size(); s++) {
                    long usage = startSession(w, kinds.get(s), done.get(s)[0]);
                    completeSession(w, usage, done.get(s)[1]);
                }
                uploaded++;
                LOG.info(
                        "simulator history: {} of {} wearers ({} + {} days, {} content sessions, {} questionnaires, {} readings "
                                + "sent in all)",
                        i + 1,
                        wearers.size(),
                        moodDays,
                        days,
                        done.size(),
                        questionnaires.get(),
                        sent.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("simulator history for {}: {}", w.email, e.toString());
                goLive(w, seed, now);
            }
        }
        if (uploaded > 0) {
            LOG.info("simulator history uploaded for {} wearers; streaming live now", uploaded);
        }
    }

    /** A wearer's body: their own physiology, skin conductance and a latent mood. */
    private static SimulatedPerson body(long seed, Instant start) {
        return new SimulatedPerson(seed, 0.2, start).measuringEda().withMood();
    }

    /**
     * Ready for the live ticks at {@code now}: a body when the wearer has none yet (no history
     * uploaded) with a first content session in the next hours, and questionnaires due within the
     * hour unless they already are later.
     */
    private static void goLive(Wearer w, long seed, Instant now) {
        if (w.person == null) {
            w.person = body(seed, now);
            w.nextSession = now.plus(minutes(w.habit, 20, 120));
        }
        if (w.nextAnswers == null || w.nextAnswers.isBefore(now)) {
            w.nextAnswers = now.plus(minutes(w.habit, 5, 60));
        }
    }

    /**
     * The content habit at simulated time {@code t}: a session starts when one is due and the
     * person has been at rest for a quarter of an hour (they stay at rest through it); at its end
     * their body responds. Returns {start, end} when one ended.
     */
    private Instant[] advance(Wearer w, Instant t) {
        if (w.person.activity() != Activity.REST) {
            w.restingSince = null;
        } else if (w.restingSince == null) {
            w.restingSince = t;
        }
        if (w.inSession != null && !t.isBefore(w.sessionStarted.plus(SESSION))) {
            w.person.afterContent(w.inSession, t, CALM_AFTER);
            w.nextSession = t.plus(minutes(w.habit, 180, 420));
            return new Instant[] {w.sessionStarted, t};
        }
        if (w.inSession == null
                && !t.isBefore(w.nextSession)
                && w.restingSince != null
                && !t.isBefore(w.restingSince.plus(Duration.ofMinutes(15)))) {
            w.inSession = ContentType.values()[w.habit.nextInt(ContentType.values().length)];
            w.sessionStarted = t;
            w.person.startActivity(Activity.REST, t, SESSION.plusSeconds(1));
        }
        return null;
    }

    private void tick() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (Wearer w : wearers) {
            if (w.person == null) {
                continue;
            }
            try {
                ContentType before = w.inSession;
                Instant[] finished = advance(w, now);
                if (finished != null) {
                    completeSession(w, w.usageId, finished[1]);
                    w.inSession = null;
                } else if (before == null && w.inSession != null) {
                    w.usageId = startSession(w, w.inSession, now);
                }
                ArrayNode batch = JSON.createArrayNode();
                add(batch, w, now);
                post(w, batch);
                if (!now.isBefore(w.nextAnswers)) {
                    w.nextAnswers = now.plus(questionnaireEvery);
                    answer(w, null);
                }
                sayWhetherStressed(w, now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("simulator: {} for {}", e.toString(), w.email);
            }
        }
    }

    private void add(ArrayNode batch, Wearer w, Instant t) {
        for (SimulatedPerson.Sample s : w.person.step(t)) {
            s.addTo(batch, w.deviceId).putObject("metadata").put("sim_state", s.activity().label());
        }
    }

    private ApiClient.Reply call(Wearer w, String method, String path, String body)
            throws Exception {
        ApiClient.Reply reply = api.call(method, path, w.token, body);
        if (reply.status() == 401) {
            w.token = api.login(w.email, w.password);
            reply = api.call(method, path, w.token, body);
        }
        return reply;
    }

    private void post(Wearer w, ArrayNode batch) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        ApiClient.Reply reply = call(w, "POST", "/api/v2/biometric/readings", batch.toString());
        if (reply.status() != 202) {
            LOG.warn(
                    "simulator: HTTP {} for {}: {}",
                    reply.status(),
                    w.email,
                    reply.body().path("error").path("message").asText());
        } else {
            sent.addAndGet(batch.size());
        }
    }

    /** The wearer answers PHQ-9 and GAD-7 as their mood is at {@code at} (null: now, undated). */
    private void answer(Wearer w, Instant at) throws Exception {
        int[][] a = w.person.questionnaires(at == null ? Instant.now() : at);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode phq = body.putArray("phq9");
        for (int v : a[0]) {
            phq.add(v);
        }
        ArrayNode gad = body.putArray("gad7");
        for (int v : a[1]) {
            gad.add(v);
        }
        if (at != null) {
            body.put("answered_at", at.toString());
        }
        ApiClient.Reply r = call(w, "POST", "/api/v2/prediction/assess", body.toString());
        if (r.status() == 201) {
            questionnaires.incrementAndGet();
        } else {
            LOG.warn("simulator: HTTP {} answering questionnaires for {}", r.status(), w.email);
        }
    }

    /**
     * Share of answers about stress that are true; of the rest, half are wrong and half "not sure".
     */
    static final double TRUTHFUL = 0.85;

    /**
     * The wearer tells their detector when it was right: every couple of minutes they answer "was
     * this stress?" on episodes of the last two hours they have not answered (truthfully most of
     * the time, by whether they were in fact stressed then; sometimes wrongly, sometimes "not
     * sure"), and every hour or two they check in (0-10) as they feel. So a fresh stack shows
     * personal models forming.
     */
    private void sayWhetherStressed(Wearer w, Instant now) throws Exception {
        noteStress(w, now);
        if (w.nextEpisodeAnswers == null) {
            w.nextEpisodeAnswers = now.plus(minutes(w.says, 1, 3));
            w.nextCheckIn = now.plus(minutes(w.says, 20, 90));
        }
        if (!now.isBefore(w.nextEpisodeAnswers)) {
            w.nextEpisodeAnswers = now.plus(minutes(w.says, 2, 3));
            JsonNode episodes =
                    call(
                                    w,
                                    "GET",
                                    "/api/v2/biometric/predictions?type=stress_episode&limit=20&from="
                                            + now.minus(Duration.ofHours(2)),
                                    null)
                            .body()
                            .path("predictions");
            for (JsonNode e : episodes) {
                long id = e.path("id").asLong();
                if (id <= 0 || !w.answered.add(id)) {
                    continue;
                }
                if (w.answered.size() > 500) {
                    w.answered.remove(w.answered.iterator().next());
                }
                // the onset minute, and the episode's first minutes before it
                long onset =
                        Instant.parse(e.path("prediction_time").asText()).toEpochMilli() - 60_000;
                boolean stressed =
                        w.stressSpans.stream()
                                .anyMatch(
                                        sp -> onset >= sp[0] - 180_000 && onset <= sp[1] + 60_000);
                double roll = w.says.nextDouble();
                String said =
                        roll < TRUTHFUL
                                ? (stressed ? "yes" : "no")
                                : roll < (1 + TRUTHFUL) / 2
                                        ? (stressed ? "no" : "yes")
                                        : "not_sure";
                if (call(
                                        w,
                                        "POST",
                                        "/api/v2/biometric/predictions/" + id + "/answer",
                                        "{\"answer\":\"" + said + "\"}")
                                .status()
                        == 201) {
                    stressAnswers.incrementAndGet();
                }
            }
        }
        if (!now.isBefore(w.nextCheckIn)) {
            w.nextCheckIn = now.plus(minutes(w.says, 45, 120));
            boolean stressed = w.person.activity() == Activity.STRESS;
            boolean truthful = w.says.nextDouble() < TRUTHFUL;
            int level =
                    stressed == truthful
                            ? w.says.nextInt(StressAnswers.STRESS_FROM, 10)
                            : w.says.nextInt(0, StressAnswers.CALM_AT_MOST + 1);
            if (call(w, "POST", "/api/v2/biometric/check-ins", "{\"stress_level\":" + level + "}")
                            .status()
                    == 201) {
                stressAnswers.incrementAndGet();
            }
        }
    }

    /**
     * Remembers when the person was stressed (history and live alike), so their answers can be
     * true.
     */
    private static void noteStress(Wearer w, Instant at) {
        if (w.person.activity() != Activity.STRESS) {
            return;
        }
        long t = at.toEpochMilli();
        long[] last = w.stressSpans.peekLast();
        if (last != null && t - last[1] <= 120_000) {
            last[1] = t;
        } else {
            w.stressSpans.addLast(new long[] {t, t});
            if (w.stressSpans.size() > 20) {
                w.stressSpans.removeFirst();
            }
        }
    }

    /**
     * A session of the wearer's piece of a kind (written for them on first use); its usage id, or
     * -1.
     */
    private long startSession(Wearer w, ContentType kind, Instant at) throws Exception {
        if (w.pieces[kind.ordinal()] == 0) {
            ApiClient.Reply made =
                    call(
                            w,
                            "POST",
                            "/api/v2/content/generate/" + kind.wire(),
                            "{\"duration_minutes\":10}");
            if (made.status() != 201) {
                LOG.warn(
                        "simulator: HTTP {} generating a {} for {}",
                        made.status(),
                        kind.wire(),
                        w.email);
                return -1;
            }
            w.pieces[kind.ordinal()] = made.body().path("id").asLong();
        }
        ApiClient.Reply started =
                call(
                        w,
                        "POST",
                        "/api/v2/content/" + w.pieces[kind.ordinal()] + "/sessions",
                        "{\"started_at\":\"" + at + "\"}");
        return started.status() == 201 ? started.body().path("usage_id").asLong() : -1;
    }

    private void completeSession(Wearer w, long usage, Instant at) throws Exception {
        if (usage < 0) {
            return;
        }
        ApiClient.Reply done =
                call(
                        w,
                        "PUT",
                        "/api/v2/content/sessions/" + usage,
                        "{\"completion_rate\":1,\"completed_at\":\"" + at + "\"}");
        if (done.status() == 200) {
            sessions.incrementAndGet();
        }
    }

    private static Duration minutes(SplittableRandom draws, int min, int max) {
        return Duration.ofMinutes(min + draws.nextInt(max - min + 1));
    }

    public long readingsSent() {
        return sent.get();
    }

    /** Content sessions completed through the API (history and live). */
    public long sessionsCompleted() {
        return sessions.get();
    }

    /** PHQ-9 / GAD-7 answered through the API (history and live). */
    /** Answers to "was this stress?" and check-ins given. */
    public long stressAnswersGiven() {
        return stressAnswers.get();
    }

    public long questionnairesAnswered() {
        return questionnaires.get();
    }

    /** A token of one simulated user (for demos and tests). */
    public String anyToken() {
        return lastToken;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        LOG.info(
                "device simulator stopped after {} readings and {} content sessions",
                sent.get(),
                sessions.get());
    }
}
