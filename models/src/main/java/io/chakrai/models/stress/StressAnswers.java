package io.chakrai.models.stress;

import java.util.List;

/**
 * What a person may say of their stress, and what the detector learns from it — one rule for the
 * API (what it takes, how it counts agreement), the stress job (what it learns) and the simulator
 * (what it says).
 */
public final class StressAnswers {
    /** "Was this stress?" on an episode. */
    public static final List<String> ANSWERS = List.of("yes", "no", "not_sure");

    /**
     * A check-in of this level or more is a stress minute; of {@link #CALM_AT_MOST} or less, a calm
     * one; between, neither.
     */
    public static final int STRESS_FROM = 6;

    public static final int CALM_AT_MOST = 3;

    private StressAnswers() {}

    /**
     * 1 stress, 0 calm, -1 nothing to learn: {@code answer} on an episode, or a check-in's {@code
     * level}.
     */
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
