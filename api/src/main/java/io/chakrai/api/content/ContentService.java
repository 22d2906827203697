package io.chakrai.api.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.groups.CrisisResources;
import io.chakrai.api.http.ApiException;
import io.chakrai.models.content.ContentGenerator;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.content.Generated;
import io.chakrai.models.content.Personalisation;
import io.chakrai.models.content.SafetyCheck;
import io.chakrai.models.groups.CrisisDetector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Generates, stores and tracks therapeutic content. Someone in crisis (latest risk critical, or
 * crisis language in what they asked for) is routed to help, not given an exercise; whatever a
 * generator writes passes {@link SafetyCheck} before it is stored, and is refused otherwise (never
 * silently fixed).
 */
public final class ContentService {
    private final ContentRepository repository;
    private final ContentGenerator generator;
    private final CrisisDetector crisis;
    private final CrisisResources resources;
    private final Clock clock;
    private final RandomGenerator random = new SecureRandom();
    private final MeterRegistry metrics;

    public ContentService(
            ContentRepository repository,
            ContentGenerator generator,
            CrisisDetector crisis,
            CrisisResources resources,
            Clock clock,
            MeterRegistry metrics) {
        this.repository = repository;
        this.generator = generator;
        this.crisis = crisis;
        this.resources = resources;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * 409 {@code crisis_support}: the details carry the crisis resources for the caller's
     * languages.
     */
    private ApiException crisis(String languages, String why) {
        ObjectNode support = resources.forLanguages(languages);
        return new ApiException(
                409,
                "crisis_support",
                why + "; please reach out now: " + support.path("message").asText(),
                List.of(Map.of("crisis_support", support)));
    }

    /** Now, by the service's clock (the one the tests set). */
    public java.time.Instant now() {
        return clock.instant();
    }

    public Content generate(
            int user,
            ContentType type,
            String focus,
            List<String> goals,
            int minutes,
            int difficulty,
            String languages)
            throws SQLException {
        long start = System.nanoTime();
        String asked = (focus == null ? "" : focus) + ". " + String.join(". ", goals);
        if (crisis.assess(asked, List.of(), -0.5).flagged()) {
            throw crisis(
                    languages,
                    "what you asked about sounds like you may be in danger, and an exercise is not the right help");
        }
        if (repository.riskLevel(user).filter("critical"::equals).isPresent()) {
            throw crisis(
                    languages,
                    "your latest assessment shows critical risk, and an exercise is not the right help now");
        }
        Personalisation p = repository.personalisation(user, focus, goals, minutes, difficulty);
        Generated g = generator.generate(type, p, random);
        List<String> problems = SafetyCheck.problems(g);
        if (!problems.isEmpty()) {
            // the request's own words are the only part of a piece a person controls
            throw ApiException.badRequest(
                    "unsafe_request",
                    "focus / goals: the content written for them "
                            + String.join(", ", problems)
                            + "; please rephrase");
        }
        Content stored = repository.insert(user, g);
        Timer.builder("chakrai_content_generation")
                .tag("type", type.wire())
                .publishPercentiles(0.5, 0.99)
                .description("generating, checking and storing a piece of content")
                .register(metrics)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return stored;
    }

    public Content content(int user, long id) throws SQLException {
        return repository.one(id, user).orElseThrow(() -> ApiException.notFound("content"));
    }

    public Content.Started start(int user, long id, java.time.Instant at) throws SQLException {
        content(user, id);
        return repository.start(user, id, at == null ? clock.instant() : at);
    }

    public Content.Usage complete(int user, long usage, double completionRate, java.time.Instant at)
            throws SQLException {
        Content.Usage session = usage(user, usage);
        java.time.Instant end = at == null ? clock.instant() : at;
        if (end.isBefore(session.startedAt())) {
            throw ApiException.badRequest(
                    "invalid_completion",
                    "completed_at: must not be before the session started ("
                            + session.startedAt()
                            + ")");
        }
        if (!repository.complete(user, usage, completionRate, end)) {
            if (repository.usage(user, usage).isPresent()) {
                throw new ApiException(
                        409, "already_completed", "this session was completed already");
            }
            throw ApiException.notFound("session");
        }
        return repository.usage(user, usage).orElseThrow();
    }

    public Content.Usage rate(int user, long id, int rating) throws SQLException {
        content(user, id);
        return repository.usage(user, repository.rate(user, id, rating)).orElseThrow();
    }

    public Content.Usage feedback(
            int user, long id, Double completion, Integer before, Integer after, String comment)
            throws SQLException {
        content(user, id);
        return repository
                .usage(user, repository.feedback(user, id, completion, before, after, comment))
                .orElseThrow();
    }

    public Content.Usage usage(int user, long usage) throws SQLException {
        return repository.usage(user, usage).orElseThrow(() -> ApiException.notFound("session"));
    }

    public List<Content> library(
            int user, String type, String condition, String goal, Integer maxMinutes, int limit)
            throws SQLException {
        return repository.library(
                user, type, condition, goal, maxMinutes == null ? null : maxMinutes * 60, limit);
    }
}
