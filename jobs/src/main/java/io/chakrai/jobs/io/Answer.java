package io.chakrai.jobs.io;

import java.io.Serializable;

/**
 * What a person said of their stress, from the change stream of {@code stress_answers}: "was this
 * stress?" on an episode (its onset minute) or a 0–10 check-in (the minute it was given), or
 * ({@code forget}) their answers were erased and their personal model goes with them.
 *
 * @param minuteStart the minute the answer speaks of, epoch ms
 * @param episode an answer on an episode (else a check-in)
 * @param label 1 stress, 0 calm, -1 nothing to learn ({@link
 *     io.chakrai.models.stress.StressAnswers#label})
 */
public record Answer(
        long id, int userId, long minuteStart, boolean episode, int label, boolean forget)
        implements Serializable {}
