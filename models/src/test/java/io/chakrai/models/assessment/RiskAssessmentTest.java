package io.chakrai.models.assessment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RiskAssessmentTest {
    static final double NAN = Double.NaN;

    @Test
    void aWellRestedActiveCalmPersonIsLowRiskWithProtectiveFactors() {
        RiskAssessment a =
                RiskAssessment.assess(
                        new RiskInputs(new int[9], new int[7], 7, 0.1, 7.6, 0.05, -1, 9_000, NAN));
        assertEquals("low", a.riskLevel());
        assertFalse(a.professionalEscalation());
        assertTrue(
                a.protectiveFactors()
                        .containsAll(
                                java.util.List.of(
                                        "enough_sleep",
                                        "physically_active",
                                        "stable_or_rising_hrv",
                                        "few_stress_episodes",
                                        "minimal_depressive_symptoms")));
        assertEquals("comprehensive", a.assessmentType());
        assertTrue(a.confidence() >= 0.9);
    }

    @Test
    void severeSymptomsAndPoorSignalsAreCriticalAndEscalated() {
        int[] phq = {3, 3, 3, 3, 3, 2, 2, 2, 0};
        int[] gad = {3, 3, 3, 2, 2, 2, 2};
        RiskAssessment a =
                RiskAssessment.assess(new RiskInputs(phq, gad, 7, 4, 4.5, -0.35, 6, 1_500, NAN));
        assertEquals("critical", a.riskLevel());
        assertTrue(a.professionalEscalation());
        assertEquals("depressive_symptoms_phq9", a.primaryRiskFactors().get(0));
        assertEquals(
                a.score(),
                a.contributions().values().stream().mapToDouble(Double::doubleValue).sum(),
                0.05);
    }

    @Test
    void selfHarmThoughtsAlwaysEscalateWhateverTheTotal() {
        int[] phq = new int[9];
        phq[8] = 1;
        RiskAssessment a =
                RiskAssessment.assess(new RiskInputs(phq, null, 7, 0, 8, 0.1, 0, 10_000, NAN));
        assertTrue(a.professionalEscalation());
        assertEquals("high", a.riskLevel());
        assertEquals("self_harm_thoughts_phq9_item9", a.primaryRiskFactors().get(0));
        assertFalse(a.protectiveFactors().contains("minimal_depressive_symptoms"));
    }

    @Test
    void withoutQuestionnairesTheSignalsCarryTheScaleAndConfidenceIsLower() {
        RiskAssessment a =
                RiskAssessment.assess(new RiskInputs(null, null, 7, 3, 4, -0.3, 5, 1_000, NAN));
        assertEquals("biometric_only", a.assessmentType());
        assertTrue(a.score() > 90, "every signal at its worst: " + a.score());
        assertTrue(a.confidence() < 0.6);
        RiskAssessment none =
                RiskAssessment.assess(new RiskInputs(null, null, 0, NAN, NAN, NAN, NAN, NAN, NAN));
        assertEquals("low", none.riskLevel());
        assertEquals(0.3, none.confidence());
    }
}
