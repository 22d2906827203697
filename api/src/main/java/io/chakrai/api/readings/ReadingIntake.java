package io.chakrai.api.readings;

import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.http.ApiException;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ParseResult;
import io.chakrai.models.readings.Problem;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingTiming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting readings, for REST and WebSocket alike: every item is checked (fields, ranges, timing,
 * the device belongs to the caller, is active and declares the data type); a batch with any bad
 * item is refused whole, naming each bad item's index and reason; a good batch is published to
 * Kafka and acknowledged before the caller hears "accepted".
 */
public final class ReadingIntake {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingIntake.class);

    /** At most this many problems are listed in one error (the count says how many there were). */
    static final int MAX_LISTED_PROBLEMS = 200;

    private final DeviceOwnership devices;
    private final ReadingPublisher publisher;
    private final ReadingTiming timing;
    private final Clock clock;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter history;
    private volatile BiConsumer<Integer, List<BiometricReading>> onAccepted = (u, r) -> {};

    public ReadingIntake(
            DeviceOwnership devices,
            ReadingPublisher publisher,
            ReadingTiming timing,
            Clock clock,
            MeterRegistry metrics) {
        this.devices = devices;
        this.publisher = publisher;
        this.timing = timing;
        this.clock = clock;
        this.accepted =
                Counter.builder("chakrai_readings_accepted")
                        .description("readings acknowledged by Kafka")
                        .register(metrics);
        this.rejected =
                Counter.builder("chakrai_readings_rejected")
                        .description("readings refused as invalid")
                        .register(metrics);
        // a device whose clock runs six hours or more behind has all its readings marked so (no
        // interventions for its episodes): this counter shows it
        this.history =
                Counter.builder("chakrai_readings_history")
                        .description(
                                "readings posted more than six hours after they were measured,"
                                        + " marked as history (an episode they complete offers no"
                                        + " intervention); imports are not counted here")
                        .register(metrics);
    }

    /**
     * Checks what {@link ReadingCodec} read (each item's reading or its problems) for time and
     * device, and publishes; returns how many were accepted, or throws a 4xx / 503 {@link
     * ApiException}.
     */
    public int accept(int userId, List<ParseResult> items) throws SQLException {
        Map<Integer, BiometricReading> parsed = new LinkedHashMap<>();
        Map<Integer, List<Problem>> bad = new TreeMap<>();
        var now = clock.instant();
        for (int i = 0; i < items.size(); i++) {
            ParseResult r = items.get(i);
            if (!r.isOk()) {
                bad.put(i, r.problems());
                continue;
            }
            var late = timing.check(r.reading().timestamp(), now);
            if (late.isPresent()) {
                bad.put(i, List.of(late.get()));
            } else if (r.reading().imported()) {
                // the stress job judges an import's readings apart from the live ones
                bad.put(
                        i,
                        List.of(
                                new Problem(
                                        "metadata.import",
                                        "is kept for readings read from an export (POST /api/v2/biometric/imports)")));
            } else {
                parsed.put(i, r.reading());
            }
        }

        Set<Integer> deviceIds = new HashSet<>();
        parsed.values().forEach(r -> deviceIds.add(r.deviceId()));
        Map<Integer, DeviceRepository.Ownership> owned = devices.ownership(userId, deviceIds);
        for (var e : parsed.entrySet()) {
            ownershipProblem(e.getValue(), owned.get(e.getValue().deviceId()))
                    .ifPresent(p -> bad.put(e.getKey(), List.of(p)));
        }

        if (!bad.isEmpty()) {
            rejected.increment(items.size());
            throw refusal(items.size(), bad);
        }
        List<BiometricReading> good = new ArrayList<>(parsed.values());
        try {
            history.increment(publisher.publish(good));
        } catch (ReadingPublisher.PublishException e) {
            LOG.warn("readings of user {} not acknowledged by Kafka: {}", userId, e.getMessage());
            throw new ApiException(
                    503,
                    "ingestion_unavailable",
                    "the readings could not be stored right now; nothing was accepted, retry the request");
        }
        accepted.increment(good.size());
        devices.touchSync(userId, deviceIds);
        onAccepted.accept(userId, good);
        return good.size();
    }

    /**
     * Called with each accepted batch (after Kafka acknowledged it), e.g. to echo it to the owner's
     * sockets.
     */
    public void onAccepted(BiConsumer<Integer, List<BiometricReading>> listener) {
        this.onAccepted = listener;
    }

    private static Optional<Problem> ownershipProblem(
            BiometricReading r, DeviceRepository.Ownership o) {
        if (o == null) {
            // another user's device answers exactly like a device that does not exist
            return Optional.of(
                    new Problem(
                            "device_id", "no device " + r.deviceId() + " is registered to you"));
        }
        if (!o.active()) {
            return Optional.of(
                    new Problem("device_id", "device " + r.deviceId() + " is deactivated"));
        }
        if (!o.dataTypes().contains(r.dataType())) {
            return Optional.of(
                    new Problem(
                            "data_type",
                            "device "
                                    + r.deviceId()
                                    + " is not registered for "
                                    + r.dataType()
                                    + " (its data_types are "
                                    + String.join(", ", o.dataTypes())
                                    + ")"));
        }
        return Optional.empty();
    }

    private static ApiException refusal(int total, Map<Integer, List<Problem>> bad) {
        List<Map<String, Object>> details = new ArrayList<>();
        for (var e : bad.entrySet()) {
            for (Problem p : e.getValue()) {
                if (details.size() < MAX_LISTED_PROBLEMS) {
                    details.add(
                            Map.of("index", e.getKey(), "field", p.field(), "reason", p.reason()));
                }
            }
        }
        var first = bad.entrySet().iterator().next();
        String message =
                String.format(
                        "%d of %d readings are invalid, so none was accepted; first: [%d] %s",
                        bad.size(), total, first.getKey(), first.getValue().get(0));
        return new ApiException(400, "invalid_readings", message, details);
    }
}
