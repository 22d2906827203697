package io.chakrai.api.readings;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.chakrai.models.readings.ReadingReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A body of readings is read in one pass, and it answers as every other route's body is answered
 * (the API's JSON mapper and its storable-text check, {@link Bodies#json}): refused as malformed
 * JSON or as unstorable text, at the same place, exactly when that reading refuses it; when it is
 * read, each item is what the same reader makes of the item's tree (a WebSocket event's data). On
 * bodies as apps send them and on tens of thousands of mangled ones.
 */
class ReadingsBodyTest {
    static final int MAX = 4;
    static final String[] FIELDS = {
        "device_id", "data_type", "value", "unit", "quality", "confidence", "timestamp", "metadata"
    };
    static final String[] CAMEL = {
        "deviceId", "dataType", "value", "unit", "quality", "confidence", "timestamp", "metadata"
    };

    @Test
    void aBodyIsRefusedAsTheApiRefusesAnyBodyAndItsItemsReadAsTheirTrees() {
        Random r = new Random(5);
        Map<String, Integer> seen = new TreeMap<>();
        int read = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] body = body(r).getBytes(StandardCharsets.UTF_8);
            String text = new String(body, StandardCharsets.UTF_8);
            ReadingReader.Body one = ReadingCodec.fromBody(body, 42, MAX);
            JsonNode tree;
            try {
                tree = Bodies.json(body);
            } catch (ApiException e) {
                ApiException ours = ReadingsHandler.refusal(one);
                assertEquals(e.code(), ours.code(), text);
                // a key twice: the API's parser names it as the key is read; the reader does for
                // a reading's own keys, and inside metadata when the value is read (so a body cut
                // short there is named as cut short instead). Anything else in the same words.
                if (!e.getMessage().contains(": Duplicate field '")) {
                    assertEquals(e.getMessage(), ours.getMessage(), text);
                }
                assertEquals(e.details(), ours.details(), text);
                seen.merge(e.code(), 1, Integer::sum);
                continue;
            }
            if (one.refused() != null) {
                // the batch's own shape: not an object or array, empty, too many
                assertTrue(
                        !(tree.isArray() || tree.isObject())
                                || tree.isEmpty() && tree.isArray()
                                || tree.size() > MAX && tree.isArray(),
                        text);
                seen.merge(one.refused().name(), 1, Integer::sum);
                continue;
            }
            List<JsonNode> items = new ArrayList<>();
            if (tree.isArray()) {
                tree.forEach(items::add);
            } else {
                items.add(tree);
            }
            assertEquals(items.size(), one.items().size(), text);
            for (int k = 0; k < items.size(); k++) {
                ParseResult asTree = ReadingCodec.fromInput(items.get(k), 42);
                assertEquals(asTree.reading(), one.items().get(k).reading(), text);
                assertEquals(asTree.problems(), one.items().get(k).problems(), text);
            }
            read++;
            seen.merge(
                    one.items().stream().allMatch(ParseResult::isOk) ? "valid" : "invalid items",
                    1,
                    Integer::sum);
        }
        // every kind of answer came up often enough to mean something
        for (String kind :
                List.of(
                        "malformed_json",
                        "invalid_text",
                        "EMPTY_BATCH",
                        "TOO_MANY",
                        "valid",
                        "invalid items")) {
            assertTrue(seen.getOrDefault(kind, 0) > 100, kind + " in " + seen);
        }
        assertTrue(read > 10_000, read + " read");
    }

    @Test
    void aBatchAsTheSimulatorAndTheBenchmarkSendItIsRead() {
        String body =
                "[{\"device_id\":7,\"data_type\":\"heart_rate\",\"value\":72,\"unit\":\"bpm\",\"quality\":0.9,"
                        + "\"timestamp\":\"2026-11-30T10:00:00.001Z\"},{\"device_id\":7,\"data_type\":\"hrv\",\"value\":41.5,"
                        + "\"timestamp\":\"2026-11-30T11:00:00+01:00\"}]";
        ReadingReader.Body read =
                ReadingCodec.fromBody(body.getBytes(StandardCharsets.UTF_8), 3, MAX);
        assertEquals(null, read.refused());
        BiometricReading second = read.items().get(1).reading();
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), second.timestamp());
        assertEquals(3, second.userId());
        assertEquals(0.9, read.items().get(0).reading().quality());
        // a unit is trimmed before it is compared, but a NUL cannot be stored: the body is refused
        // naming the place
        String nul = body.replace("\"bpm\"", "\"bpm\\u0000\"");
        ReadingReader.Body refused =
                ReadingCodec.fromBody(nul.getBytes(StandardCharsets.UTF_8), 3, MAX);
        assertEquals(ReadingReader.Refused.UNSTORABLE_TEXT, refused.refused());
        assertEquals("0/unit", refused.field());
        // a key given twice, and anything after the document, are not JSON the API reads
        assertEquals(
                ReadingReader.Refused.MALFORMED,
                ReadingCodec.fromBody(
                                body.replace("\"value\":72,", "\"value\":72,\"value\":73,")
                                        .getBytes(StandardCharsets.UTF_8),
                                3,
                                MAX)
                        .refused());
        assertEquals(
                ReadingReader.Refused.MALFORMED,
                ReadingCodec.fromBody((body + " []").getBytes(StandardCharsets.UTF_8), 3, MAX)
                        .refused());
        // the snake_case spelling wins over the camelCase one
        ReadingReader.Body twins =
                ReadingCodec.fromBody(
                        body.replace(
                                        "\"device_id\":7,\"data_type\":\"hrv\"",
                                        "\"deviceId\":9,\"device_id\":7,\"data_type\":\"hrv\",\"dataType\":\"eda\"")
                                .getBytes(StandardCharsets.UTF_8),
                        3,
                        MAX);
        assertEquals(7, twins.items().get(1).reading().deviceId());
        assertEquals("hrv", twins.items().get(1).reading().dataType());
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
            case 7 -> n.put("extra", r.nextBoolean() ? "ok" : "bad LONE_SURROGATE");
            case 11 -> n.set(CAMEL[f], Json.MAPPER.getNodeFactory().numberNode(5));
            case 12 -> n.putObject("metadata").put("a", 1).put("DUPLICATE", 2);
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

    static String mangle(Random r, String text) {
        // a lone surrogate as JSON spells it (a Java string's would become '?' in UTF-8), and a key
        // given twice inside metadata
        String s = text.replace("LONE_SURROGATE", "\\ud800").replace("\"DUPLICATE\"", "\"a\"");
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
