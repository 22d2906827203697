package io.chakrai.api.predictions;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The caller's predictions, how often they came true, the interventions offered and the responses
 * to them, and the analysis of a period: each scoped to the caller.
 */
public final class PredictionService {
    private final PredictionRepository repo;

    public PredictionService(PredictionRepository repo) {
        this.repo = repo;
    }

    public List<PredictionRepository.Stored> predictions(
            int user, String type, Instant from, Instant to, int limit) throws SQLException {
        return repo.predictions(user, type, from, to, limit);
    }

    /** Per prediction type. */
    public Map<String, PredictionRepository.Accuracy> accuracy(int user) throws SQLException {
        return repo.accuracy(user);
    }

    public List<Intervention> interventions(int user, String status, int limit)
            throws SQLException {
        return repo.interventions(user, status, limit);
    }

    /**
     * A response (accepted or dismissed, either may be null) and a helpful rating to one of the
     * caller's interventions; the intervention as it now stands, or empty when it is not theirs.
     */
    public Optional<Intervention> respond(int user, long id, String response, Integer helpful)
            throws SQLException {
        return repo.respond(user, id, response, helpful);
    }

    public com.fasterxml.jackson.databind.node.ObjectNode analysis(
            int user, Instant from, Instant to) throws SQLException {
        return repo.analysis(user, from, to);
    }
}
