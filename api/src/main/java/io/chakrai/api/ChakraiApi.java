package io.chakrai.api;

import io.chakrai.api.analytics.AnalyticsRepository;
import io.chakrai.api.analytics.ModelScoresHandler;
import io.chakrai.api.analytics.PatternsHandler;
import io.chakrai.api.analytics.PatternsService;
import io.chakrai.api.assessments.AssessmentHandler;
import io.chakrai.api.assessments.AssessmentRepository;
import io.chakrai.api.assessments.AssessmentService;
import io.chakrai.api.auth.AuthHandler;
import io.chakrai.api.auth.AuthService;
import io.chakrai.api.auth.PasswordHasher;
import io.chakrai.api.auth.SessionRepository;
import io.chakrai.api.auth.TokenService;
import io.chakrai.api.auth.UserRepository;
import io.chakrai.api.clinician.ClinicianHandler;
import io.chakrai.api.clinician.ClinicianRepository;
import io.chakrai.api.clinician.ClinicianService;
import io.chakrai.api.content.ContentHandler;
import io.chakrai.api.content.ContentRepository;
import io.chakrai.api.content.ContentService;
import io.chakrai.api.devices.DeviceHandler;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.devices.TokenCipher;
import io.chakrai.api.groups.CrisisResources;
import io.chakrai.api.groups.EscalationRepository;
import io.chakrai.api.groups.EscalationService;
import io.chakrai.api.groups.FacilitatorHandler;
import io.chakrai.api.groups.FloodControl;
import io.chakrai.api.groups.GroupDelivery;
import io.chakrai.api.groups.GroupHandler;
import io.chakrai.api.groups.GroupMoodRepository;
import io.chakrai.api.groups.GroupMoodService;
import io.chakrai.api.groups.GroupRepository;
import io.chakrai.api.groups.GroupService;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.ErrorMapping;
import io.chakrai.api.http.Query;
import io.chakrai.api.http.RouteTable;
import io.chakrai.api.imports.ImportHandler;
import io.chakrai.api.imports.ImportRepository;
import io.chakrai.api.imports.ImportService;
import io.chakrai.api.predictions.AnswerRepository;
import io.chakrai.api.predictions.AnswerService;
import io.chakrai.api.predictions.AnswersHandler;
import io.chakrai.api.predictions.PredictionRepository;
import io.chakrai.api.predictions.PredictionsHandler;
import io.chakrai.api.privacy.AuditRepository;
import io.chakrai.api.privacy.PrivacyHandler;
import io.chakrai.api.privacy.PrivacyRepository;
import io.chakrai.api.privacy.PrivacyService;
import io.chakrai.api.readings.ReadingIntake;
import io.chakrai.api.readings.ReadingPublisher;
import io.chakrai.api.readings.ReadingRepository;
import io.chakrai.api.readings.ReadingsHandler;
import io.chakrai.api.voice.VoiceHandler;
import io.chakrai.api.voice.VoiceModels;
import io.chakrai.api.voice.VoiceRepository;
import io.chakrai.api.voice.VoiceService;
import io.chakrai.api.ws.UserSessions;
import io.chakrai.api.ws.WsEndpoint;
import io.chakrai.models.Json;
import io.chakrai.models.content.ContentGenerator;
import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.GroupMatcher;
import io.chakrai.models.groups.MessageSentiment;
import io.chakrai.models.groups.MiniLmEmbedder;
import io.chakrai.models.groups.SentenceEmbedder;
import io.chakrai.models.readings.ReadingTiming;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the API: an unstarted Javalin app with its dependencies passed in, so tests and the
 * launcher start the same thing. Every route under {@code /api/v2} needs a bearer token except
 * register and token; {@code /health} and {@code /metrics} are open.
 */
public final class ChakraiApi {
    private static final Logger LOG = LoggerFactory.getLogger(ChakraiApi.class);

    public static final String WS_PATH = "/api/v2/ws";

    /**
     * What the app needs from outside. {@code checks} are the API's own named health probes
     * returning true when up; {@code pipeline} names each part of the pipeline behind it as {@code
     * "up"} or {@code "down: <why>"} ({@link io.chakrai.api.health.PipelineHealth}).
     */
    public record Dependencies(
            ApiConfig config,
            DataSource db,
            ReadingPublisher publisher,
            PrometheusMeterRegistry metrics,
            Clock clock,
            Map<String, Supplier<Boolean>> checks,
            Supplier<Map<String, String>> pipeline,
            UserSessions sessions,
            SentenceEmbedder embedder,
            CrisisResources crisisResources) {}

    /** What the group change feed needs from the app ({@link io.chakrai.api.groups.GroupFeed}). */
    public record Groups(GroupDelivery delivery, EscalationRepository escalations) {}

    /**
     * What {@link #create} built: the app to start, its {@link RouteTable} (for tests and tools)
     * and what the group change feed needs.
     */
    public record Built(Javalin app, RouteTable routes, Groups groups) {}

    private ChakraiApi() {}

    /**
     * Every route but the open ones needs a valid bearer token; query and path parameters are
     * checked for text the database cannot store before any handler runs; every request is timed by
     * route and status.
     */
    private static void installSecurity(
            Javalin app, AuthService auth, PrometheusMeterRegistry metrics) {
        app.beforeMatched(
                ctx -> {
                    ctx.attribute("chakrai.start", System.nanoTime());
                    // the WebSocket upgrade is checked by WsEndpoint.beforeUpgrade (it also takes
                    // ?token=)
                    boolean open =
                            ctx.routeRoles().contains(RouteTable.Role.PUBLIC)
                                    || ctx.path().equals(WS_PATH)
                                    || ctx.path()
                                            .startsWith(
                                                    "/webjars/"); // Swagger UI's static files, for
                    // /docs
                    Query.storable(ctx);
                    if (!open) {
                        AuthService.Authenticated who =
                                auth.authenticate(
                                        TokenService.fromHeader(ctx.header("Authorization")));
                        if (!ctx.routeRoles().contains(RouteTable.Role.of(who.role()))) {
                            throw new ApiException(
                                    403,
                                    "forbidden",
                                    "this route is not for your account's role ("
                                            + who.role()
                                            + ")");
                        }
                        Caller.set(ctx, who);
                    }
                });
        app.after(
                ctx -> {
                    Long start = ctx.attribute("chakrai.start");
                    if (start != null) {
                        Timer.builder("chakrai_http_requests")
                                .tag("method", ctx.method().name())
                                .tag("route", ctx.endpointHandlerPath())
                                .tag("status", Integer.toString(ctx.statusCode()))
                                .publishPercentiles(0.5, 0.99)
                                .register(metrics)
                                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    }
                });
    }

    public static Built create(Dependencies deps) {
        ApiConfig cfg = deps.config();
        TokenService tokens = new TokenService(cfg.jwtSecret(), cfg.tokenTtl(), deps.clock());
        UserRepository users = new UserRepository(deps.db());
        DeviceRepository devices =
                new DeviceRepository(deps.db(), new TokenCipher(cfg.deviceTokenKey()));
        ReadingIntake intake =
                new ReadingIntake(
                        devices,
                        deps.publisher(),
                        ReadingTiming.DEFAULT,
                        deps.clock(),
                        deps.metrics());
        UserSessions sessions = deps.sessions();
        PasswordHasher hasher = new PasswordHasher(cfg.bcryptCost());
        AuthService authService =
                new AuthService(
                        users, new SessionRepository(deps.db()), hasher, tokens, deps.clock());
        AuthHandler auth = new AuthHandler(authService, sessions);
        DeviceHandler deviceHandler = new DeviceHandler(devices);
        ReadingsHandler readings =
                new ReadingsHandler(
                        intake,
                        new ReadingRepository(deps.db()),
                        devices,
                        cfg.maxBatch(),
                        deps.clock());
        AuditRepository audit = new AuditRepository(deps.db());
        ImportService imports =
                new ImportService(
                        new ImportRepository(deps.db()),
                        devices,
                        audit,
                        deps.publisher(),
                        ReadingTiming.DEFAULT,
                        deps.clock(),
                        importDir(),
                        deps.metrics());
        PredictionRepository predictionRepo = new PredictionRepository(deps.db());
        PredictionsHandler predictions = new PredictionsHandler(predictionRepo, deps.clock());
        GroupRepository groupRepo = new GroupRepository(deps.db());
        EscalationRepository escalations = new EscalationRepository(deps.db());
        GroupDelivery delivery =
                new GroupDelivery(groupRepo, sessions, deps.crisisResources(), deps.metrics());
        SentenceEmbedder embedder = cached(deps.embedder());
        // the production crisis detector needs the sentence embedder; without one, its rules alone.
        // Not the cache: a
        // chat's sentences rarely repeat, and a map of them would keep what people wrote in memory
        CrisisDetector crisis =
                deps.embedder() == null
                        ? new CrisisDetector()
                        : CrisisDetector.production(deps.embedder());
        GroupService groupService =
                new GroupService(
                        groupRepo,
                        escalations,
                        audit,
                        new GroupMatcher(embedder::embed),
                        new MessageSentiment(),
                        crisis,
                        new FloodControl(5, 30, deps.clock()),
                        delivery,
                        sessions,
                        deps.crisisResources(),
                        deps.clock(),
                        deps.metrics());
        WsEndpoint ws =
                new WsEndpoint(
                        authService, intake, devices, sessions, predictionRepo, groupService);
        imports.onProgress(
                (user, json) -> {
                    if (sessions.isConnected(user)) {
                        sessions.send(user, json);
                    }
                });
        // the owner's open dashboards see their heart rate and HRV as it is accepted
        intake.onAccepted(
                (user, batch) -> {
                    if (sessions.isConnected(user)) {
                        sessions.send(user, LiveReadings.event(batch));
                    }
                });
        if (deps.embedder() instanceof MiniLmEmbedder) {
            embeddingMeters(deps.metrics());
        }
        PrecisionGauges.register(deps.metrics(), predictionRepo);
        RiskModelGauges.register(
                deps.metrics(),
                deps.db(),
                io.chakrai.models.assessment.RiskAssessment.LEARNED_MODEL);

        // sockets whose sign-in ended on another API instance close within one sweep
        ScheduledExecutorService sweeper =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ws-session-sweep");
                            t.setDaemon(true);
                            return t;
                        });
        Javalin app =
                Javalin.create(
                        c -> {
                            c.showJavalinBanner = false;
                            // one URL per described route: "/devices/" is not "/devices" (an empty
                            // id is no id), as the OpenAPI
                            // description says; a client generated from it never sends a trailing
                            // slash
                            c.router.ignoreTrailingSlashes = false;
                            c.events(
                                    e -> {
                                        e.serverStarted(
                                                () -> {
                                                    imports.resume();
                                                    sweeper.scheduleWithFixedDelay(
                                                            () -> sweep(sessions, authService),
                                                            10,
                                                            10,
                                                            TimeUnit.SECONDS);
                                                    // an escalation nobody acknowledged in time
                                                    // goes to another facilitator and the
                                                    // clinicians
                                                    long every =
                                                            Math.max(
                                                                    1,
                                                                    Math.min(
                                                                            15,
                                                                            cfg.escalationAck()
                                                                                            .toSeconds()
                                                                                    / 4));
                                                    sweeper.scheduleWithFixedDelay(
                                                            () ->
                                                                    raiseUnanswered(
                                                                            escalations,
                                                                            delivery,
                                                                            cfg.escalationAck(),
                                                                            deps.clock()),
                                                            every,
                                                            every,
                                                            TimeUnit.SECONDS);
                                                });
                                        e.serverStopping(
                                                () -> {
                                                    sweeper.shutdownNow();
                                                    imports.close();
                                                });
                                    });
                            ErrorMapping.configure(c, cfg.maxBodyBytes());
                            // recordings come as multipart uploads, with their own limit
                            c.jetty.multipartConfig.maxFileSize(
                                    VoiceHandler.MAX_BYTES, SizeUnit.BYTES);
                            c.jetty.multipartConfig.maxTotalRequestSize(
                                    VoiceHandler.MAX_BYTES + 64 * 1024, SizeUnit.BYTES);
                            c.http.defaultContentType = "application/json";
                            // Swagger UI for /docs, from its webjar
                            c.staticFiles.enableWebjars();
                            c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
                        });

        installSecurity(app, authService, deps.metrics());
        AnalyticsRepository analytics = new AnalyticsRepository(deps.db());
        RouteTable routes =
                ApiRoutes.declare(
                        new RouteTable(app),
                        new ApiRoutes.Handlers(
                                auth,
                                deviceHandler,
                                readings,
                                new ImportHandler(imports, deps.clock()),
                                predictions,
                                new AnswersHandler(
                                        new AnswerService(
                                                new AnswerRepository(deps.db()), deps.clock())),
                                new AssessmentHandler(
                                        new AssessmentService(
                                                new AssessmentRepository(deps.db()), deps.clock()),
                                        deps.clock()),
                                new PatternsHandler(new PatternsService(analytics)),
                                new ModelScoresHandler(analytics),
                                new VoiceHandler(
                                        new VoiceService(
                                                new VoiceModels(deps.db()),
                                                new VoiceRepository(deps.db()))),
                                new PrivacyHandler(
                                        new PrivacyService(
                                                new PrivacyRepository(deps.db()),
                                                audit,
                                                users,
                                                hasher,
                                                deps.clock()),
                                        sessions),
                                new ClinicianHandler(
                                        new ClinicianService(
                                                new ClinicianRepository(deps.db()), audit)),
                                new GroupHandler(
                                        groupService,
                                        new GroupMoodService(
                                                groupService,
                                                groupRepo,
                                                new GroupMoodRepository(deps.db()),
                                                deps.clock())),
                                new FacilitatorHandler(new EscalationService(escalations, audit)),
                                new ContentHandler(
                                        new ContentService(
                                                new ContentRepository(deps.db()),
                                                new ContentGenerator(),
                                                deps.embedder() == null
                                                        ? new CrisisDetector()
                                                        : CrisisDetector.forRequests(
                                                                deps.embedder()),
                                                deps.crisisResources(),
                                                deps.clock(),
                                                deps.metrics())),
                                ctx -> health(ctx, deps.checks(), deps.pipeline().get()),
                                ctx -> health(ctx, deps.checks(), Map.of()),
                                ctx ->
                                        ctx.contentType("text/plain; version=0.0.4")
                                                .result(deps.metrics().scrape())));
        app.wsBeforeUpgrade(WS_PATH, ws::beforeUpgrade);
        app.ws(WS_PATH, ws::configure);

        ErrorMapping.install(app, cfg.maxBodyBytes());
        return new Built(app, routes, new Groups(delivery, escalations));
    }

    /**
     * Where uploaded exports wait while they are uploaded and read ({@code CHAKRAI_IMPORT_DIR},
     * else a folder of the temporary directory); API instances behind one address need it shared,
     * or sticky sessions.
     */
    private static java.nio.file.Path importDir() {
        String dir = System.getenv("CHAKRAI_IMPORT_DIR");
        return dir != null && !dir.isBlank()
                ? java.nio.file.Path.of(dir)
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "chakrai-imports");
    }

    /**
     * Raises the escalations still open after the acknowledgement time (at most three times each),
     * and alerts here.
     */
    static void raiseUnanswered(
            EscalationRepository escalations,
            GroupDelivery delivery,
            java.time.Duration ack,
            java.time.Clock clock) {
        try {
            java.time.Instant now = clock.instant();
            for (long id : escalations.raiseDue(now.minus(ack), now, 3)) {
                escalations
                        .recipients(id)
                        .ifPresent(
                                r -> {
                                    LOG.warn(
                                            "escalation {} not acknowledged within {} s: raised ({} time(s)) to another facilitator and the clinicians",
                                            id,
                                            ack.toSeconds(),
                                            r.raises());
                                    delivery.alert(r);
                                    delivery.helpAgain(r);
                                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not raise unanswered escalations: {}", e.toString());
        }
    }

    /**
     * How many sentences the MiniLM model embedded and its time, running and waiting for a turn (a
     * core).
     */
    private static void embeddingMeters(MeterRegistry metrics) {
        FunctionCounter.builder(
                        "chakrai_sentence_embeddings", metrics, m -> MiniLmEmbedder.embedded())
                .description("sentences embedded (crisis screening, group matching)")
                .register(metrics);
        String seconds =
                "time embedding sentences: run (the inference) or wait (for a turn; one runs a core)";
        FunctionCounter.builder(
                        "chakrai_sentence_embedding_seconds",
                        metrics,
                        m -> MiniLmEmbedder.ranSeconds())
                .tag("phase", "run")
                .description(seconds)
                .register(metrics);
        FunctionCounter.builder(
                        "chakrai_sentence_embedding_seconds",
                        metrics,
                        m -> MiniLmEmbedder.waitedSeconds())
                .tag("phase", "wait")
                .description(seconds)
                .register(metrics);
    }

    /** The embedder behind a bounded cache, for group goals (they repeat; a miss costs ~3 ms). */
    private static SentenceEmbedder cached(SentenceEmbedder embedder) {
        if (embedder == null) {
            Function<String, float[]> words = GroupMatcher.bagOfWords(256);
            return words::apply;
        }
        Map<String, float[]> cache = new ConcurrentHashMap<>();
        return s -> {
            float[] v = cache.get(s);
            if (v == null) {
                v = embedder.embed(s);
                if (cache.size() > 20_000) {
                    cache.clear();
                }
                cache.put(s, v);
            }
            return v;
        };
    }

    private static void sweep(UserSessions sockets, AuthService auth) {
        try {
            Set<UUID> open = sockets.openSessions();
            if (!open.isEmpty()) {
                sockets.closeEnded(open, auth.activeSessions(open));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not check the open sockets' sign-ins: {}", e.toString());
        }
    }

    /**
     * 200 {@code {"status": "up", "checks": {...}}} when every part is up, else 503 with {@code
     * "status": "down"} and each part that is down saying why ({@code "down: FAILING"}).
     */
    private static void health(
            Context ctx, Map<String, Supplier<Boolean>> checks, Map<String, String> pipeline) {
        Map<String, String> results = new LinkedHashMap<>();
        for (var c : checks.entrySet()) {
            boolean ok;
            try {
                ok = c.getValue().get();
            } catch (RuntimeException e) {
                ok = false;
            }
            results.put(c.getKey(), ok ? "up" : "down");
        }
        results.putAll(pipeline);
        boolean up = results.values().stream().allMatch("up"::equals);
        ctx.status(up ? 200 : 503).json(Map.of("status", up ? "up" : "down", "checks", results));
    }
}
