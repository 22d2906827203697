package io.chakrai.api.predictions;

import java.time.Instant;

/**
 * One suggestion the stress job made to a person (the schema's {@code Intervention}), with their
 * response once given.
 */
public record Intervention(
        long id,
        Long predictionId,
        String type,
        String content,
        String urgency,
        String status,
        Integer helpfulRating,
        Instant createdAt,
        Instant respondedAt) {}
