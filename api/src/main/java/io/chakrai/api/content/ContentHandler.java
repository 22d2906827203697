package io.chakrai.api.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
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
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        // one request schema for the three kinds; each kind's own length range is checked here
        int[] range = ContentGenerator.minutesRange(type);
        Integer asked = Bodies.integer(body, "duration_minutes");
        int minutes = asked == null ? Math.max(range[0], 10 <= range[1] ? 10 : range[1]) : asked;
        if (minutes < range[0] || minutes > range[1]) {
            p.add(
                    "duration_minutes",
                    "must be a whole number from " + range[0] + " to " + range[1]);
        }
        String difficulty = Bodies.text(body, "difficulty");
        p.throwIfAny();
        String focus = Bodies.text(body, "focus");
        List<String> goals = Bodies.texts(body, "goals");
        ctx.status(201)
                .json(
                        service.generate(
                                Caller.id(ctx),
                                type,
                                focus,
                                goals,
                                minutes,
                                difficulty == null ? 1 : DIFFICULTIES.indexOf(difficulty) + 1,
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
        String type = Query.text(ctx, "type");
        String condition = Query.text(ctx, "condition");
        String goal = Query.text(ctx, "goal");
        Long max = Query.number(ctx, "max_minutes");
        ctx.json(
                Map.of(
                        "content",
                        service.library(
                                Caller.id(ctx),
                                type,
                                condition,
                                goal,
                                max == null ? null : max.intValue(),
                                Query.integer(ctx, "limit"))));
    }

    public void get(Context ctx) throws SQLException {
        ctx.json(service.content(Caller.id(ctx), Query.pathId(ctx, "content")));
    }

    public void rate(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content");
        // not the caller's: 404 before anything about the body is said
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        ctx.json(service.rate(Caller.id(ctx), id, Bodies.integer(body, "rating")));
    }

    public void feedback(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content");
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        Double completion = rate(body, "completion_rate");
        Integer before = Bodies.integer(body, "mood_before");
        Integer after = Bodies.integer(body, "mood_after");
        String comment = Bodies.text(body, "comment");
        if (completion == null && before == null && after == null && comment == null) {
            p.add("body", "give at least one of completion_rate, mood_before, mood_after, comment");
        }
        p.throwIfAny();
        ctx.status(201)
                .json(service.feedback(Caller.id(ctx), id, completion, before, after, comment));
    }

    public void start(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "content");
        service.content(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        java.time.Instant at = when(body, "started_at", p);
        p.throwIfAny();
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
        long usage = Query.pathId(ctx, "session");
        service.usage(Caller.id(ctx), usage);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        Double completion = rate(body, "completion_rate");
        java.time.Instant at = when(body, "completed_at", p);
        p.throwIfAny();
        ctx.json(
                service.complete(Caller.id(ctx), usage, completion == null ? 1.0 : completion, at));
    }

    public void session(Context ctx) throws SQLException {
        ctx.json(service.usage(Caller.id(ctx), Query.pathId(ctx, "session")));
    }

    /** A checked fraction (0..1), to two places; null when absent. */
    private static Double rate(JsonNode body, String field) {
        Double n = Bodies.number(body, field);
        return n == null ? null : Math.round(n * 100) / 100.0;
    }
}
