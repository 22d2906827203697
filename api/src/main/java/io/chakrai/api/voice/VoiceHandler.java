package io.chakrai.api.voice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.ErrorMapping;
import io.chakrai.models.Json;
import io.chakrai.models.storage.Storable;
import io.chakrai.models.voice.WavAudio;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v2/prediction/voice-analysis}: a WAV recording (multipart field {@code audio},
 * optional {@code recorded_at}) → its acoustic features, stored in {@code
 * voice_health_analysis.analysis_features}. Depression and anxiety scores come only from voice
 * models a data scientist trained on labelled recordings and promoted in the model registry ({@link
 * VoiceModels}); the overall score is their mean and {@code scored_by} names the versions. Without
 * such models (as shipped: there is no labelled voice data here) the scores stay empty and nothing
 * is claimed.
 */
public final class VoiceHandler {
    /** Largest upload accepted, bytes (two minutes of 16-bit 44.1 kHz stereo is about 21 MB). */
    public static final long MAX_BYTES = 24L * 1024 * 1024;

    private final VoiceService service;

    public VoiceHandler(VoiceService service) {
        this.service = service;
    }

    public void analyse(Context ctx) throws SQLException {
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest(
                    "invalid_body", "send multipart/form-data with the recording in field 'audio'");
        }
        UploadedFile file;
        String r;
        try {
            file = ctx.uploadedFile("audio");
            r = ctx.formParam("recorded_at");
        } catch (Exception e) {
            // Jetty's multipart parser: a part over the limit, or a body that is not multipart as
            // declared
            if (ErrorMapping.overLimit(e)) {
                throw new ApiException(
                        413,
                        "audio_too_large",
                        "audio: at most " + MAX_BYTES / (1024 * 1024) + " MB");
            }
            throw ApiException.badRequest(
                    "malformed_multipart",
                    "the multipart/form-data body could not be read "
                            + "(check the boundary and each part's headers)");
        }
        if (file == null) {
            throw ApiException.badRequest(
                    "invalid_body", "audio: a WAV recording is required (multipart field 'audio')");
        }
        if (file.size() > MAX_BYTES) {
            throw new ApiException(
                    413, "audio_too_large", "audio: at most " + MAX_BYTES / (1024 * 1024) + " MB");
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
            throw new ApiException(
                    400,
                    "invalid_audio",
                    "audio: " + e.getMessage(),
                    List.of(Map.of("field", "audio", "reason", e.getMessage())));
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_audio", "audio: the upload could not be read");
        }
        VoiceService.Analysis a;
        try {
            a = service.analyse(Caller.id(ctx), audio, recordedAt);
        } catch (IOException e) {
            throw new ApiException(
                    503,
                    "voice_model_unavailable",
                    "the production voice model could not be loaded");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", a.id());
        out.set("analysis_features", VoiceRepository.featuresJson(a.features()));
        out.put("depression_score", a.depression());
        out.put("anxiety_score", a.anxiety());
        out.put("overall_mental_state_score", a.overall());
        out.put("confidence", a.confidence());
        out.set(
                "scored_by",
                a.scoredBy().isEmpty()
                        ? Json.MAPPER.nullNode()
                        : Json.MAPPER.valueToTree(a.scoredBy()));
        out.put("scores_note", a.note());
        out.put("created_at", a.createdAt().toString());
        ctx.status(HttpStatus.CREATED).json(out);
    }
}
