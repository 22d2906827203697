package io.chakrai.models.assessment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuestionnaireTest {
    static int[] answersTotalling(int items, int total) {
        int[] a = new int[items];
        for (int i = 0; i < items && total > 0; i++) {
            a[i] = Math.min(3, total);
            total -= a[i];
        }
        return a;
    }

    @ParameterizedTest(name = "PHQ-9 {0} → {1}")
    @CsvSource({
        "0,minimal",
        "4,minimal",
        "5,mild",
        "9,mild",
        "10,moderate",
        "14,moderate",
        "15,moderately_severe",
        "19,moderately_severe",
        "20,severe",
        "27,severe"
    })
    void phq9BandsFollowThePublishedCutOffs(int total, String severity) {
        int[] a = answersTotalling(8, Math.min(total, 24));
        int[] nine = java.util.Arrays.copyOf(a, 9);
        nine[8] = total - java.util.Arrays.stream(a).sum();
        Questionnaire.Score s = Questionnaire.PHQ9.score(nine);
        assertEquals(total, s.total());
        assertEquals(severity, s.severity());
    }

    @ParameterizedTest(name = "GAD-7 {0} → {1}")
    @CsvSource({
        "0,minimal",
        "4,minimal",
        "5,mild",
        "9,mild",
        "10,moderate",
        "14,moderate",
        "15,severe",
        "21,severe"
    })
    void gad7BandsFollowThePublishedCutOffs(int total, String severity) {
        Questionnaire.Score s = Questionnaire.GAD7.score(answersTotalling(7, total));
        assertEquals(total, s.total());
        assertEquals(severity, s.severity());
        assertFalse(s.selfHarmPositive());
    }

    @Test
    void anyAnswerAboveZeroOnPhq9Item9FlagsSelfHarm() {
        int[] a = new int[9];
        a[8] = 1;
        Questionnaire.Score s = Questionnaire.PHQ9.score(a);
        assertEquals("minimal", s.severity());
        assertTrue(s.selfHarmPositive(), "item 9 is flagged even when the total is low");
    }

    @Test
    void malformedAnswersAreRefusedWithTheReason() {
        assertEquals(
                "PHQ9 needs exactly 9 answers, got 7",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Questionnaire.PHQ9.score(new int[7]))
                        .getMessage());
        assertEquals(
                "GAD7 item 3 must be 0, 1, 2 or 3",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Questionnaire.GAD7.score(new int[] {0, 0, 4, 0, 0, 0, 0}))
                        .getMessage());
    }
}
