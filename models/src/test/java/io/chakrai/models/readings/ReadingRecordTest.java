package io.chakrai.models.readings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Records of topic {@code biometric.readings} as the one reader reads them: those the API writes,
 * and 30,000 mangled ones (fields dropped, doubled, renamed, nulled, mistyped, out of range, extra,
 * trailing bytes, bytes that are not UTF-8): a reading that is valid, or its problems, never an
 * exception.
 */
class ReadingRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIELDS = {
        "user_id",
        "device_id",
        "data_type",
        "value",
        "unit",
        "quality",
        "confidence",
        "timestamp",
        "metadata"
    };

    @Test
    void aMangledRecordIsAReadingOrItsProblemsAndItsBytesReadAsItsText() throws Exception {
        Random r = new Random(7);
        int valid = 0;
        for (int i = 0; i < 30_000; i++) {
            String json = mangle(r, record(r), r);
            ParseResult read = ReadingCodec.fromRecord(json);
            assertEquals(read.isOk(), read.problems().isEmpty(), json);
            if (read.isOk()) {
                valid++;
                BiometricReading b = read.reading();
                DataType t = DataType.fromWire(b.dataType()).orElseThrow();
                assertTrue(ReadingCodec.plausible(t, b.value()), json);
                assertEquals(t.unit(), b.unit(), json);
                assertTrue(b.quality() >= 0 && b.quality() <= 1, json);
                // a record read is the record written again
                assertEquals(b, ReadingCodec.fromRecord(ReadingCodec.toRecord(b)).reading(), json);
            }
            // as Kafka's bytes: what the text says, also when the bytes are not valid UTF-8
            byte[] bytes =
                    r.nextInt(4) == 0
                            ? malformed(r, json.getBytes(StandardCharsets.UTF_8))
                            : json.getBytes(StandardCharsets.UTF_8);
            ParseResult text = ReadingCodec.fromRecord(new String(bytes, StandardCharsets.UTF_8));
            ParseResult raw = ReadingCodec.fromRecord(bytes);
            assertEquals(text.reading(), raw.reading(), json);
            assertEquals(text.problems(), raw.problems(), json);
        }
        assertTrue(valid > 5_000, valid + " valid");
    }

    @Test
    void aFieldTwiceOrAnythingAfterTheRecordIsNotARecord() {
        String ok =
                "{\"user_id\":1,\"device_id\":7,\"data_type\":\"hrv\",\"value\":40,"
                        + "\"timestamp\":\"2026-03-02T07:30:00Z\"}";
        assertTrue(ReadingCodec.fromRecord(ok).isOk());
        for (String bad :
                List.of(
                        ok.replace("\"value\":40", "\"value\":40,\"value\":41"),
                        ok + "x",
                        ok + " {}",
                        ok.replace("}", ",\"extra\":{\"a\":1,\"a\":2}}"))) {
            ParseResult p = ReadingCodec.fromRecord(bad);
            assertEquals("record", p.problems().get(0).field(), bad);
        }
        // a record that is not JSON is named so, whatever it starts with
        assertTrue(
                ReadingCodec.fromRecord("[1,")
                        .problems()
                        .get(0)
                        .reason()
                        .startsWith("is not valid JSON"));
        assertEquals(
                new Problem("record", "must be a JSON object"),
                ReadingCodec.fromRecord("[1,2]").problems().get(0));
        assertEquals(
                new Problem("record", "is not valid JSON: content after the document"),
                ReadingCodec.fromRecord("[1] [2]").problems().get(0));
        // a camelCase twin is read only when the snake_case name is absent
        assertEquals(
                7,
                ReadingCodec.fromRecord(ok.replace("{", "{\"deviceId\":9,")).reading().deviceId());
        assertEquals(
                9,
                ReadingCodec.fromRecord(ok.replace("\"device_id\":7", "\"deviceId\":9"))
                        .reading()
                        .deviceId());
        // text the database cannot store is named, wherever it is
        ParseResult nul = ReadingCodec.fromRecord(ok.replace("}", ",\"extra\":[\"a\\u0000\"]}"));
        assertEquals("extra/0", nul.problems().get(0).field(), nul.problems().toString());
    }

    @Test
    void bytesAreReadAsUtf8WhateverTheyLookLike() {
        // NUL bytes after the first would have a guessing parser read UTF-16: the bytes would then
        // say what their text does not
        byte[] odd = {0x7B, 0, 0x7D, 0};
        ParseResult bytes = ReadingCodec.fromRecord(odd);
        assertEquals(
                ReadingCodec.fromRecord(new String(odd, StandardCharsets.UTF_8)).problems(),
                bytes.problems());
        assertEquals("record", bytes.problems().get(0).field(), bytes.problems().toString());
        String ok =
                "{\"user_id\":1,\"device_id\":7,\"data_type\":\"hrv\",\"value\":40,"
                        + "\"timestamp\":\"2026-03-02T07:30:00Z\"}";
        assertFalse(ReadingCodec.fromRecord(ok.getBytes(StandardCharsets.UTF_16LE)).isOk());
        assertTrue(ReadingCodec.fromRecord(ok.getBytes(StandardCharsets.UTF_8)).isOk());
    }

    @Test
    void aBatchIsWrittenAsEachRecordAlone() throws Exception {
        Random r = new Random(13);
        List<BiometricReading> batch = new ArrayList<>();
        while (batch.size() < 2_000) {
            ParseResult p = ReadingCodec.fromRecord(record(r).toString());
            if (p.reading() != null) {
                batch.add(p.reading());
            }
        }
        List<byte[]> records = ReadingCodec.toRecords(batch);
        assertEquals(batch.size(), records.size());
        for (int i = 0; i < batch.size(); i++) {
            String one = ReadingCodec.toRecord(batch.get(i));
            assertEquals(one, new String(records.get(i), StandardCharsets.UTF_8));
            assertEquals(batch.get(i), ReadingCodec.fromRecord(records.get(i)).reading(), one);
            // the record form is JSON with the fields in their order
            assertEquals(JSON.readTree(one).toString(), one);
        }
    }

    @Test
    void asciiIsNoByteWithItsHighBitAtAnyPlace() {
        Random r = new Random(17);
        for (int n = 0; n <= 40; n++) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) r.nextInt(128);
            }
            assertTrue(ReadingReader.ascii(b));
            for (int at = 0; at < n; at++) {
                byte keep = b[at];
                b[at] = (byte) (0x80 | r.nextInt(128));
                assertTrue(!ReadingReader.ascii(b), n + " bytes, high bit at " + at);
                b[at] = keep;
            }
        }
    }

    /**
     * The bytes with a sequence that is not UTF-8 put in: a stray lead or continuation byte, an
     * overlong or a surrogate.
     */
    static byte[] malformed(Random r, byte[] utf8) {
        byte[][] bad = {
            {0},
            {0, 0},
            {(byte) 0xC3},
            {(byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF}
        };
        byte[] put = bad[r.nextInt(bad.length)];
        int at = r.nextInt(utf8.length + 1);
        byte[] out = new byte[utf8.length + put.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(put, 0, out, at, put.length);
        System.arraycopy(utf8, at, out, at + put.length, utf8.length - at);
        return out;
    }

    /**
     * A record like the API writes, its values drawn around (and sometimes beyond) each type's
     * range.
     */
    static ObjectNode record(Random r) {
        DataType t = DataType.values()[r.nextInt(DataType.values().length)];
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", 1 + r.nextInt(1000));
        n.put("device_id", 1 + r.nextInt(1000));
        n.put("data_type", t.wireName());
        double v = t.min() + (t.max() - t.min()) * (r.nextDouble() * 1.2 - 0.1);
        if (t.integral() || r.nextInt(3) == 0) {
            n.put("value", Math.rint(v));
        } else {
            n.put("value", v);
        }
        if (r.nextInt(4) > 0) {
            n.put("unit", r.nextInt(10) == 0 ? "furlongs" : t.unit());
        }
        if (r.nextInt(4) > 0) {
            n.put("quality", r.nextDouble() * 1.1);
        }
        if (r.nextInt(4) > 0) {
            n.put("confidence", r.nextDouble());
        }
        n.put(
                "timestamp",
                Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000_000) * 100L)
                        .toString());
        if (r.nextInt(3) == 0) {
            n.putObject("metadata")
                    .put("sim_state", r.nextBoolean() ? "rest" : "stress \u0000")
                    .put("n", r.nextInt());
        }
        return n;
    }

    static String mangle(Random r, ObjectNode n, Random random) {
        String f = FIELDS[r.nextInt(FIELDS.length)];
        switch (r.nextInt(15)) {
            case 0 -> n.remove(f);
            case 1 -> n.putNull(f);
            case 2 -> n.put(f, "12");
            case 3 -> n.put(f, 1.5);
            case 4 -> n.put(f, -3);
            case 5 -> n.put(f, 3_000_000_000L);
            case 6 ->
                    n.set(
                            camel(f),
                            n.get(f) == null ? JSON.getNodeFactory().numberNode(5) : n.get(f));
            case 7 -> n.put("extra", true);
            case 8 -> {
                return n.toString() + (r.nextBoolean() ? " {}" : "x");
            }
            case 9 -> {
                String s = n.toString();
                return s.substring(0, 1) + "\"" + f + "\":7," + s.substring(1);
            }
            case 10 ->
                    n.put(
                            "timestamp",
                            r.nextBoolean() ? "2026-02-30T10:00:00Z" : "1850-01-01T00:00:00Z");
            case 11 -> {
                String s = n.toString();
                return s.substring(0, r.nextInt(s.length()));
            }
            case 12 -> {
                // a raw lone surrogate (or a plain '?') inside metadata or the unit: the text
                // differs from its UTF-8 bytes
                String odd = r.nextBoolean() ? "\uD800" : "?";
                n.putObject("metadata").put("note", "aXb");
                String s = n.toString().replace("aXb", "a" + odd + "b");
                return r.nextBoolean() ? s : s.replace("\"bpm\"", "\"bpm" + odd + "\"");
            }
            default -> {
                // unchanged: most records are fine
            }
        }
        return n.toString();
    }

    private static String camel(String snake) {
        List<String> parts = new ArrayList<>(List.of(snake.split("_")));
        StringBuilder b = new StringBuilder(parts.remove(0));
        parts.forEach(p -> b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1)));
        return b.toString();
    }
}
