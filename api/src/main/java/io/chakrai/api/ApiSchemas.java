package io.chakrai.api;

import static io.chakrai.api.http.RouteTable.anyObject;
import static io.chakrai.api.http.RouteTable.arrayOf;
import static io.chakrai.api.http.RouteTable.bool;
import static io.chakrai.api.http.RouteTable.date;
import static io.chakrai.api.http.RouteTable.dateTime;
import static io.chakrai.api.http.RouteTable.fields;
import static io.chakrai.api.http.RouteTable.int64;
import static io.chakrai.api.http.RouteTable.integer;
import static io.chakrai.api.http.RouteTable.mapOf;
import static io.chakrai.api.http.RouteTable.nullable;
import static io.chakrai.api.http.RouteTable.number;
import static io.chakrai.api.http.RouteTable.oneOf;
import static io.chakrai.api.http.RouteTable.string;

import io.chakrai.api.devices.DeviceHandler;
import io.chakrai.api.groups.EscalationService;
import io.chakrai.api.http.RouteTable;
import io.chakrai.api.http.RouteTable.Fields;
import io.chakrai.api.predictions.PredictionsHandler;
import io.chakrai.models.groups.SessionType;
import io.chakrai.models.readings.ReadingField;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;

/**
 * What the API answers, as shared schemas: one per thing an app reads (a reading, a prediction, an
 * assessment, a group, a message, a piece of content…), each a closed object, so a field added,
 * renamed or retyped in a handler without changing it here fails the contract tests (every response
 * the tests receive is validated against its route's schema). Registered once per {@link
 * RouteTable}; the routes refer to them.
 */
final class ApiSchemas {
    final Schema<?> account;
    final Schema<?> tokens;
    final Schema<?> device;
    final Schema<?> devices;
    final Schema<?> accepted;
    final Schema<?> readingsPage;
    final Schema<?> biometricImport;
    final Schema<?> daily;
    final Schema<?> imports;
    final Schema<?> predictions;
    final Schema<?> accuracy;
    final Schema<?> intervention;
    final Schema<?> stressAnswer;
    final Schema<?> stressAnswers;
    final Schema<?> interventions;
    final Schema<?> analysis;
    final Schema<?> assessed;
    final Schema<?> assessments;
    final Schema<?> currentRisk;
    final Schema<?> patterns;
    final Schema<?> correlations;
    final Schema<?> modelScores;
    final Schema<?> voiceAnalysis;
    final Schema<?> audit;
    final Schema<?> consent;
    final Schema<?> consents;
    final Schema<?> erased;
    final Schema<?> patient;
    final Schema<?> patients;
    final Schema<?> crisisSupport;
    final Schema<?> match;
    final Schema<?> groups;
    final Schema<?> joined;
    final Schema<?> left;
    final Schema<?> posted;
    final Schema<?> messagesPage;
    final Schema<?> sentiment;
    final Schema<?> escalation;
    final Schema<?> escalations;
    final Schema<?> facilitatedGroups;
    final Schema<?> content;
    final Schema<?> library;
    final Schema<?> sessionStarted;
    final Schema<?> session;
    final Schema<?> health;

    ApiSchemas(RouteTable r) {
        Schema<?> strings = arrayOf(string());

        account =
                r.component(
                        "Account", fields().add("id", integer()).add("email", string()).schema());
        tokens =
                r.component(
                        "Tokens",
                        fields().add(
                                        "access_token",
                                        string().description(
                                                        "send as Authorization: Bearer <access_token>"))
                                .add("token_type", oneOf(List.of("Bearer")))
                                .add(
                                        "expires_in",
                                        integer().description("seconds the access token is valid"))
                                .add(
                                        "refresh_token",
                                        string().description(
                                                        "for POST /api/v2/auth/refresh; used up by it"))
                                .add(
                                        "refresh_expires_in",
                                        integer().description("seconds the refresh token is valid"))
                                .add("user_id", integer())
                                .schema());

        device =
                r.component(
                        "Device",
                        fields().add("id", integer())
                                .add("device_type", oneOf(ApiRoutes.DEVICE_TYPES))
                                .add(
                                        "device_id",
                                        string().description("the vendor's id of the device"))
                                .add("device_name", nullable(string()))
                                .add("connection_status", oneOf(DeviceHandler.STATUSES))
                                .add("data_types", arrayOf(oneOf(ApiRoutes.DATA_TYPES)))
                                .add("sync_frequency", integer().description("seconds"))
                                .add("last_sync_at", nullable(dateTime()))
                                .add("settings", nullable(anyObject()))
                                .add("is_active", bool())
                                .add(
                                        "has_auth_token",
                                        bool().description(
                                                        "a vendor token is stored (never returned)"))
                                .add("created_at", dateTime())
                                .add("updated_at", dateTime())
                                .schema());
        devices = r.component("DeviceList", fields().add("devices", arrayOf(device)).schema());

        accepted =
                r.component(
                        "Accepted",
                        fields().add(
                                        "accepted",
                                        integer().description("readings now durable in Kafka"))
                                .schema());
        Schema<?> reading = r.component("Reading", storedReading());
        readingsPage =
                r.component(
                        "ReadingsPage",
                        fields().add("readings", arrayOf(reading))
                                .add(
                                        "next_cursor",
                                        nullable(string())
                                                .description(
                                                        "pass as cursor for the next page; null on the last"))
                                .schema());

        biometricImport =
                r.component(
                        "Import",
                        fields().add("id", int64())
                                .add(
                                        "status",
                                        oneOf(
                                                List.of(
                                                        "uploading",
                                                        "queued",
                                                        "running",
                                                        "done",
                                                        "failed")))
                                .add(
                                        "format",
                                        nullable(
                                                        oneOf(
                                                                io.chakrai.api.imports.ImportHandler
                                                                        .FORMATS))
                                                .description("null until detected"))
                                .add("file_name", string())
                                .add(
                                        "time_zone",
                                        string().description("for exports that write local times"))
                                .add("size_bytes", int64())
                                .add(
                                        "received_bytes",
                                        int64().description("the offset of the next chunk"))
                                .add("read_bytes", int64())
                                .add("records_read", int64())
                                .add(
                                        "accepted",
                                        int64().description(
                                                        "readings new to the store, sent on like live ones"))
                                .add(
                                        "duplicates",
                                        int64().description(
                                                        "readings stored already (a re-import, overlapping live data)"))
                                .add(
                                        "skipped",
                                        mapOf(int64())
                                                .description("records left out, counted by reason"))
                                .add(
                                        "error",
                                        nullable(string())
                                                .description(
                                                        "why a failed import stopped, with the position in the file"))
                                .add("created_at", dateTime())
                                .add("started_at", nullable(dateTime()))
                                .add("finished_at", nullable(dateTime()))
                                .add(
                                        "eta_seconds",
                                        nullable(int64())
                                                .description(
                                                        "seconds of reading left at the rate so far"))
                                .schema());
        daily =
                r.component(
                        "DailyHistory",
                        fields().add("days", integer())
                                .add("tz", string())
                                .add(
                                        "daily",
                                        arrayOf(
                                                fields().add("day", date())
                                                        .add(
                                                                "heart_rate",
                                                                nullable(number())
                                                                        .description("mean, bpm"))
                                                        .add(
                                                                "hrv",
                                                                nullable(number())
                                                                        .description(
                                                                                "mean RMSSD, ms"))
                                                        .add(
                                                                "hrv_sdnn",
                                                                nullable(number())
                                                                        .description(
                                                                                "mean SDNN, ms"))
                                                        .add(
                                                                "resting_heart_rate",
                                                                nullable(number())
                                                                        .description(
                                                                                "the wearable's figure, bpm"))
                                                        .add("steps", nullable(int64()))
                                                        .add(
                                                                "sleep_minutes",
                                                                int64().description(
                                                                                "of the night ending that day"))
                                                        .add("readings", int64())
                                                        .schema()))
                                .schema());
        imports =
                r.component(
                        "ImportList", fields().add("imports", arrayOf(biometricImport)).schema());

        Schema<?> suggested =
                fields().add("type", string())
                        .add("content", string())
                        .add("urgency", oneOf(List.of("low", "medium", "high")))
                        .schema();
        Schema<?> prediction =
                r.component(
                        "Prediction",
                        fields().add("id", int64())
                                .add("prediction_type", oneOf(PredictionsHandler.TYPES))
                                .add("predicted_value", number().description("0-100"))
                                .add("confidence", number().description("0-1"))
                                .add("timeframe", string())
                                .add("prediction_time", dateTime())
                                .add("target_time", dateTime())
                                .add(
                                        "time_to_onset_s",
                                        integer()
                                                .description(
                                                        "seconds from the prediction to the expected onset"))
                                .add("trigger_factors", strings)
                                .add("preventive_actions", strings)
                                .add(
                                        "actual_outcome",
                                        nullable(number()).description("what happened, once known"))
                                .add(
                                        "accuracy",
                                        nullable(number())
                                                .description(
                                                        "1 when the prediction came true, 0 when not; null until known"))
                                .add("intervention_triggered", bool())
                                .add("intervention", nullable(suggested))
                                .schema());
        predictions =
                r.component(
                        "PredictionList",
                        fields().add("predictions", arrayOf(prediction)).schema());
        accuracy =
                r.component(
                        "PredictionAccuracy",
                        fields().add(
                                        "by_type",
                                        mapOf(
                                                        fields().add("predictions", integer())
                                                                .add("with_outcome", integer())
                                                                .add(
                                                                        "precision",
                                                                        nullable(number())
                                                                                .description(
                                                                                        "share of those with an outcome that came true"))
                                                                .schema())
                                                .description("per prediction type"))
                                .schema());
        intervention =
                r.component(
                        "Intervention",
                        fields().add("id", int64())
                                .add("prediction_id", nullable(int64()))
                                .add("type", string())
                                .add("content", string())
                                .add("urgency", oneOf(List.of("low", "medium", "high")))
                                .add("status", oneOf(PredictionsHandler.STATUSES))
                                .add("helpful_rating", nullable(integer(1, 5)))
                                .add("created_at", dateTime())
                                .add("responded_at", nullable(dateTime()))
                                .schema());
        interventions =
                r.component(
                        "InterventionList",
                        fields().add("interventions", arrayOf(intervention)).schema());
        stressAnswer =
                r.component(
                        "StressAnswer",
                        fields().add("id", int64())
                                .add("kind", oneOf(List.of("episode", "check_in")))
                                .add(
                                        "prediction_id",
                                        nullable(int64())
                                                .description(
                                                        "the episode answered; null for a check-in"))
                                .add(
                                        "answer",
                                        nullable(
                                                        oneOf(
                                                                io.chakrai.models.stress
                                                                        .StressAnswers.ANSWERS))
                                                .description("on an episode"))
                                .add(
                                        "stress_level",
                                        nullable(integer(0, 10)).description("a check-in's 0-10"))
                                .add(
                                        "minute_start",
                                        dateTime()
                                                .description(
                                                        "the minute the answer speaks of: the episode's onset, or the check-in's"))
                                .add("created_at", dateTime())
                                .schema());
        stressAnswers =
                r.component(
                        "StressAnswerList",
                        fields().add("answers", arrayOf(stressAnswer))
                                .add(
                                        "summary",
                                        fields().add("episodes_answered", int64())
                                                .add("yes", int64())
                                                .add("no", int64())
                                                .add("not_sure", int64())
                                                .add("check_ins", int64())
                                                .add(
                                                        "labelled",
                                                        int64().description(
                                                                        "answers the detector learns from: yes, no, check-ins of 0-3 or 6-10"))
                                                .add(
                                                        "agreement",
                                                        nullable(number())
                                                                .description(
                                                                        "share of those the detector had judged the same way; "
                                                                                + "null before the first"))
                                                .add(
                                                        "personal_model",
                                                        bool().description(
                                                                        "the detector has answers of the caller's to learn from"))
                                                .schema())
                                .schema());
        Fields vitals =
                fields().add("resting_heart_rate_bpm", nullable(number()))
                        .add("hrv_rmssd_ms", nullable(number()));
        analysis =
                r.component(
                        "StressAnalysis",
                        fields().add("from", dateTime())
                                .add("to", dateTime())
                                .add(
                                        "days",
                                        arrayOf(
                                                fields().add("day", date())
                                                        .with(vitals)
                                                        .add("sleep_minutes", integer())
                                                        .add(
                                                                "resting_heart_rate_vs_baseline_bpm",
                                                                nullable(number()))
                                                        .add(
                                                                "hrv_vs_baseline_ms",
                                                                nullable(number()))
                                                        .schema()))
                                .add("baseline", vitals.schema())
                                .add(
                                        "stress_episodes",
                                        arrayOf(
                                                fields().add("prediction_time", dateTime())
                                                        .add("level", number())
                                                        .add("trigger_factors", strings)
                                                        .add("actual_outcome", nullable(number()))
                                                        .schema()))
                                .add("time_in_stress_minutes", integer())
                                .schema());

        Fields assessment =
                fields().add("id", int64())
                        .add("assessment_type", string())
                        .add("risk_level", oneOf(List.of("low", "moderate", "high", "critical")))
                        .add(
                                "overall_risk_score",
                                number().description(
                                                "0-100: the sum of its contributions, capped at 100"))
                        .add("confidence", number())
                        .add("timeframe", string())
                        .add("primary_risk_factors", strings)
                        .add("protective_factors", strings)
                        .add("professional_escalation", bool())
                        .add("created_at", dateTime())
                        .add("model_version", string())
                        .add(
                                "trigger",
                                string().description(
                                                "request, or the daily re-assessment that wrote it"))
                        .add("assessed_day", nullable(date()))
                        .add(
                                "contributions",
                                nullable(mapOf(number()))
                                        .description("what weighed on the score, by factor"));
        Schema<?> assessmentRef = r.component("Assessment", assessment.schema());
        assessed =
                r.component(
                        "AssessmentResult",
                        fields().with(assessment)
                                .optional(
                                        "phq9",
                                        fields().add("total", integer(0, 27))
                                                .add("severity", string())
                                                .add("item9_positive", bool())
                                                .schema())
                                .optional(
                                        "gad7",
                                        fields().add("total", integer(0, 21))
                                                .add("severity", string())
                                                .schema())
                                .optional(
                                        "support_message",
                                        string().description("when professional_escalation"))
                                .schema());
        assessments =
                r.component(
                        "AssessmentList",
                        fields().add("assessments", arrayOf(assessmentRef)).schema());
        currentRisk =
                r.component(
                        "CurrentRisk",
                        fields().add("assessment", nullable(assessmentRef))
                                .add("stale", bool().description("older than 7 days"))
                                .optional(
                                        "message",
                                        string().description("how to get a first assessment"))
                                .schema());

        patterns =
                r.component(
                        "StressPatterns",
                        fields().add("days", integer())
                                .add("tz", string())
                                .add("stress_episodes", integer())
                                .add(
                                        "episodes_by_hour",
                                        arrayOf(integer())
                                                .description("24 counts, hour 0 first, in tz"))
                                .add("episodes_by_weekday_mon_to_sun", arrayOf(integer()))
                                .add("peak_hour", nullable(integer(0, 23)))
                                .add(
                                        "sleep_before_high_stress_days",
                                        fields().add("definition", string())
                                                .add("high_stress_days", integer())
                                                .add(
                                                        "mean_sleep_hours_before_high_stress_days",
                                                        nullable(number()))
                                                .add(
                                                        "mean_sleep_hours_before_other_days",
                                                        nullable(number()))
                                                .schema())
                                .schema());
        correlations =
                r.component(
                        "Correlations",
                        fields().add("days", integer())
                                .add("tz", string())
                                .add(
                                        "correlations",
                                        arrayOf(
                                                fields().add("x", string())
                                                        .add("y", string())
                                                        .add(
                                                                "n",
                                                                integer()
                                                                        .description(
                                                                                "days with both"))
                                                        .add("reported", bool())
                                                        .optional("coefficient", number())
                                                        .optional("p_value", number())
                                                        .optional("method", string())
                                                        .optional(
                                                                "reason",
                                                                string().description(
                                                                                "why it is not reported"))
                                                        .schema()))
                                .schema());
        modelScores =
                r.component(
                        "ModelScores",
                        fields().add("model", string())
                                .add(
                                        "scores",
                                        arrayOf(
                                                fields().add("model_version", integer())
                                                        .add("window_start", dateTime())
                                                        .add("probability", number())
                                                        .schema()))
                                .schema());
        voiceAnalysis =
                r.component(
                        "VoiceAnalysis",
                        fields().add("id", int64())
                                .add(
                                        "analysis_features",
                                        mapOf(nullable(number()))
                                                .description("pitch, jitter, shimmer, HNR, MFCCs…"))
                                .add("depression_score", nullable(number()))
                                .add("anxiety_score", nullable(number()))
                                .add("overall_mental_state_score", nullable(number()))
                                .add("confidence", nullable(number()))
                                .add(
                                        "scored_by",
                                        nullable(
                                                mapOf(
                                                        fields().add("model", string())
                                                                .add("version", integer())
                                                                .schema())))
                                .add("scores_note", nullable(string()))
                                .add("created_at", dateTime())
                                .schema());

        audit =
                r.component(
                        "AuditTrail",
                        fields().add(
                                        "audit",
                                        arrayOf(
                                                fields().add("actor", string())
                                                        .add("action", string())
                                                        .add("what", string())
                                                        .add("why", string())
                                                        .add("at", dateTime())
                                                        .schema()))
                                .schema());
        consent =
                r.component(
                        "Consent",
                        fields().add(
                                        "kind",
                                        oneOf(
                                                List.of(
                                                        "groups",
                                                        "clinician_access",
                                                        "model_training")))
                                .add("granted", bool())
                                .add("at", nullable(dateTime()))
                                .schema());
        consents =
                r.component(
                        "Consents",
                        fields().add(
                                        "consents",
                                        mapOf(consent)
                                                .description(
                                                        "by kind; a kind never chosen is not granted"))
                                .schema());
        erased =
                r.component(
                        "Erasure",
                        fields().add(
                                        "erased",
                                        mapOf(integer()).description("rows erased, by table"))
                                .add("kafka", string().description("when records on Kafka expire"))
                                .schema());

        patient =
                r.component(
                        "Patient",
                        fields().add("user_id", integer())
                                .add("display_name", nullable(string()))
                                .add("risk_level", nullable(string()))
                                .add("risk_score", nullable(number()))
                                .add("escalation", nullable(bool()))
                                .add("assessed_at", nullable(dateTime()))
                                .schema());
        patients = r.component("PatientList", fields().add("patients", arrayOf(patient)).schema());

        crisisSupport =
                r.component(
                        "CrisisSupport",
                        fields().add("message", string())
                                .add("emergency", string())
                                .add(
                                        "resources",
                                        arrayOf(
                                                fields().add("name", string())
                                                        .optional("phone", string())
                                                        .optional("text", string())
                                                        .optional("url", string())
                                                        .schema()))
                                .add("locale", string())
                                .schema());
        Fields groupFields =
                fields().add("id", integer())
                        .add("session_type", oneOf(SessionType.names()))
                        .add("status", oneOf(List.of("forming", "active", "closed")))
                        .add("current_participants", integer())
                        .add("max_participants", integer())
                        .add("therapeutic_goals", strings)
                        .add("compatibility_score", nullable(number()))
                        .add("created_at", dateTime());
        Schema<?> group = r.component("Group", groupFields.schema());
        Schema<?> alternative =
                fields().add("group_id", integer())
                        .add("session_type", oneOf(SessionType.names()))
                        .add("compatibility_score", number())
                        .add("seats_left", integer())
                        .schema();
        match =
                r.component(
                        "GroupMatch",
                        fields().add("placed", bool())
                                .optional("group", group)
                                .optional("compatibility_score", number())
                                .optional(
                                        "explanation",
                                        mapOf(new Schema<>())
                                                .description(
                                                        "each part of the score with its weight and why"))
                                .optional("joined", bool())
                                .optional("anonymous_id", string())
                                .optional("alternatives", arrayOf(alternative))
                                .optional("next", string())
                                .optional("reason", string())
                                .optional("escalation", string())
                                .optional("crisis_support", crisisSupport)
                                .schema());
        groups =
                r.component(
                        "GroupList",
                        fields().add(
                                        "groups",
                                        arrayOf(
                                                r.component(
                                                        "Membership",
                                                        fields().with(groupFields)
                                                                .add(
                                                                        "anonymous_id",
                                                                        string().description(
                                                                                        "the caller's pseudonym in this group"))
                                                                .add(
                                                                        "participation_style",
                                                                        string())
                                                                .add("joined_at", dateTime())
                                                                .schema())))
                                .add("open_groups", arrayOf(group))
                                .schema());
        joined =
                r.component(
                        "Joined",
                        fields().add("group", group)
                                .add("anonymous_id", string())
                                .add("already_member", bool())
                                .schema());
        left =
                r.component(
                        "Left", fields().add("left", bool()).add("group_id", integer()).schema());
        Fields message =
                fields().add("id", int64())
                        .add("group_id", integer())
                        .add(
                                "anonymous_id",
                                string().description("the author's pseudonym in this group"))
                        .add("message_type", oneOf(List.of("text", "voice", "reaction")))
                        .add("content", nullable(string()))
                        .add("sentiment", nullable(number(-1, 1)))
                        .add("emotional_intensity", nullable(integer(1, 10)))
                        .add("timestamp", dateTime())
                        .add("status", string())
                        .optional(
                                "removed",
                                bool().description(
                                                "the author erased their account; the text is gone"));
        Schema<?> messageRef = r.component("GroupMessage", message.schema());
        posted =
                r.component(
                        "PostedMessage",
                        fields().with(message)
                                .optional(
                                        "crisis_support",
                                        new Schema<>()
                                                .$ref(crisisSupport.get$ref())
                                                .description(
                                                        "the message was held: help for the author"))
                                .schema());
        messagesPage =
                r.component(
                        "MessagesPage",
                        fields().add("messages", arrayOf(messageRef))
                                .add("next_cursor", nullable(string()))
                                .schema());
        sentiment =
                r.component(
                        "GroupMood",
                        fields().add("group_id", integer())
                                .add(
                                        "windows",
                                        arrayOf(
                                                fields().add("start", dateTime())
                                                        .add("end", dateTime())
                                                        .add("messages", integer())
                                                        .add("participants", integer())
                                                        .add("mean_sentiment", number())
                                                        .add("mean_intensity", number())
                                                        .add("negative_share", number())
                                                        .schema()))
                                .add(
                                        "trend",
                                        fields().add(
                                                        "direction",
                                                        oneOf(
                                                                List.of(
                                                                        "rising", "falling",
                                                                        "steady", "unknown")))
                                                .add("slope_per_window", nullable(number()))
                                                .add("windows", integer())
                                                .schema())
                                .add(
                                        "engagement",
                                        fields().add("members", integer())
                                                .add("mean_engagement", number())
                                                .add("writers_last_hour", integer())
                                                .add("messages_last_hour", integer())
                                                .schema())
                                .optional(
                                        "members",
                                        arrayOf(
                                                        fields().add("anonymous_id", string())
                                                                .add("engagement_level", number())
                                                                .add("member", bool())
                                                                .add("messages", integer())
                                                                .add(
                                                                        "mean_sentiment",
                                                                        nullable(number()))
                                                                .add(
                                                                        "last_message_at",
                                                                        nullable(dateTime()))
                                                                .schema())
                                                .description("facilitators and clinicians only"))
                                .add("about", string())
                                .schema());
        escalation =
                r.component(
                        "Escalation",
                        fields().add("id", int64())
                                .add("kind", string())
                                .add("severity", string())
                                .add("group_id", nullable(integer()))
                                .add("session_type", nullable(string()))
                                .add("anonymous_id", nullable(string()))
                                .add("message_id", nullable(int64()))
                                .add("concepts", nullable(strings))
                                .add("reasons", nullable(new Schema<>()))
                                .add("source", string())
                                .add("status", oneOf(EscalationService.STATUSES))
                                .add("created_at", dateTime())
                                .add("acknowledged_at", nullable(dateTime()))
                                .add("resolved_at", nullable(dateTime()))
                                .add("resolution_note", nullable(string()))
                                .add(
                                        "raises",
                                        integer()
                                                .description(
                                                        "times raised to another facilitator and the clinicians, nobody having "
                                                                + "acknowledged it in time"))
                                .add("raised_at", nullable(dateTime()))
                                .add(
                                        "message",
                                        nullable(string())
                                                .description(
                                                        "the held message, only when one escalation is read"))
                                .schema());
        escalations =
                r.component(
                        "EscalationList",
                        fields().add("escalations", arrayOf(escalation)).schema());

        facilitatedGroups =
                r.component(
                        "FacilitatedGroups",
                        fields().add(
                                        "groups",
                                        arrayOf(
                                                fields().add("group_id", integer())
                                                        .add(
                                                                "session_type",
                                                                oneOf(SessionType.names()))
                                                        .add(
                                                                "status",
                                                                oneOf(
                                                                        List.of(
                                                                                "forming", "active",
                                                                                "closed")))
                                                        .add("current_participants", integer())
                                                        .add("assigned_at", dateTime())
                                                        .add("open_escalations", integer())
                                                        .schema()))
                                .schema());

        Fields piece =
                fields().add("id", int64())
                        .add("shared", bool().description("from the shared library"))
                        .add("content_type", oneOf(List.of("meditation", "worksheet", "story")))
                        .add("variant", nullable(string()))
                        .add("title", string())
                        .add(
                                "personalizations",
                                arrayOf(anyObject())
                                        .description(
                                                "what was personalised, from which of the caller's data"))
                        .add("target_conditions", strings)
                        .add("therapeutic_goals", strings)
                        .add("difficulty_level", integer(1, 5))
                        .add("estimated_duration", integer().description("seconds"))
                        .add("generator", nullable(string()))
                        .add("created_at", dateTime())
                        .optional("measured_effectiveness", number())
                        .optional("measured_sessions", integer())
                        .optional("mean_rating", number());
        content =
                r.component(
                        "Content",
                        fields().with(piece)
                                .add("content", string().description("the text itself"))
                                .schema());
        library =
                r.component(
                        "Library",
                        fields().add(
                                        "content",
                                        arrayOf(
                                                r.component(
                                                        "LibraryItem",
                                                        fields().with(piece)
                                                                .add(
                                                                        "rank",
                                                                        number().description(
                                                                                        "how well it should suit the caller"))
                                                                .schema())))
                                .schema());
        Fields started =
                fields().add("usage_id", int64())
                        .add("content_id", int64())
                        .add("started_at", dateTime());
        sessionStarted = r.component("SessionStarted", fields().with(started).schema());
        session =
                r.component(
                        "ContentSession",
                        fields().with(started)
                                .add("completed_at", nullable(dateTime()))
                                .add("completion_rate", nullable(number(0, 1)))
                                .add("user_rating", nullable(integer(1, 5)))
                                .add("mood_before", nullable(integer(1, 10)))
                                .add("mood_after", nullable(integer(1, 10)))
                                .add(
                                        "effectiveness",
                                        nullable(number())
                                                .description(
                                                        "measured about 15 minutes after completion"))
                                .add(
                                        "hr_change",
                                        nullable(number()).description("bpm, after minus before"))
                                .add(
                                        "rmssd_change",
                                        nullable(number()).description("ms, after minus before"))
                                .add("measured_at", nullable(dateTime()))
                                .schema());

        health =
                r.component(
                        "Health",
                        fields().add("status", oneOf(List.of("up", "down")))
                                .add(
                                        "checks",
                                        mapOf(string())
                                                .description(
                                                        "each part: up, down, or down with the reason"))
                                .schema());
    }

    /**
     * A stored reading as the API returns it: its row id, then what a client posts of {@link
     * ReadingField} (the one list of a reading's fields), in its order. The switch is an
     * expression: a field added to the list does not compile until it is described here.
     */
    static Schema<?> storedReading() {
        Fields f = fields().add("id", int64());
        for (ReadingField field : ReadingField.values()) {
            if (!field.posted()) {
                continue;
            }
            Schema<?> schema =
                    switch (field) {
                        case USER -> throw new IllegalStateException("never posted");
                        case DEVICE -> integer();
                        case TYPE -> oneOf(ApiRoutes.DATA_TYPES);
                        case VALUE -> number().description("in unit");
                        case UNIT -> string().description("the type's canonical unit");
                        case QUALITY, CONFIDENCE -> number();
                        case TIMESTAMP -> dateTime().description("the device's event time");
                        case METADATA -> nullable(anyObject());
                    };
            f.add(field.snake(), schema);
        }
        return f.schema();
    }
}
