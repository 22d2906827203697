package io.chakrai.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.api.Caller;
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
        String model = Query.text(ctx, "model");
        Long v = Query.number(ctx, "version");
        Integer version = v == null ? null : Math.toIntExact(v);
        Instant[] range = Query.range(ctx, null, null);
        int limit = Query.integer(ctx, "limit");
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
