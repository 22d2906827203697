package io.chakrai.api.voice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/** {@code voice_health_analysis}: one row per analysed recording, always the caller's. */
public final class VoiceRepository {
    private final DataSource db;

    public VoiceRepository(DataSource db) {
        this.db = db;
    }

    VoiceService.Analysis insert(
            int user,
            Map<String, Double> features,
            Instant recordedAt,
            Double depression,
            Double anxiety,
            Double overall,
            Double confidence,
            Map<String, VoiceService.ScoredBy> scoredBy,
            String note)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO voice_health_analysis "
                                        + "(user_id, analysis_features, recorded_at, depression_score, anxiety_score, overall_mental_state_score, "
                                        + "confidence, scored_by) VALUES (?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id, created_at")) {
            ps.setInt(1, user);
            ps.setString(2, featuresJson(features).toString());
            ps.setTimestamp(3, recordedAt == null ? null : Timestamp.from(recordedAt));
            ps.setObject(4, depression, Types.NUMERIC);
            ps.setObject(5, anxiety, Types.NUMERIC);
            ps.setObject(6, overall, Types.NUMERIC);
            ps.setObject(7, confidence, Types.NUMERIC);
            ps.setString(
                    8, scoredBy.isEmpty() ? null : Json.MAPPER.valueToTree(scoredBy).toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new VoiceService.Analysis(
                        rs.getLong(1),
                        features,
                        depression,
                        anxiety,
                        overall,
                        confidence,
                        scoredBy,
                        note,
                        rs.getTimestamp(2).toInstant());
            }
        }
    }

    /** Features as stored and answered: a measure that could not be taken is null. */
    static ObjectNode featuresJson(Map<String, Double> features) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        features.forEach(
                (k, v) -> {
                    if (Double.isFinite(v)) {
                        f.put(k, v);
                    } else {
                        f.putNull(k);
                    }
                });
        return f;
    }
}
