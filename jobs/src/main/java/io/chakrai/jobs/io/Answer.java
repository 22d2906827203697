package io.chakrai.jobs.io;

import java.io.Serializable;

/**
 * What a person said of their stress, from the change stream of {@code stress_answers}: "was this
 * stress?" on an episode (its onset minute) or a 0–10 check-in (the minute it was given), or
 * ({@code forget}) the person was erased (their answers deleted, or their row in {@code
 * erased_users}) and everything the job keeps of them goes.
 *
 * @param minuteStart the minute the answer speaks of, epoch ms
 * @param episode an answer on an episode (else a check-in)
 * @param label 1 stress, 0 calm, -1 nothing to learn ({@link
 *     io.chakrai.models.stress.StressAnswers#label})
 */
public record Answer(
        long id, int userId, long minuteStart, boolean episode, int label, boolean forget)
        implements Serializable {
    /** The erasure of a person (from {@code erased_users}): no answer, only who. */
    public static Answer erasure(int userId) {
        return new Answer(0, userId, 0, false, -1, true);
    }
}
