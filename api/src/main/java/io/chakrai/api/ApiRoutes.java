package io.chakrai.api;

import static io.chakrai.api.http.RouteTable.anyObject;
import static io.chakrai.api.http.RouteTable.array;
import static io.chakrai.api.http.RouteTable.bool;
import static io.chakrai.api.http.RouteTable.dateTime;
import static io.chakrai.api.http.RouteTable.fields;
import static io.chakrai.api.http.RouteTable.integer;
import static io.chakrai.api.http.RouteTable.nonBlank;
import static io.chakrai.api.http.RouteTable.number;
import static io.chakrai.api.http.RouteTable.obj;
import static io.chakrai.api.http.RouteTable.oneOf;
import static io.chakrai.api.http.RouteTable.password;
import static io.chakrai.api.http.RouteTable.props;
import static io.chakrai.api.http.RouteTable.string;
import static io.chakrai.api.http.RouteTable.text;
import static io.chakrai.api.http.RouteTable.texts;

import io.chakrai.api.analytics.ModelScoresHandler;
import io.chakrai.api.analytics.PatternsHandler;
import io.chakrai.api.assessments.AssessmentHandler;
import io.chakrai.api.auth.AuthHandler;
import io.chakrai.api.clinician.ClinicianHandler;
import io.chakrai.api.content.ContentHandler;
import io.chakrai.api.devices.DeviceHandler;
import io.chakrai.api.groups.EscalationService;
import io.chakrai.api.groups.FacilitatorHandler;
import io.chakrai.api.groups.GroupHandler;
import io.chakrai.api.groups.GroupService;
import io.chakrai.api.http.RouteTable;
import io.chakrai.api.imports.ImportHandler;
import io.chakrai.api.imports.ImportService;
import io.chakrai.api.predictions.AnswersHandler;
import io.chakrai.api.predictions.PredictionsHandler;
import io.chakrai.api.privacy.AuditRepository;
import io.chakrai.api.privacy.PrivacyHandler;
import io.chakrai.api.readings.ReadingsHandler;
import io.chakrai.api.voice.VoiceHandler;
import io.chakrai.models.assessment.Questionnaire;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.groups.SessionType;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.DeviceType;
import io.chakrai.models.readings.ReadingField;
import io.javalin.http.Handler;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's HTTP routes, each declared once with what it does, who may call it and what it takes
 * (see {@link RouteTable}); the WebSocket is registered by {@link ChakraiApi}.
 */
final class ApiRoutes {
    private ApiRoutes() {}

    /** The handlers the routes call. */
    record Handlers(
            AuthHandler auth,
            DeviceHandler devices,
            ReadingsHandler readings,
            ImportHandler imports,
            PredictionsHandler predictions,
            AnswersHandler answers,
            AssessmentHandler assessments,
            PatternsHandler patterns,
            ModelScoresHandler modelScores,
            VoiceHandler voice,
            PrivacyHandler privacy,
            ClinicianHandler clinician,
            GroupHandler groups,
            FacilitatorHandler facilitator,
            ContentHandler content,
            Handler health,
            Handler apiHealth,
            Handler metrics) {}

    static final List<String> DATA_TYPES =
            Arrays.stream(DataType.values()).map(DataType::wireName).toList();
    static final List<String> DEVICE_TYPES =
            Arrays.stream(DeviceType.values()).map(DeviceType::wireName).toList();

    static RouteTable declare(RouteTable r, Handlers h) {
        Schema<?> range = dateTime();
        Schema<?> zone = text(64);
        zone.setDefault("UTC");
        ApiSchemas s = new ApiSchemas(r);
        r.area(
                "operations",
                "Health and metrics of the API and the pipeline behind it, for operators and probes");
        r.get("/health", h.health(), "Health of the API and the pipeline behind it")
                .id("health")
                .open()
                .describe(
                        "PostgreSQL, Kafka, and each Flink job: RUNNING, last checkpoint recent, consumer lag bounded. "
                                + "503 names what is down.")
                .returns(200, "every part is up", s.health)
                .produces(
                        503, "something is down; each check says why", "application/json", s.health)
                .add();
        r.get("/health/api", h.apiHealth(), "Readiness of the API itself (PostgreSQL, Kafka)")
                .id("apiHealth")
                .open()
                .returns(200, "ready", s.health)
                .produces(503, "the API cannot serve", "application/json", s.health)
                .add();
        r.get("/metrics", h.metrics(), "Prometheus metrics")
                .id("metrics")
                .open()
                .produces(200, "Prometheus' text format", "text/plain", string())
                .add();

        r.area("auth", "Accounts, sign-in, tokens and sessions");

        r.post("/api/v2/auth/register", h.auth()::register, "Create an account")
                .id("register")
                .open()
                .body(
                        "invalid_registration",
                        obj(
                                props(
                                        "email",
                                        text(254).format("email"),
                                        "password",
                                        newPassword(),
                                        "display_name",
                                        text(100)),
                                Set.of("email", "password")))
                .returns(201, "created", s.account)
                .responds(409, "the e-mail is taken")
                .add();
        r.post("/api/v2/auth/token", h.auth()::token, "Sign in: an access token")
                .id("signIn")
                .open()
                .body(
                        "invalid_credentials_request",
                        obj(
                                props("email", text(254), "password", password(1024)),
                                Set.of("email", "password")))
                .describe(
                        "A short-lived access token (expires_in seconds, 15 minutes by default) and a refresh token that "
                                + "rotates on every use for up to 30 days. Wrong passwords are throttled per account and per client "
                                + "address: after 5 (per account) or 20 (per address) failures, each further one locks sign-in for "
                                + "twice as long (1 s, 2 s, 4 s, … up to 15 minutes), answered 429 with Retry-After; an unknown "
                                + "account is answered and throttled exactly like a wrong password.")
                .returns(200, "signed in", s.tokens)
                .responds(401, "wrong e-mail or password")
                .responds(429, "too many failed sign-ins; see Retry-After")
                .add();
        r.post(
                        "/api/v2/auth/refresh",
                        h.auth()::refresh,
                        "A new access token for a refresh token (which is used up)")
                .id("refreshToken")
                .open()
                .describe(
                        "Returns the next refresh token too. A refresh token presented a second time signs its session "
                                + "out (it may have been copied).")
                .body(
                        "invalid_refresh_request",
                        obj(props("refresh_token", text(200)), Set.of("refresh_token")))
                .returns(200, "the next pair of tokens", s.tokens)
                .responds(401, "unknown, expired, signed out or already used")
                .add();
        r.post(
                        "/api/v2/auth/logout",
                        h.auth()::signOut,
                        "Sign out this session (its tokens and sockets stop working)")
                .id("signOut")
                .noContent("signed out")
                .roles(RouteTable.ANY_ACCOUNT)
                .add();
        r.post(
                        "/api/v2/auth/logout-all",
                        h.auth()::signOutEverywhere,
                        "Sign out every session of the caller")
                .id("signOutEverywhere")
                .returns(
                        200,
                        "signed out",
                        r.component(
                                "SignedOut", fields().add("sessions_ended", integer()).schema()))
                .roles(RouteTable.ANY_ACCOUNT)
                .add();
        r.put(
                        "/api/v2/auth/password",
                        h.auth()::changePassword,
                        "Change the password; every other session ends")
                .id("changePassword")
                .body(
                        "invalid_password_change",
                        obj(
                                props(
                                        "current_password",
                                        password(1024),
                                        "new_password",
                                        newPassword()),
                                Set.of("current_password", "new_password")))
                .returns(
                        200,
                        "changed",
                        r.component(
                                "PasswordChanged",
                                fields().add("other_sessions_ended", integer()).schema()))
                .responds(403, "current_password is wrong")
                .roles(RouteTable.ANY_ACCOUNT)
                .add();

        r.area("devices", "The caller's wearables");
        Schema<?> newDevice =
                r.component(
                        "NewDevice",
                        obj(
                                props(
                                        "device_type",
                                        oneOf(DEVICE_TYPES),
                                        "device_id",
                                        text(128),
                                        "device_name",
                                        text(100),
                                        "data_types",
                                        array(oneOf(DATA_TYPES), 1, DATA_TYPES.size()),
                                        "sync_frequency",
                                        integer(10, 86_400),
                                        "auth_token",
                                        text(4_096),
                                        "settings",
                                        anyObject()),
                                Set.of("device_type", "device_id", "data_types")));
        Schema<?> device =
                r.component(
                        "DeviceChanges",
                        obj(
                                props(
                                        "device_name",
                                        text(100),
                                        "data_types",
                                        array(oneOf(DATA_TYPES), 1, DATA_TYPES.size()),
                                        "sync_frequency",
                                        integer(10, 86_400),
                                        "auth_token",
                                        text(4_096),
                                        "settings",
                                        anyObject(),
                                        "connection_status",
                                        oneOf(DeviceHandler.STATUSES)),
                                Set.of()));
        r.post("/api/v2/biometric/devices", h.devices()::create, "Register a wearable")
                .id("registerDevice")
                .body("invalid_device", newDevice)
                .returns(201, "registered", s.device)
                .returns(200, "a deactivated device of the caller's, active again", s.device)
                .responds(409, "already registered")
                .add();
        r.get("/api/v2/biometric/devices", h.devices()::list, "The caller's devices")
                .id("listDevices")
                .returns(200, "OK", s.devices)
                .add();
        r.get("/api/v2/biometric/devices/{id}", h.devices()::get, "One of the caller's devices")
                .id("getDevice")
                .owned()
                .path("id", integer(1, Integer.MAX_VALUE), "the device's id")
                .returns(200, "OK", s.device)
                .add();
        r.put(
                        "/api/v2/biometric/devices/{id}",
                        h.devices()::update,
                        "Change one of the caller's devices")
                .id("updateDevice")
                .owned()
                .path("id", integer(1, Integer.MAX_VALUE), "the device's id")
                .body("invalid_device", device)
                .returns(200, "changed", s.device)
                .add();
        r.delete(
                        "/api/v2/biometric/devices/{id}",
                        h.devices()::delete,
                        "Deactivate one of the caller's devices")
                .id("deactivateDevice")
                .owned()
                .path("id", integer(1, Integer.MAX_VALUE), "the device's id")
                .noContent("deactivated")
                .add();

        r.area("readings", "Biometric readings: sent in batches, read back in pages");

        Schema<?> reading = r.component("NewReading", newReading());
        r.post(
                        "/api/v2/biometric/readings",
                        h.readings()::post,
                        "Send readings (one, or a batch of up to 10,000)")
                .id("sendReadings")
                .describe(
                        "202 once Kafka holds every reading of the batch; a batch with any bad reading is refused whole.")
                .body("invalid_readings", array(reading, 1, 10_000))
                .returns(202, "accepted: durable in Kafka", s.accepted)
                .responds(413, "batch or body too large")
                .responds(503, "Kafka did not acknowledge; retry")
                .add();
        r.get(
                        "/api/v2/biometric/readings",
                        h.readings()::get,
                        "The caller's readings, newest first, in cursor pages")
                .id("listReadings")
                .query("data_type", oneOf(DATA_TYPES), "only this type")
                .query(
                        "device_id",
                        integer(1, Integer.MAX_VALUE),
                        "only this device of the caller's")
                .query("from", range, "inclusive")
                .query("to", range, "exclusive")
                .query(
                        "limit",
                        integer(1, ReadingsHandler.MAX_LIMIT, ReadingsHandler.DEFAULT_LIMIT),
                        "page size")
                .query("cursor", text(200), "next_cursor of the previous page")
                .returns(200, "a page", s.readingsPage)
                .responds(404, "device_id is not one of the caller's devices")
                .add();
        r.get(
                        "/api/v2/biometric/daily",
                        h.readings()::daily,
                        "The caller's days in a few figures (a year at a glance)")
                .id("dailyHistory")
                .query("days", integer(1, 730, 365), "how many days back, today included")
                .query("tz", zone, "IANA time zone of the days")
                .returns(200, "oldest day first", s.daily)
                .add();

        r.area(
                "imports",
                "History from a phone's or wearable's export (Apple Health, Fitbit, Oura), uploaded in chunks");
        r.post(
                        "/api/v2/biometric/imports",
                        h.imports()::create,
                        "Start an import: the export's name and size")
                .id("startImport")
                .describe(
                        "Then send the file with PUT …/content in chunks (each at most the body limit, 8 MB by default) at "
                                + "the offset the server holds; once whole it is read in the background. One import at a time each. "
                                + "Readings are checked like live ones; those stored already count as duplicates and are not stored "
                                + "again. Formats, mappings and limits: docs/imports.md.")
                .body(
                        "invalid_import",
                        obj(
                                props(
                                        "file_name",
                                        text(255),
                                        "size_bytes",
                                        integer(1, ImportService.MAX_BYTES),
                                        "format",
                                        oneOf(ImportHandler.FORMATS),
                                        "time_zone",
                                        text(64)),
                                Set.of("file_name", "size_bytes")))
                .returns(201, "started: send the file", s.biometricImport)
                .responds(409, "an import of the caller's is not finished")
                .responds(507, "the server has no room for a file of this size now")
                .add();
        r.put(
                        "/api/v2/biometric/imports/{id}/content",
                        h.imports()::content,
                        "Send a chunk of the import's file")
                .id("sendImportChunk")
                .owned()
                .path("id", integer(1, Long.MAX_VALUE), "the import's id")
                .requiredQuery(
                        "offset",
                        integer(0, ImportService.MAX_BYTES - 1),
                        "where the chunk starts: the import's received_bytes")
                .binary("the file's bytes from offset")
                .returns(200, "appended; read once whole", s.biometricImport)
                .responds(
                        409,
                        "the offset is not received_bytes, a chunk of it is being received, or the file is whole already")
                .responds(415, "not application/octet-stream")
                .add();
        r.get(
                        "/api/v2/biometric/imports/{id}",
                        h.imports()::get,
                        "One of the caller's imports and its progress")
                .id("getImport")
                .owned()
                .path("id", integer(1, Long.MAX_VALUE), "the import's id")
                .returns(200, "OK", s.biometricImport)
                .add();
        r.delete(
                        "/api/v2/biometric/imports/{id}",
                        h.imports()::cancel,
                        "Cancel an upload not yet whole (its file is deleted)")
                .id("cancelImport")
                .owned()
                .path("id", integer(1, Long.MAX_VALUE), "the import's id")
                .returns(200, "cancelled: status failed, error \"cancelled\"", s.biometricImport)
                .responds(409, "the import is not uploading any more")
                .add();
        r.get("/api/v2/biometric/imports", h.imports()::list, "The caller's imports, newest first")
                .id("listImports")
                .query("limit", integer(1, ImportHandler.MAX_LIMIT, 20), "how many")
                .returns(200, "OK", s.imports)
                .add();

        r.area(
                "predictions",
                "Stress episodes as the detector finds them, the interventions offered, their analysis");
        r.get(
                        "/api/v2/biometric/predictions",
                        h.predictions()::predictions,
                        "The caller's predictions")
                .id("listPredictions")
                .query("type", oneOf(PredictionsHandler.TYPES), "prediction type")
                .query("from", range, "inclusive")
                .query("to", range, "exclusive")
                .query("limit", integer(1, 1_000, 100), "at most")
                .returns(200, "newest first", s.predictions)
                .add();
        r.get(
                        "/api/v2/biometric/predictions/accuracy",
                        h.predictions()::accuracy,
                        "How often the caller's predictions came true")
                .id("predictionAccuracy")
                .returns(200, "OK", s.accuracy)
                .add();
        r.get(
                        "/api/v2/biometric/interventions",
                        h.predictions()::interventions,
                        "Interventions offered to the caller")
                .id("listInterventions")
                .query("status", oneOf(PredictionsHandler.STATUSES), "only these")
                .query("limit", integer(1, 1_000, 100), "at most")
                .returns(200, "newest first", s.interventions)
                .add();
        r.post(
                        "/api/v2/biometric/interventions/respond",
                        h.predictions()::respond,
                        "Accept or dismiss an intervention")
                .id("respondToIntervention")
                .body(
                        "invalid_response",
                        obj(
                                props(
                                        "intervention_id",
                                        integer(1, Long.MAX_VALUE),
                                        "response",
                                        oneOf(List.of("accepted", "dismissed")),
                                        "helpful",
                                        integer(1, 5)),
                                Set.of("intervention_id")))
                .returns(200, "recorded", s.intervention)
                .responds(404, "no such intervention of the caller's")
                .add();
        r.post(
                        "/api/v2/biometric/predictions/{id}/answer",
                        h.answers()::answerEpisode,
                        "Say whether an episode was stress")
                .id("answerEpisode")
                .owned()
                .path("id", integer(1, Long.MAX_VALUE), "the stress episode's prediction id")
                .describe(
                        "yes, no or not sure; one answer an episode, final. The stress job learns the person's own model "
                                + "from yes and no (their detector judges their minutes from then on); not sure is kept, not learned.")
                .body(
                        "invalid_answer",
                        obj(
                                props(
                                        "answer",
                                        oneOf(io.chakrai.models.stress.StressAnswers.ANSWERS)),
                                Set.of("answer")))
                .returns(201, "stored", s.stressAnswer)
                .responds(404, "no such prediction of the caller's")
                .responds(409, "the episode has an answer already")
                .add();
        r.post(
                        "/api/v2/biometric/check-ins",
                        h.answers()::checkIn,
                        "Say how stressed you are right now")
                .id("checkIn")
                .describe(
                        "0 (not at all) to 10 (extremely), for the current minute; at most one a minute. 6 or more teaches "
                                + "the person's own detector a stress minute, 3 or less a calm one.")
                .body(
                        "invalid_check_in",
                        obj(props("stress_level", integer(0, 10)), Set.of("stress_level")))
                .returns(201, "stored", s.stressAnswer)
                .responds(409, "a check-in this minute already")
                .add();
        r.get(
                        "/api/v2/biometric/answers",
                        h.answers()::answers,
                        "The caller's answers and how often the detector agreed")
                .id("listAnswers")
                .query("limit", integer(1, AnswersHandler.MAX_LIMIT, 100), "at most")
                .returns(200, "newest first", s.stressAnswers)
                .add();
        r.get(
                        "/api/v2/biometric/analysis",
                        h.predictions()::analysis,
                        "The caller's stress analysis over a period")
                .id("stressAnalysis")
                .query("from", range, "inclusive (default: 7 days ago)")
                .query("to", range, "exclusive (default: now)")
                .returns(200, "OK", s.analysis)
                .add();

        r.area(
                "assessments",
                "Mental-health risk: assessed on request and every day, with what weighs and what helps");

        // each answer 0 (not at all) to 3 (nearly every day), one per item
        Schema<?> phq9 =
                array(integer(0, 3), Questionnaire.PHQ9.items(), Questionnaire.PHQ9.items());
        Schema<?> gad7 =
                array(integer(0, 3), Questionnaire.GAD7.items(), Questionnaire.GAD7.items());
        r.post(
                        "/api/v2/prediction/assess",
                        h.assessments()::assess,
                        "Assess risk now (optionally with PHQ-9 / GAD-7 answers)")
                .id("assess")
                .optionalBody(
                        "invalid_assessment",
                        obj(props("phq9", phq9, "gad7", gad7, "answered_at", dateTime()), Set.of()))
                .returns(201, "assessed", s.assessed)
                .add();
        r.get(
                        "/api/v2/prediction/assessments",
                        h.assessments()::list,
                        "The caller's assessments, newest first")
                .id("listAssessments")
                .query("limit", integer(1, 500, 50), "at most")
                .returns(200, "newest first", s.assessments)
                .add();
        r.get(
                        "/api/v2/prediction/current-risk",
                        h.assessments()::current,
                        "The caller's current risk")
                .id("currentRisk")
                .returns(200, "the latest assessment, or null before the first", s.currentRisk)
                .add();

        r.area(
                "analytics",
                "Patterns in the caller's own data, and what model jobs scored for them");
        r.get(
                        "/api/v2/prediction/patterns",
                        h.patterns()::patterns,
                        "When the caller's stress episodes happen")
                .id("stressPatterns")
                .query("days", integer(7, 365, 30), "how far back")
                .query("tz", zone, "IANA time zone")
                .returns(200, "OK", s.patterns)
                .add();
        r.get(
                        "/api/v2/prediction/correlations",
                        h.patterns()::correlations,
                        "What goes with the caller's stress")
                .id("correlations")
                .query("days", integer(7, 365, 30), "how far back")
                .query("tz", zone, "IANA time zone")
                .returns(200, "OK", s.correlations)
                .add();
        r.get(
                        "/api/v2/prediction/model-scores",
                        h.modelScores()::scores,
                        "Scores a registered model gave the caller")
                .id("modelScores")
                .requiredQuery("model", nonBlank(100), "registered model name")
                .query("version", integer(1, Integer.MAX_VALUE), "version (default: every one)")
                .query("from", range, "inclusive")
                .query("to", range, "exclusive")
                .query("limit", integer(1, 5_000, 500), "at most")
                .returns(200, "OK", s.modelScores)
                .add();

        r.area("voice", "Voice recordings scored by the production voice models");
        r.post(
                        "/api/v2/prediction/voice-analysis",
                        h.voice()::analyse,
                        "Analyse a voice recording (PCM WAV)")
                .id("analyseVoice")
                .multipart(
                        obj(
                                props(
                                        "audio",
                                        new StringSchema().format("binary"),
                                        "recorded_at",
                                        dateTime()),
                                Set.of("audio")))
                .returns(201, "analysed", s.voiceAnalysis)
                .responds(413, "recording too large")
                .responds(503, "the production voice model could not be loaded")
                .add();

        r.area("privacy", "The caller's own data: export, audit trail, consents, erasure");

        r.get(
                        "/api/v2/me/export",
                        h.privacy()::export,
                        "Everything stored about the caller, as a ZIP (JSON + CSV)")
                .id("exportMyData")
                .describe(
                        "Streamed as it is written: manifest.json (counts per file), one JSON array per kind of data, "
                                + "readings.csv. X-Export-Rows gives the number of rows for progress.")
                .produces(200, "a ZIP", "application/zip", string().format("binary"))
                .add();
        r.get(
                        "/api/v2/me/audit",
                        h.privacy()::audit,
                        "Who read or changed the caller's data: who, what, when, why")
                .id("auditTrail")
                .describe(
                        "Append-only: every read of the caller's health data by anyone else (a model job reading "
                                + "it for training, and — as those roles come — facilitators and clinicians), the caller's "
                                + "exports and consent changes. Newest first.")
                .query("limit", integer(1, 1_000, 100), "at most")
                .returns(200, "newest first", s.audit)
                .add();
        r.get(
                        "/api/v2/me/consents",
                        h.privacy()::consents,
                        "The caller's choices: groups, clinician access, model training")
                .id("listConsents")
                .describe("Each is opt-in: never chosen means not granted.")
                .returns(200, "OK", s.consents)
                .add();
        r.put(
                        "/api/v2/me/consents",
                        h.privacy()::consent,
                        "Opt in to, or withdraw from, one kind of use")
                .id("setConsent")
                .body(
                        "invalid_consent",
                        obj(
                                props(
                                        "kind",
                                        oneOf(AuditRepository.CONSENT_KINDS),
                                        "granted",
                                        bool()),
                                Set.of("kind", "granted")))
                .returns(200, "recorded", s.consent)
                .add();
        r.delete(
                        "/api/v2/me",
                        h.privacy()::erase,
                        "Erase the caller: every row of theirs, confirmed with the password")
                .id("eraseMe")
                .describe(
                        "Group messages they wrote stay in their threads with the text removed; records on Kafka "
                                + "expire with the topics' retention (7 days; 30 for dead letters).")
                .body("invalid_erasure", obj(props("password", password(1024)), Set.of("password")))
                .returns(200, "erased", s.erased)
                .responds(403, "wrong password: nothing was erased")
                .add();

        r.area("clinician", "Clinicians: the people who granted them access, and their risk");
        r.get(
                        "/api/v2/clinician/patients",
                        h.clinician()::patients,
                        "People in the clinician's care and their current risk")
                .id("listPatients")
                .describe(
                        "Only people who granted clinician access (GET/PUT /api/v2/me/consents); escalated and riskiest "
                                + "first. Every look is written into each person's audit trail.")
                .returns(200, "OK", s.patients)
                .roles(RouteTable.Role.CLINICIAN)
                .add();
        r.get(
                        "/api/v2/clinician/patients/{id}/risk",
                        h.clinician()::risk,
                        "One person's current risk, if they granted access")
                .id("patientRisk")
                .describe(
                        "404 for anyone who did not grant clinician access, exactly as for someone who does not exist.")
                .path("id", integer(1, Integer.MAX_VALUE), "the person's user id")
                .owned()
                .returns(200, "OK", s.patient)
                .roles(RouteTable.Role.CLINICIAN)
                .add();
        declareGroups(r, h, s);
        declareContent(r, h, s);
        r.area("pages", "The dashboard and this description");
        r.get(
                        "/dashboard",
                        ctx -> Dashboard.serve(ctx, "dashboard.html", "text/html; charset=utf-8"),
                        "The dashboard")
                .id("dashboard")
                .open()
                .produces(200, "a page", "text/html", string())
                .add();
        r.get(
                        "/dashboard.js",
                        ctx ->
                                Dashboard.serve(
                                        ctx, "dashboard.js", "text/javascript; charset=utf-8"),
                        "The dashboard's script")
                .id("dashboardScript")
                .open()
                .produces(200, "a script", "text/javascript", string())
                .add();
        r.get(
                        "/docs",
                        ctx -> Dashboard.serve(ctx, "docs.html", "text/html; charset=utf-8"),
                        "This description, readable")
                .id("docs")
                .open()
                .produces(200, "a page", "text/html", string())
                .add();
        r.get(
                        "/docs.js",
                        ctx -> Dashboard.serve(ctx, "docs.js", "text/javascript; charset=utf-8"),
                        "The docs page's script")
                .id("docsScript")
                .open()
                .produces(200, "a script", "text/javascript", string())
                .add();
        r.get(
                        "/openapi.json",
                        ctx -> ctx.contentType("application/json").result(r.openApiJson()),
                        "This description (OpenAPI 3.1)")
                .id("openApi")
                .open()
                .produces(200, "this document", "application/json", anyObject())
                .add();
        return r;
    }

    private static void declareContent(RouteTable r, Handlers h, ApiSchemas s) {
        r.area(
                "content",
                "Personalised meditations, worksheets and stories, their sessions and measured effect");
        Schema<?> request =
                r.component(
                        "ContentRequest",
                        obj(
                                props(
                                        "focus",
                                        text(200),
                                        "goals",
                                        texts(0, 5, 120),
                                        "duration_minutes",
                                        integer(3, 60),
                                        "difficulty",
                                        oneOf(ContentHandler.DIFFICULTIES)),
                                Set.of()));
        String generated =
                "201 a therapeutic_content row: title, content, personalizations (what was personalised and from which of "
                        + "the caller's data), target_conditions, therapeutic_goals, difficulty_level, estimated_duration (s). Composed by the "
                        + "built-in generator (Pebble templates over reviewed building blocks) and checked before it is stored: no diagnoses, "
                        + "dosages or medical claims, nothing unsafe for someone in crisis, every part of its structure. Someone whose "
                        + "request reads as crisis language, or whose current risk is critical, gets 409 crisis_support with crisis "
                        + "resources instead.";
        r.post(
                        "/api/v2/content/generate/meditation",
                        h.content()::meditation,
                        "A personalised meditation (3–60 min)")
                .id("generateMeditation")
                .describe(
                        generated
                                + " A breathing practice or a body scan: settle, intention, anchor, guided attention, returning "
                                + "without judgement, close; silences sized to the length asked for.")
                .optionalBody("invalid_content_request", request)
                .returns(201, "generated", s.content)
                .responds(409, "crisis_support: help instead of an exercise")
                .add();
        r.post(
                        "/api/v2/content/generate/worksheet",
                        h.content()::worksheet,
                        "A personalised CBT worksheet (10–60 min)")
                .id("generateWorksheet")
                .describe(
                        generated
                                + " A thought record, behavioural activation or worry time, chosen from the request and the "
                                + "caller's latest check-in.")
                .optionalBody("invalid_content_request", request)
                .returns(201, "generated", s.content)
                .responds(409, "crisis_support: help instead of an exercise")
                .add();
        r.post(
                        "/api/v2/content/generate/story",
                        h.content()::story,
                        "A personalised therapeutic story (3–15 min)")
                .id("generateStory")
                .describe(
                        generated
                                + " Its protagonist meets the caller's own situation: problem, discovered resources, outcome.")
                .optionalBody("invalid_content_request", request)
                .returns(201, "generated", s.content)
                .responds(409, "crisis_support: help instead of an exercise")
                .add();
        r.get(
                        "/api/v2/content/library",
                        h.content()::library,
                        "The caller's content and the shared library, best for them first")
                .id("contentLibrary")
                .describe(
                        "Ranked by measured effectiveness: the caller's own with that type of content (0.6) and the piece's across "
                                + "everyone who used it (0.4), 0.5 where nothing is measured yet.")
                .query("type", oneOf(ContentType.names()), "only this type")
                .query("condition", oneOf(ContentHandler.CONDITIONS), "only content for this")
                .query("goal", nonBlank(120), "only with this goal")
                .query("max_minutes", integer(1, 120), "at most this long")
                .query("limit", integer(1, 100, 20), "at most")
                .returns(200, "best first", s.library)
                .add();
        Schema<?> id = integer(1, Long.MAX_VALUE);
        r.get(
                        "/api/v2/content/{id}",
                        h.content()::get,
                        "One piece: the caller's own, or the shared library's")
                .id("getContent")
                .owned()
                .path("id", id, "the content's id")
                .returns(200, "OK", s.content)
                .add();
        r.put(
                        "/api/v2/content/{id}/rating",
                        h.content()::rate,
                        "Rate a piece 1–5 (on the caller's latest session of it)")
                .id("rateContent")
                .owned()
                .path("id", id, "the content's id")
                .body("invalid_rating", obj(props("rating", integer(1, 5)), Set.of("rating")))
                .returns(200, "the session it was recorded on", s.session)
                .add();
        r.post(
                        "/api/v2/content/{id}/feedback",
                        h.content()::feedback,
                        "How a session went: completion, mood before and after, a comment")
                .id("contentFeedback")
                .owned()
                .path("id", id, "the content's id")
                .body(
                        "invalid_feedback",
                        obj(
                                props(
                                        "completion_rate",
                                        number(0, 1),
                                        "mood_before",
                                        integer(1, 10),
                                        "mood_after",
                                        integer(1, 10),
                                        "comment",
                                        text(2_000)),
                                Set.of()))
                .returns(201, "the session it was recorded on", s.session)
                .add();
        r.post(
                        "/api/v2/content/{id}/sessions",
                        h.content()::start,
                        "Start a session of a piece (content_usage_tracking)")
                .id("startSession")
                .owned()
                .path("id", id, "the content's id")
                .optionalBody("invalid_session", obj(props("started_at", dateTime()), Set.of()))
                .describe(
                        "started_at: when it began, for a session recorded offline (at most 7 days back); now when absent.")
                .returns(201, "started", s.sessionStarted)
                .add();
        r.put(
                        "/api/v2/content/sessions/{id}",
                        h.content()::complete,
                        "Complete a session; its effect on the body is measured after")
                .id("completeSession")
                .describe(
                        "The content-effectiveness job compares heart rate and RMSSD in the 15 minutes after completion with the 15 "
                                + "before the start and writes hr_change, rmssd_change and effectiveness on the session.")
                .owned()
                .path("id", id, "the session's id")
                .optionalBody(
                        "invalid_completion",
                        obj(
                                props("completion_rate", number(0, 1), "completed_at", dateTime()),
                                Set.of()))
                .returns(200, "completed", s.session)
                .responds(409, "already completed")
                .add();
        r.get(
                        "/api/v2/content/sessions/{id}",
                        h.content()::session,
                        "One of the caller's sessions, with its measured effect")
                .id("getSession")
                .owned()
                .path("id", id, "the session's id")
                .returns(200, "OK", s.session)
                .add();
    }

    private static void declareGroups(RouteTable r, Handlers h, ApiSchemas s) {
        r.area("groups", "Small anonymous therapy groups: matching, membership, messages, mood");
        Schema<?> id = integer(1, Integer.MAX_VALUE);
        Schema<?> goals = texts(1, 10, 200);
        Schema<?> style = oneOf(GroupService.STYLES);
        r.post(
                        "/api/v2/therapy/groups/find-match",
                        h.groups()::findMatch,
                        "The best open group for the caller, or a new one")
                .id("findGroup")
                .describe(
                        "Scores every open group with a free seat on goal likeness (sentence embeddings), the same session "
                                + "type and closeness of current risk, and explains the score. When none scores 0.6 or more a new "
                                + "forming group is made around the caller's goals and they are placed in it (joined: true); otherwise "
                                + "join the offered group with POST …/{id}/join. Someone whose current risk is critical is not placed: "
                                + "the answer has placed: false and crisis resources for their Accept-Language, and a facilitator is "
                                + "alerted. Needs the 'groups' consent (403 consent_required).")
                .body(
                        "invalid_match_request",
                        obj(
                                props(
                                        "session_type",
                                        oneOf(SessionType.names()),
                                        "therapeutic_goals",
                                        goals,
                                        "participation_style",
                                        style),
                                Set.of("session_type", "therapeutic_goals")))
                .returns(
                        200,
                        "a group offered or made, or not placed (with crisis resources)",
                        s.match)
                .responds(403, "the 'groups' consent is not granted")
                .responds(409, "already in 5 groups")
                .add();
        r.get(
                        "/api/v2/therapy/groups",
                        h.groups()::list,
                        "The caller's groups, and open groups they may join")
                .id("listGroups")
                .query("session_type", oneOf(SessionType.names()), "only open groups of this type")
                .query("limit", integer(1, 100, 20), "open groups at most")
                .returns(200, "OK", s.groups)
                .add();
        r.post(
                        "/api/v2/therapy/groups/{id}/join",
                        h.groups()::join,
                        "Join an open group (seats are never overfilled)")
                .id("joinGroup")
                .describe(
                        "201 with the caller's pseudonym in this group (stable here, different in every group); 200 if "
                                + "already a member. forming becomes active at 3 members. 409 group_full lists alternatives in "
                                + "details; 409 group_closed.")
                .path("id", id, "the group's id")
                .shared("an open group is open to anyone who consented to groups")
                .optionalBody(
                        "invalid_join",
                        obj(
                                props(
                                        "participation_style",
                                        style,
                                        "therapeutic_goals",
                                        texts(0, 10, 200)),
                                Set.of()))
                .returns(201, "joined", s.joined)
                .returns(200, "already a member", s.joined)
                .responds(403, "the 'groups' consent is not granted")
                .responds(409, "full (alternatives in details), closed, or already in 5 groups")
                .add();
        r.put(
                        "/api/v2/therapy/groups/{id}/leave",
                        h.groups()::leave,
                        "Leave a group (your messages stay, under your pseudonym)")
                .id("leaveGroup")
                .path("id", id, "the group's id")
                .owned()
                .returns(200, "left", s.left)
                .add();
        r.post(
                        "/api/v2/therapy/groups/{id}/messages",
                        h.groups()::postMessage,
                        "Write to a group you are in")
                .id("postMessage")
                .describe(
                        "Stored with sentiment (−1..1) and emotional intensity (1–10), delivered at once to every member's "
                                + "sockets as a group_message event. A message with crisis language is held (never shown to the group): "
                                + "the answer and a crisis_support event carry crisis resources for the caller's Accept-Language, and a "
                                + "facilitator is alerted. At most 5 messages at once and 30 a minute per member (429).")
                .path("id", id, "the group's id")
                .owned()
                .body(
                        "invalid_message",
                        obj(
                                props(
                                        "content",
                                        text(GroupService.MAX_MESSAGE),
                                        "message_type",
                                        oneOf(
                                                List.copyOf(
                                                        new java.util.TreeSet<>(
                                                                GroupService.MESSAGE_TYPES)))),
                                Set.of("content")))
                .returns(201, "stored (or held, with crisis_support)", s.posted)
                .responds(409, "the group has closed")
                .responds(429, "too many messages; see Retry-After")
                .add();
        r.get(
                        "/api/v2/therapy/groups/{id}/messages",
                        h.groups()::messages,
                        "A group's messages, newest first, in cursor pages")
                .id("listMessages")
                .describe(
                        "Members only (others 404). Authors by pseudonym; held messages are never listed.")
                .path("id", id, "the group's id")
                .owned()
                .query("limit", integer(1, GroupHandler.MAX_LIMIT, 50), "page size")
                .query("cursor", text(200), "next_cursor of the previous page")
                .returns(200, "a page", s.messagesPage)
                .add();
        r.get(
                        "/api/v2/therapy/groups/{id}/sentiment",
                        h.groups()::sentiment,
                        "A group's mood over time, its trend and engagement")
                .id("groupMood")
                .describe(
                        "Windows of mean sentiment and intensity from the group-dynamics job; members see the group level, "
                                + "facilitators and clinicians also each pseudonym's.")
                .path("id", id, "the group's id")
                .owned()
                .query("hours", integer(1, 720, 24), "how far back")
                .returns(200, "OK", s.sentiment)
                .roles(
                        RouteTable.Role.PERSON,
                        RouteTable.Role.FACILITATOR,
                        RouteTable.Role.CLINICIAN)
                .add();

        r.area(
                "facilitator",
                "Facilitators and clinicians: crisis escalations a human must handle");
        r.get(
                        "/api/v2/facilitator/escalations",
                        h.facilitator()::list,
                        "People a human must reach now: crisis escalations")
                .id("listEscalations")
                .describe(
                        "Open and most severe first. By pseudonym and group; never an e-mail or user id. A facilitator sees the "
                                + "escalations of the groups they are in charge of, of groups with no facilitator and those raised to them; "
                                + "a clinician, those raised because nobody acknowledged them in time, and those of no group.")
                .query("status", oneOf(EscalationService.STATUSES), "only these")
                .query("limit", integer(1, 500, 100), "at most")
                .returns(200, "open and most severe first", s.escalations)
                .roles(RouteTable.Role.FACILITATOR, RouteTable.Role.CLINICIAN)
                .add();
        r.get(
                        "/api/v2/facilitator/escalations/{id}",
                        h.facilitator()::get,
                        "One escalation, with the held message")
                .id("getEscalation")
                .describe("The read of the held message is written into its author's audit trail.")
                .path("id", integer(1, Long.MAX_VALUE), "the escalation's id")
                .owned()
                .returns(200, "OK", s.escalation)
                .roles(RouteTable.Role.FACILITATOR, RouteTable.Role.CLINICIAN)
                .add();
        r.put(
                        "/api/v2/facilitator/escalations/{id}",
                        h.facilitator()::update,
                        "Acknowledge or resolve an escalation")
                .id("updateEscalation")
                .describe(
                        "One not acknowledged within the acknowledgement time (5 minutes by default) is raised to another "
                                + "facilitator and to the clinicians, and its author is sent crisis resources again.")
                .path("id", integer(1, Long.MAX_VALUE), "the escalation's id")
                .owned()
                .body(
                        "invalid_escalation_update",
                        obj(
                                props(
                                        "status",
                                        oneOf(List.of("acknowledged", "resolved")),
                                        "note",
                                        text(2_000)),
                                Set.of("status")))
                .returns(200, "changed", s.escalation)
                .responds(409, "not allowed from its current status")
                .roles(RouteTable.Role.FACILITATOR, RouteTable.Role.CLINICIAN)
                .add();
        r.get(
                        "/api/v2/facilitator/groups",
                        h.facilitator()::groups,
                        "The groups the facilitator is in charge of")
                .id("facilitatedGroups")
                .describe(
                        "A new group is put in the charge of the facilitator with the fewest; its escalations go to its "
                                + "facilitators first.")
                .returns(200, "OK", s.facilitatedGroups)
                .roles(RouteTable.Role.FACILITATOR)
                .add();
        r.put(
                        "/api/v2/facilitator/groups/{id}",
                        h.facilitator()::take,
                        "Take charge of a group too")
                .id("takeGroup")
                .path("id", integer(1, Integer.MAX_VALUE), "the group's id")
                .shared("a facilitator may take charge of any group")
                .returns(200, "the groups the facilitator is now in charge of", s.facilitatedGroups)
                .roles(RouteTable.Role.FACILITATOR)
                .add();
    }

    /**
     * A new password, as typed: its length in characters (its bytes are the handler's to count).
     */
    private static Schema<?> newPassword() {
        return password(1024).minLength(AuthHandler.MIN_PASSWORD_LENGTH);
    }

    /**
     * A reading as apps post it, from the one list of a reading's fields ({@link ReadingField}):
     * what the reader reads is what this description shows.
     */
    static Schema<?> newReading() {
        Map<String, Schema<?>> props = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        double low =
                Arrays.stream(DataType.values()).mapToDouble(DataType::min).min().orElseThrow();
        double high =
                Arrays.stream(DataType.values()).mapToDouble(DataType::max).max().orElseThrow();
        for (ReadingField f : ReadingField.values()) {
            if (!f.posted()) {
                continue;
            }
            Schema<?> schema =
                    switch (f.kind()) {
                        case INTEGER -> integer(1, Integer.MAX_VALUE);
                        case TEXT -> f == ReadingField.TYPE ? oneOf(DATA_TYPES) : text(32);
                        case NUMBER -> number(low, high);
                        case FRACTION -> number(0, 1);
                        case TIME -> dateTime();
                        case OBJECT -> anyObject();
                    };
            props.put(f.snake(), schema.description(f.description()));
            if (f.required()) {
                required.add(f.snake());
            }
        }
        // not obj(): ReadingReader, not SchemaCheck, reads a reading; it takes the camelCase
        // spellings too and passes over keys it does not know
        ObjectSchema o = new ObjectSchema();
        props.forEach(o::addProperty);
        required.stream().sorted().forEach(o::addRequiredItem);
        return o;
    }
}
