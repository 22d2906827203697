package io.chakrai.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Json;
import io.chakrai.api.http.Query;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** {@code GET /api/v2/prediction/model-scores?model&version&from&to&limit}: what model jobs scored for the caller. */
public final class ModelScoresHandler {
    private final DataSource db;

    public ModelScoresHandler(DataSource db) {
        this.db = db;
    }

    public void scores(Context ctx) throws SQLException {
        String model = ctx.queryParam("model");
        if (model == null || model.isBlank() || model.length() > 100) {
            throw ApiException.badRequest("invalid_query", "model: the registered model name is required");
        }
        Integer version = ctx.queryParam("version") == null ? null : Query.integer(ctx, "version", 1, Integer.MAX_VALUE, 1);
        Instant[] range = Query.range(ctx, null, null);
        int limit = Query.integer(ctx, "limit", 1, 5_000, 500);
        String sql = "SELECT model_version, window_start, probability FROM model_scores WHERE user_id = ? AND model_name = ?"
                + (version == null ? "" : " AND model_version = ?") + (range[0] == null ? "" : " AND window_start >= ?")
                + (range[1] == null ? "" : " AND window_start < ?") + " ORDER BY window_start DESC, model_version LIMIT ?";
        ArrayNode out = Json.MAPPER.createArrayNode();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, Caller.id(ctx));
            ps.setString(i++, model);
            if (version != null) {
                ps.setInt(i++, version);
            }
            if (range[0] != null) {
                ps.setTimestamp(i++, Timestamp.from(range[0]));
            }
            if (range[1] != null) {
                ps.setTimestamp(i++, Timestamp.from(range[1]));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("model_version", rs.getInt(1))
                            .put("window_start", rs.getTimestamp(2).toInstant().toString())
                            .put("probability", rs.getDouble(3));
                }
            }
        }
        ctx.json(Json.MAPPER.createObjectNode().put("model", model).set("scores", out));
    }
}
