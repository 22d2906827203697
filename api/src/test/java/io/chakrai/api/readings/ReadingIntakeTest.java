package io.chakrai.api.readings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.http.ApiException;
import io.chakrai.models.Json;
import io.chakrai.models.readings.Arrival;
import io.chakrai.models.readings.ParseResult;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingTiming;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The rules of accepting readings, on Kafka's own in-memory producer and an in-memory device table.
 */
class ReadingIntakeTest {
    static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");

    /**
     * Person 1 owns device 10 (heart rate, HRV) and the deactivated device 11; person 2 owns device
     * 20.
     */
    static final class Devices implements DeviceOwnership {
        final List<Integer> touched = new ArrayList<>();

        @Override
        public Map<Integer, DeviceRepository.Ownership> ownership(
                int user, Collection<Integer> ids) {
            Map<Integer, DeviceRepository.Ownership> all =
                    user == 1
                            ? Map.of(
                                    10,
                                    new DeviceRepository.Ownership(
                                            true, Set.of("heart_rate", "hrv")),
                                    11,
                                    new DeviceRepository.Ownership(false, Set.of("heart_rate")))
                            : Map.of(
                                    20, new DeviceRepository.Ownership(true, Set.of("heart_rate")));
            Map<Integer, DeviceRepository.Ownership> out = new HashMap<>();
            ids.forEach(
                    id -> {
                        if (all.containsKey(id)) {
                            out.put(id, all.get(id));
                        }
                    });
            return out;
        }

        @Override
        public void touchSync(int user, Collection<Integer> ids) {
            touched.addAll(ids);
        }
    }

    /** A posted reading of user 1, as the reader gives it to the intake. */
    static ParseResult reading(int device, String type, double value, Instant at) throws Exception {
        return ReadingCodec.fromInput(reading(device, type, value, at, true), 1);
    }

    private static JsonNode reading(int device, String type, double value, Instant at, boolean t)
            throws Exception {
        return Json.MAPPER.readTree(
                "{\"device_id\":"
                        + device
                        + ",\"data_type\":\""
                        + type
                        + "\",\"value\":"
                        + value
                        + ",\"timestamp\":\""
                        + at
                        + "\"}");
    }

    MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    Devices devices = new Devices();
    ReadingIntake intake =
            new ReadingIntake(
                    devices,
                    new ReadingPublisher(
                            producer,
                            "readings",
                            Duration.ofSeconds(5),
                            Clock.fixed(NOW, ZoneOffset.UTC)),
                    ReadingTiming.DEFAULT,
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    new SimpleMeterRegistry());

    @Test
    void aGoodBatchIsPublishedKeyedByUserAndItsDevicesMarkedSynced() throws Exception {
        List<Integer> echoed = new ArrayList<>();
        intake.onAccepted((user, batch) -> echoed.add(batch.size()));
        assertEquals(
                2,
                intake.accept(
                        1,
                        List.of(
                                reading(10, "heart_rate", 70, NOW.minusSeconds(5)),
                                reading(10, "hrv", 40, NOW.minusSeconds(5)))));
        assertEquals(2, producer.history().size());
        assertTrue(
                producer.history().stream()
                        .allMatch(r -> r.key().equals("1") && r.topic().equals("readings")));
        assertEquals(
                NOW.minusSeconds(5).toEpochMilli(),
                producer.history().get(0).timestamp(),
                "event time on the record");
        assertEquals(List.of(10), devices.touched.stream().distinct().toList());
        assertEquals(List.of(2), echoed);
    }

    /** Readings more than six hours old as they arrive are published marked as history. */
    @Test
    void readingsThatArriveOlderThanSixHoursCarryTheHistoryHeader() throws Exception {
        Instant live = NOW.minus(Arrival.LIVE);
        intake.accept(
                1,
                List.of(
                        reading(10, "heart_rate", 70, NOW.minusSeconds(5)),
                        reading(10, "heart_rate", 71, live),
                        reading(10, "heart_rate", 72, live.minusSeconds(1)),
                        reading(10, "hrv", 40, NOW.minus(Duration.ofDays(300)))));
        List<Boolean> history =
                producer.history().stream()
                        .map(r -> r.headers().lastHeader(Arrival.HISTORY_HEADER) != null)
                        .toList();
        assertEquals(List.of(false, false, true, true), history);
    }

    @Test
    void aLiveReadingCannotPassForAnImportedOne() throws Exception {
        var posing =
                new io.chakrai.models.readings.BiometricReading(
                        1, 10, "heart_rate", 70, "bpm", 1, 1, NOW, "{\"import\":3}");
        ApiException e =
                assertThrows(
                        ApiException.class,
                        () -> intake.accept(1, List.of(ParseResult.ok(posing))));
        assertEquals(400, e.status());
        assertEquals("metadata.import", e.details().get(0).get("field"), e.details().toString());
        assertEquals(0, producer.history().size());
        // the same key elsewhere in the metadata is the client's own
        var own =
                new io.chakrai.models.readings.BiometricReading(
                        1, 10, "heart_rate", 70, "bpm", 1, 1, NOW, "{\"app\":1,\"import\":3}");
        assertEquals(1, intake.accept(1, List.of(ParseResult.ok(own))));
    }

    @Test
    void oneBadItemRefusesTheWholeBatchNamingEachAndNothingIsPublished() throws Exception {
        ApiException e =
                assertThrows(
                        ApiException.class,
                        () ->
                                intake.accept(
                                        1,
                                        List.of(
                                                reading(10, "heart_rate", 70, NOW),
                                                reading(
                                                        20,
                                                        "heart_rate",
                                                        70,
                                                        NOW), // another person's device: as if it
                                                // did not exist
                                                reading(11, "heart_rate", 70, NOW), // deactivated
                                                reading(
                                                        10, "steps", 100,
                                                        NOW), // not declared by the device
                                                reading(
                                                        10,
                                                        "heart_rate",
                                                        70,
                                                        NOW.plus(
                                                                Duration.ofMinutes(
                                                                        6))), // from the future
                                                reading(
                                                        10,
                                                        "heart_rate",
                                                        900,
                                                        NOW)))); // out of range
        assertEquals(400, e.status());
        assertEquals("invalid_readings", e.code());
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                e.details().stream().map(d -> (Integer) d.get("index")).toList());
        assertEquals("no device 20 is registered to you", e.details().get(0).get("reason"));
        assertTrue(e.getMessage().startsWith("5 of 6 readings are invalid"), e.getMessage());
        assertEquals(0, producer.history().size());
        assertTrue(devices.touched.isEmpty());
    }

    @Test
    void whenKafkaDoesNotAcknowledgeNothingIsAccepted() throws Exception {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        ReadingIntake unacked =
                new ReadingIntake(
                        devices,
                        new ReadingPublisher(failing, "readings", Duration.ofSeconds(5)),
                        ReadingTiming.DEFAULT,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        new SimpleMeterRegistry());
        Thread broker =
                new Thread(
                        () -> {
                            while (failing.history().isEmpty()) {
                                Thread.onSpinWait();
                            }
                            failing.errorNext(
                                    new org.apache.kafka.common.errors.TimeoutException(
                                            "no leader"));
                        });
        broker.start();
        ApiException e =
                assertThrows(
                        ApiException.class,
                        () -> unacked.accept(1, List.of(reading(10, "hrv", 40, NOW))));
        assertEquals(503, e.status());
        assertEquals("ingestion_unavailable", e.code());
        assertTrue(
                devices.touched.isEmpty(), "a batch Kafka did not take marks no device as synced");
    }
}
