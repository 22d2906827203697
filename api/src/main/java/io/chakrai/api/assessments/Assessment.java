package io.chakrai.api.assessments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code mental_health_assessments} as the API returns it (the schema's {@code
 * Assessment}): asked for ({@code trigger} "request") or written by the daily re-assessment ({@code
 * assessed_day} the day it judged).
 */
public record Assessment(
        long id,
        String assessmentType,
        String riskLevel,
        double overallRiskScore,
        double confidence,
        String timeframe,
        List<String> primaryRiskFactors,
        List<String> protectiveFactors,
        boolean professionalEscalation,
        Instant createdAt,
        String modelVersion,
        String trigger,
        LocalDate assessedDay,
        Map<String, Double> contributions) {

    /**
     * A new assessment with the questionnaires' scores and, when it escalates, what the person is
     * told (the schema's {@code AssessmentResult}).
     */
    public record Result(
            @JsonUnwrapped Assessment assessment,
            @JsonInclude(JsonInclude.Include.NON_NULL) Phq9 phq9,
            @JsonInclude(JsonInclude.Include.NON_NULL) Gad7 gad7,
            @JsonInclude(JsonInclude.Include.NON_NULL) String supportMessage) {}

    /**
     * The PHQ-9's total, severity and whether item 9 (thoughts of self-harm) was answered above 0.
     */
    public record Phq9(int total, String severity, boolean item9Positive) {}

    public record Gad7(int total, String severity) {}

    /**
     * The caller's latest assessment, whether it is stale, and how to get a first (the schema's
     * {@code CurrentRisk}).
     */
    public record Current(
            Assessment assessment,
            boolean stale,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message) {}
}
