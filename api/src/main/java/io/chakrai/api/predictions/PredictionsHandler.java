package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.stress.PredictionCodec;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v2/biometric/predictions}, {@code …/predictions/accuracy}, {@code
 * …/interventions}, {@code POST …/interventions/respond} and {@code GET …/analysis}: the caller's
 * own, nobody else's.
 */
public final class PredictionsHandler {
    public static final Set<String> TYPES = Set.of("stress_episode", "mood_decline");
    public static final Set<String> STATUSES = Set.of("pending", "accepted", "dismissed");
    private final PredictionRepository repo;
    private final Clock clock;

    public PredictionsHandler(PredictionRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    public void predictions(Context ctx) throws SQLException {
        String type = Query.text(ctx, "type");
        Instant[] range = Query.range(ctx, null, null);
        int limit = Query.integer(ctx, "limit");
        ctx.json(
                Map.of(
                        "predictions",
                        repo.predictions(Caller.id(ctx), type, range[0], range[1], limit).stream()
                                .map(s -> PredictionCodec.toRest(s.id(), s.prediction()))
                                .toList()));
    }

    public void accuracy(Context ctx) throws SQLException {
        ctx.json(Map.of("by_type", repo.accuracy(Caller.id(ctx))));
    }

    public void interventions(Context ctx) throws SQLException {
        String status = Query.text(ctx, "status");
        ctx.json(
                Map.of(
                        "interventions",
                        repo.interventions(Caller.id(ctx), status, Query.integer(ctx, "limit"))));
    }

    public void respond(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        long id = body.get("intervention_id").asLong();
        String response = Bodies.text(body, "response");
        Integer helpful = Bodies.integer(body, "helpful");
        if (response == null && helpful == null) {
            p.add(
                    "response",
                    "give a response (accepted / dismissed), a helpful rating (1-5), or both");
        }
        p.throwIfAny();
        ctx.json(
                repo.respond(Caller.id(ctx), id, response, helpful)
                        .orElseThrow(() -> ApiException.notFound("intervention")));
    }

    public void analysis(Context ctx) throws SQLException {
        Instant now = clock.instant();
        Instant[] range = Query.range(ctx, now.minus(Duration.ofDays(7)), now);
        if (Duration.between(range[0], range[1]).toDays() > 366) {
            throw ApiException.badRequest("invalid_query", "from..to may span at most 366 days");
        }
        ctx.json(repo.analysis(Caller.id(ctx), range[0], range[1]));
    }
}
