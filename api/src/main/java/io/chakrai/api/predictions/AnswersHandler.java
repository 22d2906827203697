package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.stress.StressAnswers;
import io.javalin.http.Context;
import java.sql.SQLException;

/**
 * {@code POST …/predictions/{id}/answer}, {@code POST …/check-ins}, {@code GET …/answers}: HTTP
 * only, the rules in {@link AnswerService}.
 */
public final class AnswersHandler {
    public static final int MAX_LIMIT = 500;
    private final AnswerService service;

    public AnswersHandler(AnswerService service) {
        this.service = service;
    }

    public void answerEpisode(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "prediction", Long.MAX_VALUE);
        // not theirs, or not an episode: said first
        AnswerService.Episode episode = service.episode(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String answer = p.oneOf(body, "answer", true, StressAnswers.ANSWERS).orElse(null);
        p.throwIfAny("invalid_answer");
        ctx.status(201).json(service.answerEpisode(episode, answer));
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
        ctx.status(201).json(service.checkIn(Caller.id(ctx), level));
    }

    public void answers(Context ctx) throws SQLException {
        ctx.json(service.answers(Caller.id(ctx), Query.integer(ctx, "limit", 1, MAX_LIMIT, 100)));
    }
}
