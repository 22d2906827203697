package io.chakrai.models.content;

import java.util.List;

/**
 * What a piece of content is personalised from: the request and the person's own data. Every field
 * may be empty (a new person); the generator says in {@link Generated#personalizations()} which it
 * used.
 *
 * @param focus what the person asked to work on, or null
 * @param goals their goals for this piece
 * @param minutes the length asked for
 * @param difficulty 1 beginner, 2 intermediate, 3 advanced
 * @param episodes14d stress episodes in the last 14 days
 * @param episodeTime when most of them happen: morning, afternoon, evening, night, or null
 * @param triggers what the detector saw most with them (heart_rate_elevated, hrv_depressed, …)
 * @param shortSleep the latest risk assessment counts short sleep against them
 * @param hrvFalling … or a falling heart-rate variability
 * @param riskFactors the latest assessment's factors
 * @param groupThemes the goals of the groups they are in
 * @param helpedBefore content types that measurably helped them before, best first
 */
public record Personalisation(
        String focus,
        List<String> goals,
        int minutes,
        int difficulty,
        int episodes14d,
        String episodeTime,
        List<String> triggers,
        boolean shortSleep,
        boolean hrvFalling,
        List<String> riskFactors,
        List<String> groupThemes,
        List<String> helpedBefore) {
    public Personalisation {
        goals = goals == null ? List.of() : List.copyOf(goals);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        riskFactors = riskFactors == null ? List.of() : List.copyOf(riskFactors);
        groupThemes = groupThemes == null ? List.of() : List.copyOf(groupThemes);
        helpedBefore = helpedBefore == null ? List.of() : List.copyOf(helpedBefore);
    }

    /** Only the request: nothing known about the person yet. */
    public static Personalisation of(
            String focus, List<String> goals, int minutes, int difficulty) {
        return new Personalisation(
                focus,
                goals,
                minutes,
                difficulty,
                0,
                null,
                List.of(),
                false,
                false,
                List.of(),
                List.of(),
                List.of());
    }
}
