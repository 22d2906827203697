package io.chakrai.models.assessment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A transparent mental-health risk score (0–100) from questionnaires and the wearable's signals. It
 * is a published-cut-off and weighted-factor rule, not a trained model (there is no labelled
 * outcome data to train one on yet): each factor's contribution is reported, the largest become the
 * primary risk factors, and {@code professional_escalation} is set when the risk is critical or
 * PHQ-9 item 9 (thoughts of self-harm) is answered above zero, whatever the rest says.
 *
 * @param riskLevel low / moderate / high / critical
 * @param score 0..100
 * @param confidence 0..1, from how much of the picture is known
 * @param contributions points per factor (they sum to the score)
 * @param primaryRiskFactors the factors that contributed most, strongest first
 * @param protectiveFactors what speaks for resilience
 * @param professionalEscalation whether to involve a professional now
 * @param assessmentType comprehensive (with questionnaires) or biometric_only
 * @param phq9 the PHQ-9 score, or null
 * @param gad7 the GAD-7 score, or null
 */
public record RiskAssessment(
        String riskLevel,
        double score,
        double confidence,
        Map<String, Double> contributions,
        List<String> primaryRiskFactors,
        List<String> protectiveFactors,
        boolean professionalEscalation,
        String assessmentType,
        Questionnaire.Score phq9,
        Questionnaire.Score gad7) {

    /** The time the assessment speaks for: PHQ-9 and GAD-7 ask about the last two weeks. */
    public static final String TIMEFRAME = "2weeks";

    /**
     * The version every assessment row is marked with. Raise it whenever the weights, cut-offs or
     * inputs change; a bounded run of the re-assessment job then re-scores everyone beside the old
     * version's rows.
     */
    public static final String MODEL_VERSION = "risk-rule-1";

    /**
     * The registry name of the learned risk model (PHQ-9 ≥ 10 at the next answer, from the day
     * before): its production version, when there is one, scores the daily re-assessment instead of
     * the rule; its challenger shadows.
     */
    public static final String LEARNED_MODEL = "risk_phq9";

    /** How rows scored by a registered model are marked: {@code risk_phq9-v3}. */
    public static String versionOf(String modelName, int version) {
        return modelName + "-v" + version;
    }

    /**
     * This (rule) assessment re-scored by a learned model that is the champion: the model's
     * probability × 100 is the score, banded like the rule's (and PHQ-9 item 9 still raises it to
     * at least high). What weighs on the person and what helps stay the rule's transparent
     * explanation; the contributions name the model. A promotion never takes an escalation away:
     * the rule's (critical, or item 9) stands, and the model's critical band adds one.
     */
    public RiskAssessment scoredBy(double probability, String version) {
        double s = Math.round(Math.max(0, Math.min(1, probability)) * 10_000) / 100.0;
        String level = band(s);
        boolean selfHarm = phq9 != null && phq9.selfHarmPositive();
        if (selfHarm && (level.equals("low") || level.equals("moderate"))) {
            level = "high";
        }
        return new RiskAssessment(
                level,
                s,
                confidence,
                Map.of("model:" + version, s),
                primaryRiskFactors,
                protectiveFactors,
                professionalEscalation || level.equals("critical"),
                assessmentType,
                phq9,
                gad7);
    }

    private static String band(double score) {
        return score >= 75 ? "critical" : score >= 50 ? "high" : score >= 25 ? "moderate" : "low";
    }

    public static RiskAssessment assess(RiskInputs in) {
        Questionnaire.Score phq = in.phq9() == null ? null : Questionnaire.PHQ9.score(in.phq9());
        Questionnaire.Score gad = in.gad7() == null ? null : Questionnaire.GAD7.score(in.gad7());
        Map<String, Double> c = new LinkedHashMap<>();
        if (phq != null) {
            c.put("depressive_symptoms_phq9", 40.0 * phq.total() / 27);
        }
        if (gad != null) {
            c.put("anxiety_symptoms_gad7", 25.0 * gad.total() / 21);
        }
        // without questionnaires the wearable's signals carry the whole scale
        double scale = phq == null && gad == null ? 100.0 / 35 : 1.0;
        if (Double.isFinite(in.stressEpisodesPerDay())) {
            c.put(
                    "frequent_stress_episodes",
                    scale * 15 * Math.min(1, in.stressEpisodesPerDay() / 3));
        }
        if (Double.isFinite(in.sleepHoursPerNight())) {
            c.put(
                    "short_sleep",
                    scale * 10 * Math.min(1, Math.max(0, 7 - in.sleepHoursPerNight()) / 3));
        }
        if (Double.isFinite(in.hrvChange())) {
            c.put("falling_hrv", scale * 5 * Math.min(1, Math.max(0, -in.hrvChange()) / 0.3));
        }
        if (Double.isFinite(in.stepsPerDay())) {
            c.put(
                    "low_activity",
                    scale * 5 * Math.min(1, Math.max(0, 5_000 - in.stepsPerDay()) / 4_000));
        }
        if (Double.isFinite(in.voiceRisk())) {
            c.put("voice_markers", 5.0 * in.voiceRisk());
        }
        c.replaceAll((k, v) -> Math.round(v * 100) / 100.0);
        double score = Math.min(100, c.values().stream().mapToDouble(Double::doubleValue).sum());
        score = Math.round(score * 100) / 100.0;

        String level = band(score);
        boolean selfHarm = phq != null && phq.selfHarmPositive();
        if (selfHarm && (level.equals("low") || level.equals("moderate"))) {
            level = "high";
        }
        boolean escalate = level.equals("critical") || selfHarm;

        List<String> primary =
                c.entrySet().stream()
                        .filter(e -> e.getValue() >= 2)
                        .sorted(
                                Map.Entry.<String, Double>comparingByValue(
                                        Comparator.reverseOrder()))
                        .limit(3)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toCollection(ArrayList::new));
        if (selfHarm) {
            primary.add(0, "self_harm_thoughts_phq9_item9");
        }
        List<String> protective = new ArrayList<>();
        if (Double.isFinite(in.sleepHoursPerNight()) && in.sleepHoursPerNight() >= 7) {
            protective.add("enough_sleep");
        }
        if (Double.isFinite(in.stepsPerDay()) && in.stepsPerDay() >= 7_000) {
            protective.add("physically_active");
        }
        if (Double.isFinite(in.hrvChange()) && in.hrvChange() >= 0) {
            protective.add("stable_or_rising_hrv");
        }
        if (Double.isFinite(in.stressEpisodesPerDay())
                && in.stressEpisodesPerDay() < 0.3
                && in.daysWithData() >= 3) {
            protective.add("few_stress_episodes");
        }
        if (phq != null && phq.total() < 5 && !selfHarm) {
            protective.add("minimal_depressive_symptoms");
        }

        double confidence =
                0.3
                        + (phq != null ? 0.25 : 0)
                        + (gad != null ? 0.15 : 0)
                        + 0.15 * Math.min(1, in.daysWithData() / 5.0)
                        + (Double.isFinite(in.sleepHoursPerNight()) ? 0.05 : 0)
                        + (Double.isFinite(in.hrvChange()) ? 0.05 : 0);
        confidence = Math.round(Math.min(0.95, confidence) * 100) / 100.0;
        return new RiskAssessment(
                level,
                score,
                confidence,
                c,
                List.copyOf(primary),
                List.copyOf(protective),
                escalate,
                phq != null || gad != null ? "comprehensive" : "biometric_only",
                phq,
                gad);
    }
}
