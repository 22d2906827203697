package io.chakrai.models.assessment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.analytics.DailySummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskFeaturesTest {
    static final LocalDate DAY = LocalDate.of(2026, 3, 14);

    static List<DailySummary> fortnight(double sleepNow, double hrvNow) {
        List<DailySummary> days = new ArrayList<>();
        for (int i = 13; i >= 0; i--) {
            boolean recent = i < 7;
            days.add(
                    new DailySummary(
                            DAY.minusDays(i),
                            recent ? sleepNow : 7.5,
                            i == 2 ? 3 : 0,
                            recent ? 3_000 : 8_000,
                            recent ? hrvNow : 50,
                            recent ? 64 : 60));
        }
        return days;
    }

    @Test
    void theFortnightAndTheCarriedAnswersBecomeNamedNumbersInOneOrder() {
        int[] phq9 = {2, 2, 1, 1, 1, 1, 1, 2, 1};
        Map<String, Double> f = RiskFeatures.of(phq9, null, fortnight(5.5, 40), DAY, Double.NaN);
        assertEquals(RiskFeatures.NAMES, List.copyOf(f.keySet()));
        assertEquals(12, f.get("phq9_prev"));
        assertEquals(1, f.get("has_phq9"));
        assertEquals(1, f.get("phq9_item9"));
        assertEquals(0, f.get("has_gad7"));
        assertEquals(5.5, f.get("sleep_hours"));
        assertEquals(3_000, f.get("steps_per_day"));
        assertEquals(-0.2, f.get("hrv_change"), 1e-9);
        assertEquals(4, f.get("resting_hr_change"), 1e-9);
        assertEquals(40, f.get("rmssd_median"));
        assertEquals(64, f.get("resting_hr"));
        assertEquals(3 / 7.0, f.get("stress_episodes_per_day"), 1e-4);
        assertEquals(7, f.get("days_with_data"));
        assertEquals(0, f.get("has_voice"));
    }

    @Test
    void nothingKnownGivesNeutralValuesAndFlagsNotMissingOnes() {
        Map<String, Double> f = RiskFeatures.of(null, null, List.of(), DAY, Double.NaN);
        assertFalse(f.values().stream().anyMatch(v -> !Double.isFinite(v)), f.toString());
        assertEquals(7, f.get("sleep_hours"));
        assertEquals(0, f.get("days_with_data"));
        assertEquals(0, f.get("has_phq9"));
    }

    @Test
    void aModelGetsItsFeaturesInItsOwnOrderAndAnUnknownOneIsRefused() {
        Map<String, Double> f = RiskFeatures.of(null, null, fortnight(7, 50), DAY, 0.4);
        assertArrayEquals(
                new double[] {0.4, 7},
                RiskFeatures.vector(f, List.of("voice_score", "days_with_data")));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RiskFeatures.vector(f, List.of("cortisol")));
        assertTrue(e.getMessage().contains("cortisol"));
    }

    @Test
    void aModelChampionScoresButNeverTakesASafetyEscalationAway() {
        int[] selfHarm = {0, 0, 0, 0, 0, 0, 0, 0, 2};
        RiskAssessment rule =
                RiskAssessment.assess(
                        RiskInputs.fromDays(selfHarm, null, fortnight(7, 50), DAY, Double.NaN));
        assertTrue(rule.professionalEscalation());
        RiskAssessment low = rule.scoredBy(0.05, "risk_phq9-v3");
        assertEquals(5.0, low.score());
        assertEquals("high", low.riskLevel(), "item 9 keeps the level at high at least");
        assertTrue(low.professionalEscalation(), "the rule's escalation stands");
        assertEquals(Map.of("model:risk_phq9-v3", 5.0), low.contributions());
        assertEquals(
                rule.primaryRiskFactors(),
                low.primaryRiskFactors(),
                "the explanation stays the rule's");

        RiskAssessment calm =
                RiskAssessment.assess(
                        RiskInputs.fromDays(null, null, fortnight(7.5, 50), DAY, Double.NaN));
        assertFalse(calm.professionalEscalation());
        RiskAssessment critical = calm.scoredBy(0.9, "risk_phq9-v3");
        assertEquals("critical", critical.riskLevel());
        assertTrue(critical.professionalEscalation(), "the model's critical band escalates too");
        assertEquals("moderate", calm.scoredBy(0.3, "v").riskLevel());
    }
}
