package io.chakrai.api.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The truth about the pipeline behind the API, for {@code /health} and {@code /metrics}: each Flink
 * job RUNNING (Flink's REST API), its last completed checkpoint recent, its Kafka consumer group
 * not far behind the readings topic, and how many dead letters there are. Read at most every two
 * seconds however often it is asked; a part that cannot be read counts as down, with the reason.
 */
public final class PipelineHealth {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineHealth.class);
    private static final long REFRESH_MS = 2_000;

    /**
     * A Flink job the platform needs, the Kafka consumer group it commits its offsets as, and the
     * topic its lag is measured on (null: the readings topic).
     */
    public record Job(String name, String consumerGroup, String topic) {
        public Job(String name, String consumerGroup) {
            this(name, consumerGroup, null);
        }
    }

    /**
     * What to watch.
     *
     * @param flinkRestUrl Flink's REST API (the Web UI's address); empty: the pipeline is not
     *     watched
     * @param maxCheckpointAge a running job whose newest completed checkpoint is older is down
     * @param maxLag a job whose group is more records behind the readings topic is down
     */
    public record Settings(
            String flinkRestUrl,
            List<Job> jobs,
            String readingsTopic,
            String deadLetterTopic,
            Duration maxCheckpointAge,
            long maxLag,
            long maxSlotLagBytes) {
        public static final Settings NONE =
                new Settings("", List.of(), "", "", Duration.ofMinutes(2), 0);

        public Settings {
            flinkRestUrl = flinkRestUrl == null ? "" : flinkRestUrl.replaceAll("/+$", "");
            jobs = List.copyOf(jobs);
        }

        /** Without the CDC replication slot. */
        public Settings(
                String flinkRestUrl,
                List<Job> jobs,
                String readingsTopic,
                String deadLetterTopic,
                Duration maxCheckpointAge,
                long maxLag) {
            this(flinkRestUrl, jobs, readingsTopic, deadLetterTopic, maxCheckpointAge, maxLag, 0);
        }

        /**
         * Also watch the CDC service's replication slot: down when missing, inactive, or more WAL
         * behind than this.
         */
        public Settings withCdcSlot(long maxLagBytes) {
            return new Settings(
                    flinkRestUrl,
                    jobs,
                    readingsTopic,
                    deadLetterTopic,
                    maxCheckpointAge,
                    maxLag,
                    maxLagBytes);
        }

        public boolean watched() {
            return flinkRestUrl != null && !flinkRestUrl.isBlank() && !jobs.isEmpty();
        }
    }

    /** One job's figures at the last look. */
    record JobState(String state, long restarts, long checkpointAgeMs, long lag, String problem) {}

    private final Settings settings;
    private final Admin admin;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private volatile long deadLetters = -1;
    private volatile long checkedAt;
    private final DataSource db;
    private volatile long slotLag = -1;
    private volatile String slotProblem = "not looked at yet";

    public PipelineHealth(Settings settings, Admin admin, MeterRegistry metrics, Clock clock) {
        this(settings, admin, metrics, clock, null);
    }

    /** {@code db}: where the CDC replication slot is (when the settings watch it). */
    public PipelineHealth(
            Settings settings, Admin admin, MeterRegistry metrics, Clock clock, DataSource db) {
        this.settings = settings;
        this.admin = admin;
        this.clock = clock;
        this.db = db;
        if (settings.maxSlotLagBytes() > 0 && db != null) {
            Gauge.builder(
                            "chakrai_cdc_slot_lag",
                            this,
                            h -> {
                                h.refresh();
                                return h.slotLag;
                            })
                    .baseUnit("bytes")
                    .description(
                            "WAL the CDC service has not confirmed yet (its replication slot's lag)")
                    .register(metrics);
        }
        for (Job j : settings.jobs()) {
            Gauge.builder(
                            "chakrai_pipeline_job_up",
                            this,
                            h -> h.job(j.name()).problem() == null ? 1 : 0)
                    .tag("job", j.name())
                    .description(
                            "1 when the job is RUNNING with recent checkpoints and bounded lag")
                    .register(metrics);
            Gauge.builder("chakrai_pipeline_consumer_lag", this, h -> h.job(j.name()).lag())
                    .tag("job", j.name())
                    .baseUnit("records")
                    .description("readings not yet read by the job's consumer group")
                    .register(metrics);
            Gauge.builder("chakrai_pipeline_job_restarts", this, h -> h.job(j.name()).restarts())
                    .tag("job", j.name())
                    .description("times Flink restarted the job since it was submitted")
                    .register(metrics);
            Gauge.builder(
                            "chakrai_pipeline_checkpoint_age",
                            this,
                            h -> h.job(j.name()).checkpointAgeMs() / 1000.0)
                    .tag("job", j.name())
                    .baseUnit("seconds")
                    .description("age of the newest completed checkpoint")
                    .register(metrics);
        }
        if (settings.watched()) {
            Gauge.builder(
                            "chakrai_dead_letters",
                            this,
                            h -> {
                                h.refresh();
                                return h.deadLetters;
                            })
                    .baseUnit("records")
                    .description("records on the dead-letter topic")
                    .register(metrics);
        }
    }

    /** Each job's check: {@code "up"} or {@code "down: <why>"}, by {@code "job <name>"}. */
    public Map<String, String> checks() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!settings.watched()) {
            return out;
        }
        refresh();
        for (Job j : settings.jobs()) {
            JobState s = job(j.name());
            out.put("job " + j.name(), s.problem() == null ? "up" : "down: " + s.problem());
        }
        if (settings.maxSlotLagBytes() > 0 && db != null) {
            out.put("cdc slot", slotProblem == null ? "up" : "down: " + slotProblem);
        }
        return out;
    }

    private JobState job(String name) {
        refresh();
        return jobs.getOrDefault(name, new JobState("UNKNOWN", 0, -1, -1, "not looked at yet"));
    }

    private synchronized void refresh() {
        long now = clock.millis();
        if (!settings.watched() || now - checkedAt < REFRESH_MS) {
            return;
        }
        checkedAt = now;
        if (settings.maxSlotLagBytes() > 0 && db != null) {
            lookAtSlot();
        }
        Map<String, Long> ends;
        try {
            ends = endOffsets(settings.readingsTopic());
            deadLetters =
                    settings.deadLetterTopic().isBlank()
                            ? -1
                            : endOffsets(settings.deadLetterTopic()).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum();
        } catch (Exception e) {
            ends = null;
            LOG.debug("pipeline health: Kafka offsets unreadable: {}", e.toString());
        }
        JsonNode overview;
        try {
            overview = get("/jobs/overview").path("jobs");
        } catch (Exception e) {
            for (Job j : settings.jobs()) {
                jobs.put(
                        j.name(),
                        new JobState(
                                "UNKNOWN",
                                0,
                                -1,
                                -1,
                                "Flink is not answering at " + settings.flinkRestUrl()));
            }
            return;
        }
        for (Job j : settings.jobs()) {
            Map<String, Long> jobEnds = ends;
            if (j.topic() != null) {
                try {
                    jobEnds = endOffsets(j.topic());
                } catch (Exception e) {
                    jobEnds = null;
                }
            }
            jobs.put(j.name(), look(j, overview, jobEnds, now));
        }
    }

    /** The CDC replication slot: it must exist, stream, and not hold back much WAL. */
    private void lookAtSlot() {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT active, "
                                        + "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'chakrai_cdc'")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    slotLag = -1;
                    slotProblem = "no replication slot chakrai_cdc: the CDC service has never run";
                    return;
                }
                boolean active = rs.getBoolean(1);
                slotLag = rs.getLong(2);
                slotProblem =
                        !active
                                ? "the CDC service is not streaming (slot inactive, "
                                        + slotLag
                                        + " bytes of WAL held)"
                                : slotLag > settings.maxSlotLagBytes()
                                        ? slotLag + " bytes of WAL behind"
                                        : null;
            }
        } catch (SQLException e) {
            slotProblem = "the replication slot cannot be read";
        }
    }

    private JobState look(Job j, JsonNode overview, Map<String, Long> ends, long now) {
        // the newest submission of that name (cancelled and finished runs of earlier starts stay
        // listed)
        JsonNode newest = null;
        for (JsonNode job : overview) {
            if (j.name().equals(job.path("name").asText())
                    && (newest == null
                            || job.path("start-time").asLong()
                                    > newest.path("start-time").asLong())) {
                newest = job;
            }
        }
        if (newest == null) {
            return new JobState("MISSING", 0, -1, -1, "not submitted");
        }
        String state = newest.path("state").asText();
        String id = newest.path("jid").asText();
        long restarts = 0;
        long age = -1;
        long lag = -1;
        List<String> problems = new ArrayList<>();
        if (!state.equals("RUNNING")) {
            problems.add(state);
        }
        try {
            restarts =
                    get("/jobs/" + id + "/metrics?get=numRestarts").path(0).path("value").asLong(0);
            JsonNode completed =
                    get("/jobs/" + id + "/checkpoints").path("latest").path("completed");
            long runningFor = now - newest.path("start-time").asLong(now);
            if (completed.isMissingNode() || completed.isNull()) {
                if (runningFor > settings.maxCheckpointAge().toMillis()) {
                    problems.add("no checkpoint completed in " + runningFor / 1000 + " s");
                }
            } else {
                age = Math.max(0, now - completed.path("latest_ack_timestamp").asLong(now));
                if (state.equals("RUNNING") && age > settings.maxCheckpointAge().toMillis()) {
                    problems.add("last checkpoint " + age / 1000 + " s ago");
                }
            }
        } catch (Exception e) {
            problems.add("its checkpoints cannot be read");
        }
        if (ends == null) {
            problems.add("Kafka offsets cannot be read");
        } else {
            try {
                lag =
                        lag(
                                j.consumerGroup(),
                                j.topic() == null ? settings.readingsTopic() : j.topic(),
                                ends);
                if (lag > settings.maxLag()) {
                    problems.add(lag + " records behind");
                }
            } catch (Exception e) {
                problems.add("its consumer group cannot be read");
            }
        }
        return new JobState(
                state, restarts, age, lag, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private long lag(String group, String topic, Map<String, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(3, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c =
                    committed.get(new TopicPartition(topic, Integer.parseInt(e.getKey())));
            lag += e.getValue() - Optional.ofNullable(c).map(OffsetAndMetadata::offset).orElse(0L);
        }
        return lag;
    }

    private Map<String, Long> endOffsets(String topic) throws Exception {
        var partitions =
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(3, TimeUnit.SECONDS)
                        .get(topic)
                        .partitions();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        partitions.forEach(
                p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<String, Long> out = new HashMap<>();
        admin.listOffsets(ask)
                .all()
                .get(3, TimeUnit.SECONDS)
                .forEach((tp, o) -> out.put(Integer.toString(tp.partition()), o.offset()));
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(settings.flinkRestUrl() + path))
                                .timeout(Duration.ofSeconds(3))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Flink answered " + r.statusCode() + " for " + path);
        }
        return Json.MAPPER.readTree(r.body());
    }
}
