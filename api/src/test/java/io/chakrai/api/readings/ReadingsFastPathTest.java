package io.chakrai.api.readings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.models.Json;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.ParseResult;
import io.chakrai.models.readings.ReadingCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming read of a posted body accepts only bodies the thorough read (the API's JSON mapper,
 * its storable-text check, each item through {@code ReadingCodec.fromInput}) accepts, with the same
 * readings: on bodies as apps send them and on tens of thousands of mangled ones. Whatever it
 * declines goes the thorough way, which names the problems.
 */
class ReadingsFastPathTest {
    static final int MAX = 4;
    static final String[] FIELDS = {
        "device_id", "data_type", "value", "unit", "quality", "confidence", "timestamp", "metadata"
    };
    static final String[] CAMEL = {
        "deviceId", "dataType", "value", "unit", "quality", "confidence", "timestamp", "metadata"
    };

    @Test
    void acceptsOnlyWhatTheThoroughReadAcceptsAndAsItWould() throws Exception {
        Random r = new Random(5);
        int fast = 0;
        int valid = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] body = body(r).getBytes(StandardCharsets.UTF_8);
            List<BiometricReading> quick = ReadingCodec.fastBatch(body, 42, MAX);
            List<BiometricReading> slow = thorough(body, 42);
            if (slow != null) {
                valid++;
            }
            if (quick != null) {
                fast++;
                assertNotNull(
                        slow,
                        "the fast read accepted what the thorough one refuses: "
                                + new String(body, StandardCharsets.UTF_8));
                assertEquals(slow, quick, new String(body, StandardCharsets.UTF_8));
            }
        }
        // bodies that are valid only by the thorough read's leniency (camelCase, nulls, metadata,
        // extra fields) are left
        // to it; plain ones go the fast way
        assertTrue(fast > 0.3 * valid && fast > 1_000, fast + " fast of " + valid + " valid");
    }

    @Test
    void aBatchAsTheSimulatorAndTheBenchmarkSendItTakesTheFastRead() {
        String body =
                "[{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"unit\":\"bpm\",\"quality\":0.9,"
                        + "\"timestamp\":\"2026-11-30T10:00:00.001Z\"},{\"device_id\":7,\"data_type\":\"hrv\",\"value\":41.5,"
                        + "\"timestamp\":\"2026-11-30T11:00:00+01:00\"}]";
        List<BiometricReading> read =
                ReadingCodec.fastBatch(body.getBytes(StandardCharsets.UTF_8), 3, MAX);
        assertEquals(thorough(body.getBytes(StandardCharsets.UTF_8), 3), read);
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), read.get(1).timestamp());
        // a unit is trimmed before it is compared, but a NUL cannot be stored: refused the thorough
        // way, so not read here
        String nul = body.replace("\"bpm\"", "\"bpm\\u0000\"");
        assertEquals(null, thorough(nul.getBytes(StandardCharsets.UTF_8), 3));
        assertEquals(null, ReadingCodec.fastBatch(nul.getBytes(StandardCharsets.UTF_8), 3, MAX));
    }

    /**
     * The API's way: its mapper and storable-text check (Bodies.json), the batch's shape, each item
     * through fromInput.
     */
    static List<BiometricReading> thorough(byte[] body, int user) {
        List<JsonNode> items;
        try {
            items = ReadingsHandler.items(Bodies.json(body), MAX);
        } catch (ApiException e) {
            return null;
        }
        List<BiometricReading> out = new ArrayList<>();
        for (JsonNode item : items) {
            ParseResult p = ReadingCodec.fromInput(item, user);
            if (!p.isOk()) {
                return null;
            }
            out.add(p.reading());
        }
        return out;
    }

    static String body(Random r) {
        int n = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(MAX + 1);
        if (n == 1 && r.nextBoolean()) {
            return mangle(r, item(r).toString());
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.add(item(r));
        }
        if (r.nextInt(20) == 0) {
            a.add(
                    r.nextBoolean()
                            ? Json.MAPPER.getNodeFactory().numberNode(1)
                            : Json.MAPPER.createArrayNode());
        }
        return mangle(r, a.toString());
    }

    /**
     * An item as an app posts it, its values drawn around (and sometimes beyond) each type's range;
     * now and then mangled.
     */
    static ObjectNode item(Random r) {
        DataType t = DataType.values()[r.nextInt(DataType.values().length)];
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("device_id", 1 + r.nextInt(1000));
        n.put("data_type", t.wireName());
        double v = t.min() + (t.max() - t.min()) * (r.nextDouble() * 1.2 - 0.1);
        n.put("value", t.integral() || r.nextInt(3) == 0 ? Math.rint(v) : v);
        if (r.nextInt(3) > 0) {
            n.put(
                    "unit",
                    switch (r.nextInt(12)) {
                        case 0 -> "furlongs";
                        case 1 -> t.unit() + "\u0000";
                        case 2 -> " " + t.unit().toUpperCase();
                        default -> t.unit();
                    });
        }
        if (r.nextInt(3) > 0) {
            n.put("quality", r.nextDouble() * 1.1);
        }
        if (r.nextInt(4) == 0) {
            n.put("confidence", r.nextDouble());
        }
        n.put(
                "timestamp",
                Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000_000) * 100L)
                        .toString());
        int f = r.nextInt(FIELDS.length);
        switch (r.nextInt(16)) {
            case 0 -> n.remove(FIELDS[f]);
            case 1 -> n.putNull(FIELDS[f]);
            case 2 -> n.put(FIELDS[f], "12");
            case 3 -> n.put(FIELDS[f], 1.5);
            case 4 -> n.put(FIELDS[f], -3);
            case 5 -> n.put(FIELDS[f], 3_000_000_000L);
            case 6 ->
                    n.set(
                            CAMEL[f],
                            n.has(FIELDS[f])
                                    ? n.remove(FIELDS[f])
                                    : Json.MAPPER.getNodeFactory().numberNode(5));
            case 7 -> n.put("extra", r.nextBoolean() ? "ok" : "bad \uD800");
            case 8 ->
                    n.put(
                            "timestamp",
                            r.nextBoolean() ? "2026-02-30T10:00:00Z" : "1850-01-01T00:00:00Z");
            case 9 -> n.putObject("metadata").put("note", r.nextBoolean() ? "fine" : "nul \u0000");
            case 10 ->
                    n.put(
                            "data_type",
                            r.nextBoolean() ? t.wireName().toUpperCase() : t.wireName() + "\u0000");
            default -> {
                // unchanged: most items are fine
            }
        }
        return n;
    }

    static String mangle(Random r, String s) {
        return switch (r.nextInt(14)) {
            case 0 -> s + (r.nextBoolean() ? " {}" : "x");
            case 1 -> s.substring(0, r.nextInt(s.length()));
            case 2 -> {
                int at = s.indexOf('{');
                yield at < 0 ? s : s.substring(0, at + 1) + "\"value\":7," + s.substring(at + 1);
            }
            case 3 -> "  " + s + "\n";
            default -> s;
        };
    }
}
