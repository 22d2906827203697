package io.chakrai.api.voice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.ErrorMapping;
import io.chakrai.api.http.Json;
import io.chakrai.models.storage.Storable;
import io.chakrai.models.voice.VoiceFeatures;
import io.chakrai.models.voice.WavAudio;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code POST /api/v2/prediction/voice-analysis}: a WAV recording (multipart field {@code audio}, optional
 * {@code recorded_at}) → its acoustic features, stored in {@code voice_health_analysis.analysis_features}.
 * Depression and anxiety scores come only from voice models a data scientist trained on labelled
 * recordings and promoted in the model registry ({@link VoiceModels}); the overall score is their mean and
 * {@code scored_by} names the versions. Without such models (as shipped: there is no labelled voice data
 * here) the scores stay empty and nothing is claimed.
 */
public final class VoiceHandler {
    /** Largest upload accepted, bytes (two minutes of 16-bit 44.1 kHz stereo is about 21 MB). */
    public static final long MAX_BYTES = 24L * 1024 * 1024;
    static final String SCORES_NOTE = "acoustic features only: there is no validated voice model for depression or "
            + "anxiety yet, so no scores are given";

    static final String SCORED_NOTE = "probabilities from the registered voice models named in scored_by; they can "
            + "claim no more than those models' evaluation on their labelled training data (see model_versions)";

    private final DataSource db;
    private final VoiceModels models;

    public VoiceHandler(DataSource db) {
        this.db = db;
        this.models = new VoiceModels(db);
    }

    public void analyse(Context ctx) throws SQLException {
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest("invalid_body", "send multipart/form-data with the recording in field 'audio'");
        }
        UploadedFile file;
        String r;
        try {
            file = ctx.uploadedFile("audio");
            r = ctx.formParam("recorded_at");
        } catch (Exception e) {
            // Jetty's multipart parser: a part over the limit, or a body that is not multipart as declared
            if (ErrorMapping.overLimit(e)) {
                throw new ApiException(413, "audio_too_large", "audio: at most " + MAX_BYTES / (1024 * 1024) + " MB");
            }
            throw ApiException.badRequest("malformed_multipart", "the multipart/form-data body could not be read "
                    + "(check the boundary and each part's headers)");
        }
        if (file == null) {
            throw ApiException.badRequest("invalid_body", "audio: a WAV recording is required (multipart field 'audio')");
        }
        if (file.size() > MAX_BYTES) {
            throw new ApiException(413, "audio_too_large", "audio: at most " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        Instant recordedAt = null;
        if (r != null) {
            try {
                recordedAt = Storable.parseInstant(r);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_body", "recorded_at: " + e.getMessage());
            }
        }
        WavAudio audio;
        try (InputStream in = file.content()) {
            audio = WavAudio.read(in.readAllBytes());
        } catch (WavAudio.InvalidAudioException e) {
            throw new ApiException(400, "invalid_audio", "audio: " + e.getMessage(),
                    List.of(Map.of("field", "audio", "reason", e.getMessage())));
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_audio", "audio: the upload could not be read");
        }
        Map<String, Double> features = VoiceFeatures.extract(audio);
        VoiceModels.Result result;
        try {
            result = models.score(features);
        } catch (IOException e) {
            throw new ApiException(503, "voice_model_unavailable", "the production voice model could not be loaded");
        }
        List<VoiceModels.Score> scores = result.scores();
        Double depression = null;
        Double anxiety = null;
        ObjectNode scoredBy = Json.MAPPER.createObjectNode();
        double confidence = 0;
        for (VoiceModels.Score s : scores) {
            double p = Math.round(s.probability() * 100) / 100.0;
            if (s.target().equals("depression")) {
                depression = p;
            } else {
                anxiety = p;
            }
            scoredBy.putObject(s.target()).put("model", s.model()).put("version", s.version());
            confidence += Math.max(s.probability(), 1 - s.probability()) / scores.size();
        }
        Double overall = scores.isEmpty() ? null : Math.round(scores.stream().mapToDouble(VoiceModels.Score::probability)
                .average().orElseThrow() * 100) / 100.0;
        Double conf = scores.isEmpty() ? null : Math.round(confidence * 100) / 100.0;
        ObjectNode f = Json.MAPPER.createObjectNode();
        features.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                f.put(k, v);
            } else {
                f.putNull(k);
            }
        });
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO voice_health_analysis "
                + "(user_id, analysis_features, recorded_at, depression_score, anxiety_score, overall_mental_state_score, "
                + "confidence, scored_by) VALUES (?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id, created_at")) {
            ps.setInt(1, Caller.id(ctx));
            ps.setString(2, f.toString());
            ps.setTimestamp(3, recordedAt == null ? null : Timestamp.from(recordedAt));
            ps.setObject(4, depression, java.sql.Types.NUMERIC);
            ps.setObject(5, anxiety, java.sql.Types.NUMERIC);
            ps.setObject(6, overall, java.sql.Types.NUMERIC);
            ps.setObject(7, conf, java.sql.Types.NUMERIC);
            ps.setString(8, scores.isEmpty() ? null : scoredBy.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("id", rs.getLong(1));
                out.set("analysis_features", f);
                out.put("depression_score", depression);
                out.put("anxiety_score", anxiety);
                out.put("overall_mental_state_score", overall);
                out.put("confidence", conf);
                out.set("scored_by", scores.isEmpty() ? Json.MAPPER.nullNode() : scoredBy);
                String note = scores.isEmpty() && result.unscored().isEmpty() ? SCORES_NOTE : SCORED_NOTE;
                if (!result.unscored().isEmpty()) {
                    note += "; not scored: " + result.unscored().entrySet().stream().map(e -> e.getKey()
                            + " needs " + String.join(", ", e.getValue()) + ", which this recording did not yield")
                            .collect(java.util.stream.Collectors.joining("; "));
                }
                out.put("scores_note", note);
                out.put("created_at", rs.getTimestamp(2).toInstant().toString());
                ctx.status(HttpStatus.CREATED).json(out);
            }
        }
    }
}
