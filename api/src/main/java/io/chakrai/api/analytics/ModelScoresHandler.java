package io.chakrai.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Query;
import io.chakrai.models.Json;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code GET /api/v2/prediction/model-scores?model&version&from&to&limit}: what model jobs scored
 * for the caller.
 */
public final class ModelScoresHandler {
    private final AnalyticsRepository repository;

    public ModelScoresHandler(AnalyticsRepository repository) {
        this.repository = repository;
    }

    public void scores(Context ctx) throws SQLException {
        String model = ctx.queryParam("model");
        if (model == null || model.isBlank() || model.length() > 100) {
            throw ApiException.badRequest(
                    "invalid_query", "model: the registered model name is required");
        }
        Integer version =
                ctx.queryParam("version") == null
                        ? null
                        : Query.integer(ctx, "version", 1, Integer.MAX_VALUE, 1);
        Instant[] range = Query.range(ctx, null, null);
        int limit = Query.integer(ctx, "limit", 1, 5_000, 500);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (AnalyticsRepository.ModelScore m :
                repository.modelScores(Caller.id(ctx), model, version, range[0], range[1], limit)) {
            out.addObject()
                    .put("model_version", m.version())
                    .put("window_start", m.windowStart().toString())
                    .put("probability", m.probability());
        }
        ctx.json(Json.MAPPER.createObjectNode().put("model", model).set("scores", out));
    }
}
