package io.chakrai.api.voice;

import io.chakrai.models.voice.VoiceFeatures;
import io.chakrai.models.voice.WavAudio;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rules of a voice analysis, no HTTP: features from the recording, scores from the promoted
 * voice models only ({@link VoiceModels}), the overall score as their mean, confidence as the mean
 * of max(p, 1 − p), and a note saying exactly what the scores can claim; then stored.
 */
public final class VoiceService {
    static final String SCORES_NOTE =
            "acoustic features only: there is no validated voice model for depression or "
                    + "anxiety yet, so no scores are given";
    static final String SCORED_NOTE =
            "probabilities from the registered voice models named in scored_by; they can "
                    + "claim no more than those models' evaluation on their labelled training data (see model_versions)";

    /** Who scored what: target → (model, version). */
    public record ScoredBy(String model, int version) {}

    /** One analysis as stored; scores are null when no model gave one. */
    public record Analysis(
            long id,
            Map<String, Double> features,
            Double depression,
            Double anxiety,
            Double overall,
            Double confidence,
            Map<String, ScoredBy> scoredBy,
            String note,
            Instant createdAt) {}

    private final VoiceModels models;
    private final VoiceRepository repository;

    public VoiceService(VoiceModels models, VoiceRepository repository) {
        this.models = models;
        this.repository = repository;
    }

    /**
     * Analyses and stores one recording of {@code user}.
     *
     * @throws IOException when the production voice model cannot be loaded
     */
    public Analysis analyse(int user, WavAudio audio, Instant recordedAt)
            throws SQLException, IOException {
        Map<String, Double> features = VoiceFeatures.extract(audio);
        VoiceModels.Result result = models.score(features);
        List<VoiceModels.Score> scores = result.scores();
        Double depression = null;
        Double anxiety = null;
        Map<String, ScoredBy> scoredBy = new LinkedHashMap<>();
        double confidence = 0;
        for (VoiceModels.Score s : scores) {
            double p = round2(s.probability());
            if (s.target().equals("depression")) {
                depression = p;
            } else {
                anxiety = p;
            }
            scoredBy.put(s.target(), new ScoredBy(s.model(), s.version()));
            confidence += Math.max(s.probability(), 1 - s.probability()) / scores.size();
        }
        Double overall =
                scores.isEmpty()
                        ? null
                        : round2(
                                scores.stream()
                                        .mapToDouble(VoiceModels.Score::probability)
                                        .average()
                                        .orElseThrow());
        Double conf = scores.isEmpty() ? null : round2(confidence);
        String note = scores.isEmpty() && result.unscored().isEmpty() ? SCORES_NOTE : SCORED_NOTE;
        if (!result.unscored().isEmpty()) {
            note +=
                    "; not scored: "
                            + result.unscored().entrySet().stream()
                                    .map(
                                            e ->
                                                    e.getKey()
                                                            + " needs "
                                                            + String.join(", ", e.getValue())
                                                            + ", which this recording did not yield")
                                    .collect(Collectors.joining("; "));
        }
        return repository.insert(
                user, features, recordedAt, depression, anxiety, overall, conf, scoredBy, note);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
