package io.chakrai.api;

import io.chakrai.api.health.PipelineHealth;
import io.chakrai.models.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's configuration, from environment variables (the same names in docker-compose and the
 * embedded stack). {@link #describe()} is safe to log: it leaves the secrets out.
 */
public record ApiConfig(
        String host,
        int port,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String kafkaBootstrap,
        String readingsTopic,
        String predictionsTopic,
        String jwtSecret,
        Duration tokenTtl,
        String deviceTokenKey,
        int maxBatch,
        long maxBodyBytes,
        int bcryptCost,
        Duration escalationAck) {

    public static final int DEFAULT_PORT = 7070;

    /**
     * Access tokens live this long by default (refresh tokens keep a session going; see
     * AuthService).
     */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(15);

    /**
     * An escalation nobody acknowledged this long after it was made (or raised) is raised again.
     */
    public static final Duration DEFAULT_ESCALATION_ACK = Duration.ofMinutes(5);

    /** The acknowledgement time from {@code CHAKRAI_ESCALATION_ACK_SECONDS}. */
    public static Duration escalationAck(Map<String, String> env) {
        String v = env.get("CHAKRAI_ESCALATION_ACK_SECONDS");
        return v == null || v.isBlank()
                ? DEFAULT_ESCALATION_ACK
                : Duration.ofSeconds(Long.parseLong(v.trim()));
    }

    /**
     * The access-token lifetime from {@code CHAKRAI_TOKEN_TTL_MINUTES}, the same for the stack and
     * the API alone.
     */
    public static Duration tokenTtl(Map<String, String> env) {
        String v = env.get("CHAKRAI_TOKEN_TTL_MINUTES");
        return v == null || v.isBlank()
                ? DEFAULT_TOKEN_TTL
                : Duration.ofMinutes(Long.parseLong(v.trim()));
    }

    public ApiConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("CHAKRAI_API_PORT must be 0..65535, not " + port);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("CHAKRAI_MAX_BATCH must be positive");
        }
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("CHAKRAI_BCRYPT_COST must be 4..31");
        }
        if (jwtSecret == null || jwtSecret.length() < 32) {
            throw new IllegalArgumentException(
                    "CHAKRAI_JWT_SECRET must be set to at least 32 characters");
        }
        if (escalationAck == null || escalationAck.isNegative() || escalationAck.isZero()) {
            throw new IllegalArgumentException("CHAKRAI_ESCALATION_ACK_SECONDS must be positive");
        }
        if (deviceTokenKey == null || deviceTokenKey.isBlank()) {
            throw new IllegalArgumentException(
                    "CHAKRAI_DEVICE_TOKEN_KEY must be set (base64 of 32 random bytes)");
        }
    }

    /** Every environment variable the API reads (docker-compose is checked against this list). */
    public static final Set<String> ENV_KEYS =
            Set.of(
                    "CHAKRAI_API_HOST",
                    "CHAKRAI_API_PORT",
                    "CHAKRAI_DB_URL",
                    "CHAKRAI_DB_USER",
                    "CHAKRAI_DB_PASSWORD",
                    "CHAKRAI_KAFKA_BOOTSTRAP",
                    "CHAKRAI_READINGS_TOPIC",
                    "CHAKRAI_PREDICTIONS_TOPIC",
                    "CHAKRAI_JWT_SECRET",
                    "CHAKRAI_TOKEN_TTL_MINUTES",
                    "CHAKRAI_DEVICE_TOKEN_KEY",
                    "CHAKRAI_MAX_BATCH",
                    "CHAKRAI_MAX_BODY_BYTES",
                    "CHAKRAI_BCRYPT_COST",
                    "CHAKRAI_FLINK_REST_URL",
                    "CHAKRAI_PIPELINE_JOBS",
                    "CHAKRAI_DLQ_TOPIC",
                    "CHAKRAI_MAX_CHECKPOINT_AGE_S",
                    "CHAKRAI_MAX_CONSUMER_LAG",
                    "CHAKRAI_CDC_MAX_SLOT_LAG_BYTES",
                    "CHAKRAI_CRISIS_RESOURCES",
                    "CHAKRAI_ESCALATION_ACK_SECONDS");

    /**
     * The jobs the platform runs, as {@code name:consumer-group[:topic]}, watched by {@code
     * /health}.
     */
    public static final String DEFAULT_PIPELINE_JOBS =
            "chakrai-ingestion:chakrai-ingestion,chakrai-analytics:chakrai-analytics,"
                    + "chakrai-group-dynamics:chakrai-group-dynamics:"
                    + Topics.GROUP_MESSAGES;

    /**
     * What {@code /health} watches behind the API: {@code CHAKRAI_FLINK_REST_URL} (unset: nothing),
     * {@code CHAKRAI_PIPELINE_JOBS} ({@code name:group[:topic],...}; the topic lag is measured on,
     * the readings by default), the dead-letter topic, the largest checkpoint age (s) and consumer
     * lag (records) that still count as up, and {@code CHAKRAI_CDC_MAX_SLOT_LAG_BYTES} (0: the CDC
     * replication slot is not watched).
     */
    public static PipelineHealth.Settings pipelineFromEnv(Map<String, String> env) {
        List<PipelineHealth.Job> jobs = new ArrayList<>();
        for (String item :
                env.getOrDefault("CHAKRAI_PIPELINE_JOBS", DEFAULT_PIPELINE_JOBS).split(",")) {
            String[] p = item.trim().split(":");
            if (p.length < 2 || p.length > 3 || p[0].isBlank() || p[1].isBlank()) {
                throw new IllegalArgumentException(
                        "CHAKRAI_PIPELINE_JOBS items are job-name:consumer-group[:topic], not "
                                + item);
            }
            jobs.add(
                    new PipelineHealth.Job(
                            p[0].trim(), p[1].trim(), p.length == 3 ? p[2].trim() : null));
        }
        return new PipelineHealth.Settings(
                        env.getOrDefault("CHAKRAI_FLINK_REST_URL", ""),
                        jobs,
                        env.getOrDefault("CHAKRAI_READINGS_TOPIC", Topics.READINGS),
                        env.getOrDefault("CHAKRAI_DLQ_TOPIC", Topics.DEAD_LETTERS),
                        Duration.ofSeconds(
                                Long.parseLong(
                                        env.getOrDefault("CHAKRAI_MAX_CHECKPOINT_AGE_S", "120"))),
                        Long.parseLong(env.getOrDefault("CHAKRAI_MAX_CONSUMER_LAG", "2000000")))
                .withCdcSlot(
                        Long.parseLong(env.getOrDefault("CHAKRAI_CDC_MAX_SLOT_LAG_BYTES", "0")));
    }

    public static ApiConfig fromEnv(Map<String, String> env) {
        return new ApiConfig(
                env.getOrDefault("CHAKRAI_API_HOST", "0.0.0.0"),
                Integer.parseInt(
                        env.getOrDefault("CHAKRAI_API_PORT", Integer.toString(DEFAULT_PORT))),
                env.getOrDefault("CHAKRAI_DB_URL", "jdbc:postgresql://localhost:5432/chakrai"),
                env.getOrDefault("CHAKRAI_DB_USER", "postgres"),
                env.getOrDefault("CHAKRAI_DB_PASSWORD", ""),
                env.getOrDefault("CHAKRAI_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.getOrDefault("CHAKRAI_READINGS_TOPIC", Topics.READINGS),
                env.getOrDefault("CHAKRAI_PREDICTIONS_TOPIC", Topics.PREDICTIONS),
                env.get("CHAKRAI_JWT_SECRET"),
                tokenTtl(env),
                env.get("CHAKRAI_DEVICE_TOKEN_KEY"),
                Integer.parseInt(env.getOrDefault("CHAKRAI_MAX_BATCH", "10000")),
                Long.parseLong(
                        env.getOrDefault(
                                "CHAKRAI_MAX_BODY_BYTES", Long.toString(8L * 1024 * 1024))),
                Integer.parseInt(env.getOrDefault("CHAKRAI_BCRYPT_COST", "10")),
                escalationAck(env));
    }

    /** Everything but the secrets, for the start-up log. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("db_url", dbUrl);
        m.put("db_user", dbUser);
        m.put("kafka_bootstrap", kafkaBootstrap);
        m.put("readings_topic", readingsTopic);
        m.put("predictions_topic", predictionsTopic);
        m.put("token_ttl", tokenTtl);
        m.put("max_batch", maxBatch);
        m.put("max_body_bytes", maxBodyBytes);
        m.put("bcrypt_cost", bcryptCost);
        return m;
    }
}
