package io.chakrai.api.assessments;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.Json;
import io.chakrai.models.assessment.Questionnaire;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /api/v2/prediction/assess}, {@code GET /api/v2/prediction/assessments} and {@code GET
 * /api/v2/prediction/current-risk}.
 */
public final class AssessmentHandler {
    /** How far back an app may date answers it collected offline ({@code answered_at}). */
    static final Duration ANSWERED_WITHIN = Duration.ofDays(90);

    private final AssessmentService service;
    private final Clock clock;

    public AssessmentHandler(AssessmentService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    public void assess(Context ctx) throws SQLException {
        JsonNode body =
                ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        int[] phq9 = answers(body, "phq9", Questionnaire.PHQ9, p);
        int[] gad7 = answers(body, "gad7", Questionnaire.GAD7, p);
        Instant answeredAt =
                Bodies.pastTime(body, "answered_at", ANSWERED_WITHIN, clock.instant(), p);
        p.throwIfAny("invalid_assessment");
        ctx.status(HttpStatus.CREATED).json(service.assess(Caller.id(ctx), phq9, gad7, answeredAt));
    }

    private static int[] answers(JsonNode body, String field, Questionnaire q, Bodies.Problems p) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() != q.items()) {
            p.add(field, "must be an array of " + q.items() + " answers, each 0, 1, 2 or 3");
            return null;
        }
        int[] a = new int[q.items()];
        for (int i = 0; i < a.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 3) {
                p.add(field, "item " + (i + 1) + " must be 0, 1, 2 or 3");
                return null;
            }
            a[i] = v.asInt();
        }
        return a;
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(
                Map.of(
                        "assessments",
                        service.list(Caller.id(ctx), Query.integer(ctx, "limit", 1, 500, 50))));
    }

    public void current(Context ctx) throws SQLException {
        ctx.json(service.current(Caller.id(ctx)));
    }
}
