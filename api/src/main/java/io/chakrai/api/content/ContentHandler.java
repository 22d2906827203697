package io.chakrai.api.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.content.ContentGenerator;
import io.chakrai.models.content.ContentType;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** {@code /api/v2/content…}: generate, the library, one piece, rating, feedback, sessions. */
public final class ContentHandler {
    public static final List<String> CONDITIONS =
            List.of("stress", "sleep", "anxiety", "low_mood", "general_wellbeing");
    public static final List<String> DIFFICULTIES = List.of("beginner", "intermediate", "advanced");
    private final ContentService service;

    public ContentHandler(ContentService service) {
        this.service = service;
    }

    public void generate(Context ctx, ContentType type) throws SQLException {
        JsonNode body = Bodies.objectOrEmpty(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String focus = p.text(body, "focus", false, 200).orElse(null);
        List<String> goals = p.texts(body, "goals", false, 5, 120).orElse(List.of());
        int[] range = ContentGenerator.minutesRange(type);
        int minutes =
                p.integer(body, "duration_minutes", range[0], range[1])
                        .orElse(Math.max(range[0], 10 <= range[1] ? 10 : range[1]));
        String difficulty = p.oneOf(body, "difficulty", false, DIFFICULTIES).orElse("beginner");
        p.throwIfAny("invalid_content_request");
        ctx.status(201)
                .json(
                        service.generate(
                                Caller.id(ctx),
                                type,
                                focus,
                                goals,
                                minutes,
                                DIFFICULTIES.indexOf(difficulty) + 1,
                                ctx.header("Accept-Language")));
    }

    public void meditation(Context ctx) throws SQLException {
        generate(ctx, ContentType.MEDITATION);
    }

    public void worksheet(Context ctx) throws SQLException {
        generate(ctx, ContentType.WORKSHEET);
    }

    public void story(Context ctx) throws SQLException {
        generate(ctx, ContentType.STORY);
    }

    public void library(Context ctx) throws SQLException {
        String type = ctx.queryParam("type");
        if (type != null && ContentType.fromWire(type).isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_query",
                    "type: must be one of " + String.join(", ", ContentType.names()));
        }
        String condition = ctx.queryParam("condition");
        if (condition != null && !CONDITIONS.contains(condition)) {
            throw ApiException.badRequest(
                    "invalid_query", "condition: must be one of " + String.join(", ", CONDITIONS));
        }
        String goal = ctx.queryParam("goal");
        if (goal != null && (goal.isBlank() || goal.length() > 120)) {
            throw ApiException.badRequest("invalid_query", "goal: 1 to 120 characters");
        }
        Integer max =
                ctx.queryParam("max_minutes") == null
                        ? null
                        : Query.integer(ctx, "max_minutes", 1, 120, 60);
        ctx.json(
                Map.of(
                        "content",
                        service.library(
                                Caller.id(ctx),
                                type,
                                condition,
                                goal,
                                max,
                                Query.integer(ctx, "limit", 1, 100, 20))));
    }

    public void get(Context ctx) throws SQLException {
        ctx.json(service.content(Caller.id(ctx), Query.pathId(ctx, "content", Long.MAX_VALUE)));
    }

    public void rate(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content", Long.MAX_VALUE);
        // not the caller's: 404 before anything about the body is said
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        Integer rating = p.integer(body, "rating", 1, 5).orElse(null);
        if (rating == null && !body.has("rating")) {
            p.add("rating", "is required: a whole number from 1 to 5");
        }
        p.throwIfAny("invalid_rating");
        ctx.json(service.rate(Caller.id(ctx), id, rating));
    }

    public void feedback(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content", Long.MAX_VALUE);
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        Double completion = rate(body, "completion_rate", p);
        Integer before = p.integer(body, "mood_before", 1, 10).orElse(null);
        Integer after = p.integer(body, "mood_after", 1, 10).orElse(null);
        String comment = p.text(body, "comment", false, 2_000).orElse(null);
        if (completion == null && before == null && after == null && comment == null) {
            p.add("body", "give at least one of completion_rate, mood_before, mood_after, comment");
        }
        p.throwIfAny("invalid_feedback");
        ctx.status(201)
                .json(service.feedback(Caller.id(ctx), id, completion, before, after, comment));
    }

    public void start(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content", Long.MAX_VALUE);
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.objectOrEmpty(ctx);
        Bodies.Problems p = new Bodies.Problems();
        java.time.Instant at = when(body, "started_at", p);
        p.throwIfAny("invalid_session");
        ctx.status(201).json(service.start(Caller.id(ctx), id, at));
    }

    /**
     * An optional time a session happened (an app that recorded it offline syncs it later):
     * ISO-8601, at most 7 days back and not in the future; null for now.
     */
    private java.time.Instant when(JsonNode body, String field, Bodies.Problems p) {
        return Bodies.pastTime(body, field, java.time.Duration.ofDays(7), service.now(), p);
    }

    public void complete(Context ctx) throws SQLException {
        long usage = Query.pathId(ctx, "session", Long.MAX_VALUE);
        service.usage(Caller.id(ctx), usage);
        JsonNode body = Bodies.objectOrEmpty(ctx);
        Bodies.Problems p = new Bodies.Problems();
        Double completion = rate(body, "completion_rate", p);
        java.time.Instant at = when(body, "completed_at", p);
        p.throwIfAny("invalid_completion");
        ctx.json(
                service.complete(Caller.id(ctx), usage, completion == null ? 1.0 : completion, at));
    }

    public void session(Context ctx) throws SQLException {
        ctx.json(service.usage(Caller.id(ctx), Query.pathId(ctx, "session", Long.MAX_VALUE)));
    }

    private static Double rate(JsonNode body, String field, Bodies.Problems p) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()
                || n.asDouble() < 0
                || n.asDouble() > 1
                || !Double.isFinite(n.asDouble())) {
            p.add(field, "must be a number from 0 to 1");
            return null;
        }
        return Math.round(n.asDouble() * 100) / 100.0;
    }
}
