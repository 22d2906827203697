package io.chakrai.models.readings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant MORNING = Instant.parse("2026-03-02T07:30:00Z");

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static String fields(ParseResult r) {
        return r.problems().stream().map(Problem::field).sorted().collect(Collectors.joining(","));
    }

    @Test
    void parsesACompleteReadingAndFillsDefaults() throws Exception {
        ParseResult r =
                ReadingCodec.fromInput(
                        json(
                                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"timestamp\":\"2026-03-02T08:30:00+01:00\"}"),
                        42);
        assertTrue(r.isOk(), r.problems().toString());
        BiometricReading b = r.reading();
        assertEquals(42, b.userId());
        assertEquals(7, b.deviceId());
        assertEquals("bpm", b.unit());
        assertEquals(MORNING, b.timestamp());
        assertEquals(1.0, b.quality());
        assertEquals(0.9, b.confidence());
    }

    @Test
    void acceptsTheSpecsCamelCaseWebSocketFields() throws Exception {
        ParseResult r =
                ReadingCodec.fromInput(
                        json(
                                "{\"deviceId\":7,\"dataType\":\"hrv\",\"value\":41.5,\"unit\":\"ms\",\"timestamp\":\"2026-03-02T07:30:00Z\"}"),
                        1);
        assertTrue(r.isOk(), r.problems().toString());
        assertEquals("hrv", r.reading().dataType());
    }

    @Test
    void roundTripsThroughTheKafkaRecordForm() throws Exception {
        BiometricReading in =
                new BiometricReading(
                        3,
                        9,
                        "skin_temperature",
                        33.25,
                        "celsius",
                        0.8,
                        0.7,
                        MORNING,
                        "{\"site\":\"wrist\"}");
        ParseResult out = ReadingCodec.fromRecord(ReadingCodec.toRecord(in));
        assertTrue(out.isOk(), out.problems().toString());
        assertEquals(in, out.reading());
    }

    @ParameterizedTest(name = "{0} -> problem with {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":900,\"timestamp\":\"2026-03-02T07:30:00Z\"}|value",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":\"72\",\"timestamp\":\"2026-03-02T07:30:00Z\"}|value",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":1e400,\"timestamp\":\"2026-03-02T07:30:00Z\"}|value",
                "{\"device_id\":7,\"data_type\":\"mood_ring\",\"value\":3,\"timestamp\":\"2026-03-02T07:30:00Z\"}|data_type",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"unit\":\"ms\",\"timestamp\":\"2026-03-02T07:30:00Z\"}|unit",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"quality\":1.5,\"timestamp\":\"2026-03-02T07:30:00Z\"}|quality",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"confidence\":-0.1,\"timestamp\":\"2026-03-02T07:30:00Z\"}|confidence",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"timestamp\":\"yesterday\"}|timestamp",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"timestamp\":\"2026-03-02T07:30:00\"}|timestamp",
                "{\"device_id\":\"seven\",\"data_type\":\"heart_rate\",\"value\":72,\"timestamp\":\"2026-03-02T07:30:00Z\"}|device_id",
                "{\"device_id\":7,\"data_type\":\"sleep_stage\",\"value\":1.5,\"timestamp\":\"2026-03-02T07:30:00Z\"}|value",
                "{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"timestamp\":\"2026-03-02T07:30:00Z\",\"metadata\":[1]}|metadata",
            })
    void namesTheFieldThatIsWrong(String input, String field) throws Exception {
        ParseResult r = ReadingCodec.fromInput(json(input), 1);
        assertFalse(r.isOk());
        assertEquals(field, fields(r));
    }

    @Test
    void reportsEveryMissingField() throws Exception {
        ParseResult r = ReadingCodec.fromInput(json("{}"), 1);
        assertEquals("data_type,device_id,timestamp,value", fields(r));
    }

    @Test
    void aNumberThatIsNotFiniteIsWrittenAsValidJsonAndRefusedOnRead() throws Exception {
        for (double odd :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            String record =
                    ReadingCodec.toRecord(
                            new BiometricReading(
                                    1,
                                    2,
                                    "heart_rate",
                                    odd,
                                    "bpm",
                                    odd,
                                    0.9,
                                    Instant.parse("2026-03-02T07:30:00Z"),
                                    null));
            new ObjectMapper().readTree(record);
            assertFalse(ReadingCodec.fromRecord(record).isOk(), record);
        }
    }

    @Test
    void aRecordThatIsNotJsonIsAProblemNotAnException() {
        assertEquals("record", fields(ReadingCodec.fromRecord("{not json")));
        assertEquals("record", fields(ReadingCodec.fromRecord("[1,2]")));
        assertEquals("record", fields(ReadingCodec.fromRecord((String) null)));
        assertEquals("record", fields(ReadingCodec.fromRecord((byte[]) null)));
        assertEquals(
                "user_id",
                fields(
                        ReadingCodec.fromRecord(
                                "{\"device_id\":7,\"data_type\":\"hrv\",\"value\":40,\"timestamp\":\"2026-03-02T07:30:00Z\"}")));
    }

    @Test
    void timingRefusesTheFarFutureAndTheVeryOld() {
        ReadingTiming timing = new ReadingTiming(Duration.ofMinutes(5), Duration.ofDays(30));
        assertTrue(timing.check(MORNING.plusSeconds(240), MORNING).isEmpty());
        assertEquals(
                List.of("timestamp"),
                timing.check(MORNING.plusSeconds(360), MORNING).stream()
                        .map(Problem::field)
                        .toList());
        assertFalse(timing.check(MORNING.minus(Duration.ofDays(31)), MORNING).isEmpty());
    }

    @Test
    void everyTypesRangeContainsItsTypicalRestingValue() {
        double[] typical = {60, 45, 0, 1, 0, 33, 14, 97, 2.5, 50, 58};
        for (DataType t : DataType.values()) {
            double v = typical[t.ordinal()];
            assertTrue(v >= t.min() && v <= t.max(), t + " " + v);
            assertTrue(t.acceptsUnit(t.unit()), t.toString());
        }
    }

    @Test
    void refusesMetadataAndTimesThePostgresSinkCouldNotStore() throws Exception {
        String base = "{\"user_id\":1,\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,";
        ParseResult nul =
                ReadingCodec.fromRecord(
                        base
                                + "\"timestamp\":\"2026-03-02T07:30:00Z\",\"metadata\":{\"n\":\"a\\u0000\"}}");
        assertFalse(nul.isOk());
        assertEquals("metadata/n", fields(nul));
        ParseResult surrogate =
                ReadingCodec.fromRecord(
                        base
                                + "\"timestamp\":\"2026-03-02T07:30:00Z\",\"metadata\":{\"\\udc00\":1}}");
        assertFalse(surrogate.isOk());
        ParseResult farFuture =
                ReadingCodec.fromRecord(base + "\"timestamp\":\"+294277-01-01T00:00:00Z\"}");
        assertEquals("timestamp", fields(farFuture));
        assertTrue(
                farFuture.problems().get(0).reason().contains("between"),
                farFuture.problems().toString());
    }
}
