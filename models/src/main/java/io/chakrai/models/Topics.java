package io.chakrai.models;

import java.util.List;

/**
 * Every Kafka topic of the platform, named once: the readings, their dead letters and the
 * predictions (created by the stack, {@link #OWN}, with partitioning and retention), and the change
 * streams the CDC service writes, one per published table ({@code cdc.public.<table>}). The
 * embedded stack and the cluster create {@link #OWN}; docker-compose's topic script is checked
 * against it by a test, and so is the CDC service's table list against {@link #CDC_TABLES}.
 */
public final class Topics {
    public static final String READINGS = "biometric.readings";
    public static final String DEAD_LETTERS = "biometric.readings.dlq";
    public static final String PREDICTIONS = "predictions";

    /** The CDC service's topic prefix: its topics are {@code cdc.public.<table>}. */
    public static final String CDC_PREFIX = "cdc";

    public static final String GROUPS = CDC_PREFIX + ".public.therapy_groups";
    public static final String GROUP_PARTICIPANTS = CDC_PREFIX + ".public.group_participants";
    public static final String GROUP_MESSAGES = CDC_PREFIX + ".public.group_messages";
    public static final String ESCALATIONS = CDC_PREFIX + ".public.crisis_escalations";
    public static final String CONTENT_USAGE = CDC_PREFIX + ".public.content_usage_tracking";
    public static final String STRESS_ANSWERS = CDC_PREFIX + ".public.stress_answers";

    /** Erasures (V12, published by V25): one insert per person erased. */
    public static final String ERASED_USERS = CDC_PREFIX + ".public.erased_users";

    /** The tables whose changes are published, in the order their topics are listed above. */
    public static final List<String> CDC_TABLES =
            List.of(
                    "therapy_groups",
                    "group_participants",
                    "group_messages",
                    "crisis_escalations",
                    "content_usage_tracking",
                    "stress_answers",
                    "erased_users");

    static final long WEEK_MS = 7L * 24 * 3600 * 1000;
    static final long THIRTY_DAYS_MS = 30L * 24 * 3600 * 1000;

    /**
     * A topic the stack creates: partitioned as the stack's readings are (else one partition), kept
     * {@code retentionMs}: how long a person's records stay on Kafka (docs/privacy.md).
     */
    public record Topic(String name, boolean partitioned, long retentionMs) {}

    /** The platform's own topics; the CDC service creates its own, kept a week. */
    public static final List<Topic> OWN =
            List.of(
                    new Topic(READINGS, true, WEEK_MS),
                    new Topic(DEAD_LETTERS, false, THIRTY_DAYS_MS),
                    new Topic(PREDICTIONS, true, WEEK_MS));

    private Topics() {}
}
