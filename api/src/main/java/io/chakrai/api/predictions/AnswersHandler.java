package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
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
        long id = Query.pathId(ctx, "prediction");
        // not theirs, or not an episode: said first
        AnswerService.Episode episode = service.episode(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        ctx.status(201).json(service.answerEpisode(episode, Bodies.text(body, "answer")));
    }

    public void checkIn(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        ctx.status(201).json(service.checkIn(Caller.id(ctx), Bodies.integer(body, "stress_level")));
    }

    public void answers(Context ctx) throws SQLException {
        ctx.json(service.answers(Caller.id(ctx), Query.integer(ctx, "limit")));
    }
}
