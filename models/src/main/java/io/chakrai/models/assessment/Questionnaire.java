package io.chakrai.models.assessment;

import java.util.List;

/**
 * Standard self-report questionnaires, scored with their published cut-offs. PHQ-9 (Kroenke,
 * Spitzer &amp; Williams 2001): 9 items 0–3, total 0–27; 5/10/15/20 mark mild, moderate, moderately
 * severe and severe depression; item 9 asks about thoughts of self-harm. GAD-7 (Spitzer et al.
 * 2006): 7 items 0–3, total 0–21; 5/10/15 mark mild, moderate and severe anxiety.
 */
public enum Questionnaire {
    PHQ9(
            9,
            List.of(
                    new Band(0, "minimal"),
                    new Band(5, "mild"),
                    new Band(10, "moderate"),
                    new Band(15, "moderately_severe"),
                    new Band(20, "severe"))),
    GAD7(
            7,
            List.of(
                    new Band(0, "minimal"),
                    new Band(5, "mild"),
                    new Band(10, "moderate"),
                    new Band(15, "severe")));

    /** A severity band starting at a total score. */
    public record Band(int from, String severity) {}

    /** A scored questionnaire. */
    public record Score(
            Questionnaire questionnaire, int total, String severity, boolean selfHarmPositive) {
        /**
         * Whether the total reaches the band the instrument's authors recommend acting on (10+).
         */
        public boolean clinicallySignificant() {
            return total >= 10;
        }
    }

    private final int items;
    private final List<Band> bands;

    Questionnaire(int items, List<Band> bands) {
        this.items = items;
        this.bands = bands;
    }

    public int items() {
        return items;
    }

    public int maxScore() {
        return items * 3;
    }

    /**
     * Scores the answers (each 0–3, exactly {@link #items()} of them).
     *
     * @throws IllegalArgumentException naming what is wrong with the answers
     */
    public Score score(int[] answers) {
        if (answers == null || answers.length != items) {
            throw new IllegalArgumentException(
                    name()
                            + " needs exactly "
                            + items
                            + " answers, got "
                            + (answers == null ? 0 : answers.length));
        }
        int total = 0;
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] < 0 || answers[i] > 3) {
                throw new IllegalArgumentException(
                        name() + " item " + (i + 1) + " must be 0, 1, 2 or 3");
            }
            total += answers[i];
        }
        String severity = bands.get(0).severity();
        for (Band b : bands) {
            if (total >= b.from()) {
                severity = b.severity();
            }
        }
        return new Score(this, total, severity, this == PHQ9 && answers[8] > 0);
    }
}
