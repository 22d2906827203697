package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.stress.StressAnswers;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * What people say of their own stress, which teaches their own detector: {@code POST
 * …/predictions/{id}/answer} ("was this stress?" on an episode: yes, no, not sure; one answer
 * each), {@code POST …/check-ins} ("how stressed are you right now?", 0–10, at most one a minute)
 * and {@code GET …/answers} (theirs, and how often the detector agreed).
 */
public final class AnswersHandler {
    public static final int MAX_LIMIT = 500;
    private final AnswerRepository repo;
    private final Clock clock;

    public AnswersHandler(AnswerRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    public void answerEpisode(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "prediction", Long.MAX_VALUE);
        Instant onset =
                repo.episodeOnset(Caller.id(ctx), id)
                        .orElseThrow(() -> ApiException.notFound("prediction"));
        if (onset.equals(AnswerRepository.NOT_AN_EPISODE)) {
            throw ApiException.badRequest(
                    "not_an_episode",
                    "only a stress episode takes an answer; this prediction is of another kind");
        }
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String answer = p.oneOf(body, "answer", true, StressAnswers.ANSWERS).orElse(null);
        p.throwIfAny("invalid_answer");
        Map<String, Object> stored = repo.answerEpisode(Caller.id(ctx), id, onset, answer);
        if (stored == null) {
            throw new ApiException(409, "already_answered", "this episode has an answer already");
        }
        ctx.status(201).json(stored);
    }

    public void checkIn(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        Integer level = null;
        if (!body.hasNonNull("stress_level")) {
            p.add(
                    "stress_level",
                    "is required: how stressed you are right now, 0 (not at all) to 10 (extremely)");
        } else {
            level = p.integer(body, "stress_level", 0, 10).orElse(null);
        }
        p.throwIfAny("invalid_check_in");
        Map<String, Object> stored = repo.checkIn(Caller.id(ctx), level, clock.instant());
        if (stored == null) {
            throw new ApiException(409, "already_checked_in", "you checked in this minute already");
        }
        ctx.status(201).json(stored);
    }

    public void answers(Context ctx) throws SQLException {
        ctx.json(repo.answers(Caller.id(ctx), Query.integer(ctx, "limit", 1, MAX_LIMIT, 100)));
    }
}
