package io.chakrai.api.assessments;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
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
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        Instant answeredAt =
                Bodies.pastTime(body, "answered_at", ANSWERED_WITHIN, clock.instant(), p);
        p.throwIfAny();
        ctx.status(HttpStatus.CREATED)
                .json(
                        service.assess(
                                Caller.id(ctx),
                                answers(body, "phq9"),
                                answers(body, "gad7"),
                                answeredAt));
    }

    /** A questionnaire's answers (their count and range are the declaration's), or null. */
    private static int[] answers(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asInt();
        }
        return a;
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("assessments", service.list(Caller.id(ctx), Query.integer(ctx, "limit"))));
    }

    public void current(Context ctx) throws SQLException {
        ctx.json(service.current(Caller.id(ctx)));
    }
}
