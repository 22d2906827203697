package io.chakrai.api.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A piece of therapeutic content as the API returns it: the caller's own or the shared library's
 * ({@code shared}); its text when asked for one piece ({@code content}, left out of library lists);
 * what sessions of it measured, once one has ({@code measured_*}, {@code mean_rating}); and in the
 * library its rank for the caller.
 */
public record Content(
        long id,
        boolean shared,
        String contentType,
        String variant,
        String title,
        @JsonInclude(JsonInclude.Include.NON_NULL) String content,
        JsonNode personalizations,
        List<String> targetConditions,
        List<String> therapeuticGoals,
        int difficultyLevel,
        int estimatedDuration,
        String generator,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double measuredEffectiveness,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer measuredSessions,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double meanRating,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double rank) {

    /** A session of a piece begun: its id, the piece, and when. */
    public record Started(long usageId, long contentId, Instant startedAt) {}

    /**
     * A session as stored: its completion and rating, the moods given before and after (1-10), and
     * what the effectiveness job measured of the heart after it.
     */
    public record Usage(
            long usageId,
            long contentId,
            Instant startedAt,
            Instant completedAt,
            Double completionRate,
            Integer userRating,
            Integer moodBefore,
            Integer moodAfter,
            Double effectiveness,
            Double hrChange,
            Double rmssdChange,
            Instant measuredAt) {}
}
