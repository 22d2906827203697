package io.chakrai.jobs.io;

import java.io.Serializable;

/**
 * What a person said of their stress, from the change stream of {@code stress_answers}: "was this stress?" on an
 * episode (its onset minute) or a 0–10 check-in (the minute it was given), or ({@code forget}) their answers were
 * erased and their personal model goes with them.
 *
 * @param minuteStart the minute the answer speaks of, epoch ms
 * @param episode     an answer on an episode (else a check-in)
 * @param label       1 stress, 0 calm, -1 nothing to learn ("not sure", a check-in of 4 or 5)
 */
public record Answer(long id, int userId, long minuteStart, boolean episode, int label, boolean forget) implements Serializable {
    /** A check-in of this level or more is a stress minute; of {@link #CALM_AT_MOST} or less, a calm one. */
    public static final int STRESS_FROM = 6;
    public static final int CALM_AT_MOST = 3;

    /** The label of an answer as stored: {@code answer} on an episode, or a check-in's {@code level}. */
    public static int label(String answer, Integer level) {
        if (answer != null) {
            return switch (answer) {
                case "yes" -> 1;
                case "no" -> 0;
                default -> -1;
            };
        }
        if (level == null) {
            return -1;
        }
        return level >= STRESS_FROM ? 1 : level <= CALM_AT_MOST ? 0 : -1;
    }
}
