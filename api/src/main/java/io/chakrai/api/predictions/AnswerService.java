package io.chakrai.api.predictions;

import io.chakrai.api.http.ApiException;
import java.sql.SQLException;
import java.time.Clock;

/**
 * What people say of their own stress, which teaches their own detector: "was this stress?" on one
 * of their episodes (one answer each, final), "how stressed are you right now?" (0–10, at most one
 * a minute), and their answers with how often the detector agreed.
 */
public final class AnswerService {
    private final AnswerRepository repo;
    private final Clock clock;

    public AnswerService(AnswerRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /** One of the caller's stress episodes, found by {@link #episode}: what an answer speaks of. */
    public record Episode(int user, long prediction, java.time.Instant onset) {}

    /**
     * 404 for a prediction that is not the caller's; 400 for one that is not a stress episode.
     * Checked before anything about the answer is said.
     */
    public Episode episode(int user, long prediction) throws SQLException {
        java.time.Instant onset =
                repo.episodeOnset(user, prediction)
                        .orElseThrow(() -> ApiException.notFound("prediction"));
        if (onset.equals(AnswerRepository.NOT_AN_EPISODE)) {
            throw ApiException.badRequest(
                    "not_an_episode",
                    "only a stress episode takes an answer; this prediction is of another kind");
        }
        return new Episode(user, prediction, onset);
    }

    /** The answer stored; 409 when the episode has one already. */
    public AnswerRepository.StressAnswer answerEpisode(Episode e, String answer)
            throws SQLException {
        AnswerRepository.StressAnswer stored =
                repo.answerEpisode(e.user(), e.prediction(), e.onset(), answer);
        if (stored == null) {
            throw new ApiException(409, "already_answered", "this episode has an answer already");
        }
        return stored;
    }

    /** The check-in stored for this minute; 409 when there is one already. */
    public AnswerRepository.StressAnswer checkIn(int user, int level) throws SQLException {
        AnswerRepository.StressAnswer stored = repo.checkIn(user, level, clock.instant());
        if (stored == null) {
            throw new ApiException(409, "already_checked_in", "you checked in this minute already");
        }
        return stored;
    }

    public AnswerRepository.Answers answers(int user, int limit) throws SQLException {
        return repo.answers(user, limit);
    }
}
