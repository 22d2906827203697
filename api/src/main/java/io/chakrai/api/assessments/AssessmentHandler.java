package io.chakrai.api.assessments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.Json;
import io.chakrai.models.assessment.Questionnaire;
import io.chakrai.models.assessment.RiskAssessment;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v2/prediction/assess}, {@code GET /api/v2/prediction/assessments} and {@code GET
 * /api/v2/prediction/current-risk}.
 */
public final class AssessmentHandler {
    /**
     * An assessment older than this is stale: the questionnaires ask about two weeks, the signals
     * about one.
     */
    static final Duration STALE_AFTER = Duration.ofDays(7);

    /** How far back an app may date answers it collected offline ({@code answered_at}). */
    static final Duration ANSWERED_WITHIN = Duration.ofDays(90);

    static final String SUPPORT =
            "Please talk to a mental-health professional soon. If you might act on thoughts of "
                    + "harming yourself, call your local emergency number now or go to the nearest emergency department.";

    private final AssessmentRepository repo;
    private final Clock clock;

    public AssessmentHandler(AssessmentRepository repo, Clock clock) {
        this.repo = repo;
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
        int user = Caller.id(ctx);
        // answers an app collected offline are assessed with what was known when they were given
        Instant at = answeredAt == null ? clock.instant() : answeredAt;
        RiskAssessment a =
                RiskAssessment.assess(
                        repo.context(
                                user,
                                phq9,
                                gad7,
                                LocalDate.ofInstant(at, ZoneOffset.UTC),
                                answeredAt));
        ObjectNode out = repo.save(user, a, phq9, gad7, answeredAt);
        if (a.professionalEscalation()) {
            out.put("support_message", SUPPORT);
        }
        ctx.status(HttpStatus.CREATED).json(out);
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

    public void list(Context ctx) throws SQLException, IOException {
        ctx.json(
                Map.of(
                        "assessments",
                        repo.list(Caller.id(ctx), Query.integer(ctx, "limit", 1, 500, 50))));
    }

    public void current(Context ctx) throws SQLException, IOException {
        List<ObjectNode> latest = repo.list(Caller.id(ctx), 1);
        if (latest.isEmpty()) {
            ctx.json(
                    Map.of(
                            "assessment",
                            Json.MAPPER.nullNode(),
                            "stale",
                            true,
                            "message",
                            "no assessment yet: POST /api/v2/prediction/assess"));
            return;
        }
        Instant at = Instant.parse(latest.get(0).get("created_at").asText());
        ctx.json(
                Map.of(
                        "assessment",
                        latest.get(0),
                        "stale",
                        at.isBefore(clock.instant().minus(STALE_AFTER))));
    }
}
