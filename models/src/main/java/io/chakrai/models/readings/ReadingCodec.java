package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chakrai.models.storage.Decimals;
import io.chakrai.models.storage.IsoInstant;
import io.chakrai.models.storage.Storable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and writes readings as JSON, checking every field and naming each problem. The same code
 * parses a reading posted to the API and a record taken off Kafka, so the ingestion job and the API
 * can never disagree about what a valid reading is.
 *
 * <p>Field names are snake_case ({@code data_type}); the camelCase spelling ({@code dataType}) is
 * accepted too, because the spec's WebSocket event uses it.
 */
public final class ReadingCodec {
    /** Largest {@code metadata} object accepted, in characters of its JSON text. */
    public static final int MAX_METADATA_CHARS = 2_048;

    public static final double DEFAULT_QUALITY = 1.0;
    public static final double DEFAULT_CONFIDENCE = 0.9;

    /**
     * Every reading's numbers are written and read by Jackson's fast double writer and parser
     * (Schubfach, FastDoubleParser: the same doubles as the JDK's, at a fraction of JDK 17's cost);
     * the record form shares this mapper.
     */
    static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .build();

    // the record form's names, and the canonical type names and units, encoded once (escaping them
    // a character at a time
    // was a third of writing a record)
    private static final SerializedString USER_ID = new SerializedString("user_id");
    private static final SerializedString DEVICE_ID = new SerializedString("device_id");
    private static final SerializedString DATA_TYPE = new SerializedString("data_type");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString UNIT = new SerializedString("unit");
    private static final SerializedString QUALITY = new SerializedString("quality");
    private static final SerializedString CONFIDENCE = new SerializedString("confidence");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final Map<String, SerializedString> CANONICAL =
            DataType.canonicalTexts().stream()
                    .collect(
                            Collectors.toUnmodifiableMap(
                                    Function.identity(), SerializedString::new));

    private ReadingCodec() {}

    /**
     * Parses one reading posted by user {@code userId}; any {@code user_id} in the item is ignored.
     */
    public static ParseResult fromInput(JsonNode item, int userId) {
        return parse(item, userId);
    }

    /**
     * The readings of a request body posted by user {@code userId} (one object or an array of at
     * most {@code maxItems}), when the body is well-formed and every item valid in the snake_case
     * form; null otherwise, and the caller reads it item by item with {@link #fromInput}, which
     * names the problems. When it is not null, it is exactly what that would give. Never throws.
     */
    public static List<BiometricReading> fastBatch(byte[] body, int userId, int maxItems) {
        return InputFastPath.read(body, userId, maxItems);
    }

    /**
     * Parses a record from topic {@code biometric.readings} as Kafka holds it (its UTF-8 bytes,
     * malformed sequences read as replacement characters): exactly {@code fromRecord(new
     * String(utf8, UTF_8))}, without building the string for a valid record. Never throws, whatever
     * the bytes.
     */
    public static ParseResult fromRecord(byte[] utf8) {
        if (utf8 == null) {
            return fromRecord((String) null);
        }
        BiometricReading fast = RecordFastPath.read(utf8);
        return fast != null
                ? ParseResult.ok(fast)
                : thorough(new String(utf8, StandardCharsets.UTF_8));
    }

    /** Parses a record from topic {@code biometric.readings}; never throws, whatever the text. */
    public static ParseResult fromRecord(String json) {
        if (json == null) {
            return ParseResult.failed(List.of(new Problem("record", "is empty (null value)")));
        }
        BiometricReading fast = RecordFastPath.read(json);
        return fast != null ? ParseResult.ok(fast) : thorough(json);
    }

    /** The record read as a tree, every field checked and every problem named. */
    static ParseResult thorough(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return ParseResult.failed(
                    List.of(new Problem("record", "is not valid JSON: " + e.getOriginalMessage())));
        }
        if (node == null || !node.isObject()) {
            return ParseResult.failed(List.of(new Problem("record", "must be a JSON object")));
        }
        JsonNode user = field(node, "user_id", "userId");
        if (user == null
                || !user.canConvertToInt()
                || !user.isIntegralNumber()
                || user.asInt() <= 0) {
            return ParseResult.failed(
                    List.of(new Problem("user_id", "must be a positive integer")));
        }
        return parse(node, user.asInt());
    }

    /**
     * The Kafka / wire form of a reading, written field by field with Jackson's streaming
     * generator; {@code metadata}, already compact JSON from {@link #fromInput}, is written as it
     * is.
     */
    public static String toRecord(BiometricReading r) {
        return new String(toRecords(List.of(r)).get(0), StandardCharsets.UTF_8);
    }

    /**
     * The records of {@code readings} as UTF-8 bytes, the Kafka values the API sends: {@link
     * #toRecord}'s text, written by one generator for the whole batch (the API writes one for every
     * reading it accepts; a generator each, and text that the producer then encoded again, were a
     * third of that).
     */
    public static List<byte[]> toRecords(List<BiometricReading> readings) {
        List<byte[]> records = new ArrayList<>(readings.size());
        ByteArrayBuilder out = new ByteArrayBuilder(192);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            for (BiometricReading r : readings) {
                write(g, r);
                g.flush();
                records.add(out.toByteArray());
                out.reset();
            }
        } catch (IOException e) {
            // metadata that is not JSON, text with no UTF-8 form: fromInput lets neither through
            throw new IllegalArgumentException(
                    "not a reading the record form can hold: " + e.getMessage(), e);
        }
        return records;
    }

    private static void write(JsonGenerator g, BiometricReading r) throws IOException {
        g.writeStartObject();
        g.writeFieldName(USER_ID);
        g.writeNumber(r.userId());
        g.writeFieldName(DEVICE_ID);
        g.writeNumber(r.deviceId());
        g.writeFieldName(DATA_TYPE);
        text(g, r.dataType());
        g.writeFieldName(VALUE);
        number(g, r.value());
        g.writeFieldName(UNIT);
        text(g, r.unit());
        g.writeFieldName(QUALITY);
        number(g, r.quality());
        g.writeFieldName(CONFIDENCE);
        number(g, r.confidence());
        g.writeFieldName(TIMESTAMP);
        // Instant.toString's text: digits, '-', ':', '.', 'T', 'Z' and a sign, nothing JSON escapes
        g.writeRawValue("\"" + IsoInstant.format(r.timestamp()) + "\"");
        if (r.metadata() != null) {
            g.writeFieldName("metadata");
            g.writeTree(JSON.readTree(r.metadata()));
        }
        g.writeEndObject();
    }

    /**
     * A finite number as Decimals spells it; NaN and the infinities as the generator writes them
     * (quoted).
     */
    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(Decimals.format(d));
        } else {
            g.writeNumber(d);
        }
    }

    /** A canonical type name or unit from its encoded form, any other text the usual way. */
    private static void text(JsonGenerator g, String s) throws IOException {
        SerializedString canonical = s == null ? null : CANONICAL.get(s);
        if (canonical != null) {
            g.writeString(canonical);
        } else {
            g.writeString(s);
        }
    }

    private static ParseResult parse(JsonNode item, int userId) {
        List<Problem> problems = new ArrayList<>();
        if (item == null || !item.isObject()) {
            return ParseResult.failed(List.of(new Problem("reading", "must be a JSON object")));
        }

        int deviceId = 0;
        JsonNode device = field(item, "device_id", "deviceId");
        if (device == null || device.isNull()) {
            problems.add(new Problem("device_id", "is required"));
        } else if (!device.isIntegralNumber() || !device.canConvertToInt() || device.asInt() <= 0) {
            problems.add(
                    new Problem(
                            "device_id",
                            "must be a positive integer (the id returned when the device was registered)"));
        } else {
            deviceId = device.asInt();
        }

        DataType type = null;
        JsonNode typeNode = field(item, "data_type", "dataType");
        if (typeNode == null || typeNode.isNull()) {
            problems.add(new Problem("data_type", "is required (one of " + DataType.names() + ")"));
        } else if (!typeNode.isTextual()) {
            problems.add(
                    new Problem("data_type", "must be a string (one of " + DataType.names() + ")"));
        } else {
            type = DataType.fromWire(typeNode.asText()).orElse(null);
            if (type == null) {
                problems.add(
                        new Problem(
                                "data_type",
                                "unknown data type '"
                                        + clip(typeNode.asText())
                                        + "' (one of "
                                        + DataType.names()
                                        + ")"));
            }
        }

        double value = Double.NaN;
        JsonNode valueNode = field(item, "value", "value");
        if (valueNode == null || valueNode.isNull()) {
            problems.add(new Problem("value", "is required"));
        } else if (!valueNode.isNumber()) {
            problems.add(new Problem("value", "must be a number"));
        } else {
            value = valueNode.asDouble();
            if (!Double.isFinite(value)) {
                problems.add(new Problem("value", "must be a finite number"));
            } else if (type != null && !plausible(type, value)) {
                if (value < type.min() || value > type.max()) {
                    problems.add(
                            new Problem(
                                    "value",
                                    String.format(
                                            "%s of %s %s is outside the plausible range %s..%s",
                                            type.wireName(),
                                            num(value),
                                            type.unit(),
                                            num(type.min()),
                                            num(type.max()))));
                } else if (type.integral() && value != Math.rint(value)) {
                    problems.add(new Problem("value", type.wireName() + " must be a whole number"));
                }
            }
        }

        JsonNode unitNode = field(item, "unit", "unit");
        if (unitNode != null && !unitNode.isNull()) {
            if (!unitNode.isTextual()) {
                problems.add(new Problem("unit", "must be a string"));
            } else if (type != null && !type.acceptsUnit(unitNode.asText())) {
                problems.add(
                        new Problem(
                                "unit",
                                "'"
                                        + clip(unitNode.asText())
                                        + "' is not a unit of "
                                        + type.wireName()
                                        + " (use "
                                        + type.unit()
                                        + ")"));
            }
        }

        double quality = fraction(item, "quality", "quality", DEFAULT_QUALITY, problems);
        double confidence =
                fraction(item, "confidence", "confidence", DEFAULT_CONFIDENCE, problems);

        Instant timestamp = null;
        JsonNode tsNode = field(item, "timestamp", "timestamp");
        if (tsNode == null || tsNode.isNull()) {
            problems.add(
                    new Problem(
                            "timestamp",
                            "is required (ISO-8601 with offset, e.g. 2026-01-31T08:15:00Z)"));
        } else if (!tsNode.isTextual()) {
            problems.add(
                    new Problem(
                            "timestamp",
                            "must be an ISO-8601 string with offset, e.g. 2026-01-31T08:15:00Z"));
        } else {
            try {
                timestamp = Storable.parseInstant(tsNode.asText());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("timestamp", e.getMessage()));
            }
        }

        String metadata = null;
        JsonNode metaNode = field(item, "metadata", "metadata");
        if (metaNode != null && !metaNode.isNull()) {
            if (!metaNode.isObject()) {
                problems.add(new Problem("metadata", "must be a JSON object"));
            } else {
                metadata = metaNode.toString();
                Optional<Storable.JsonProblem> unstorable = Storable.jsonProblem(metaNode);
                if (metadata.length() > MAX_METADATA_CHARS) {
                    problems.add(
                            new Problem(
                                    "metadata",
                                    "is larger than " + MAX_METADATA_CHARS + " characters"));
                } else if (unstorable.isPresent()) {
                    problems.add(
                            new Problem(
                                    "metadata" + unstorable.get().path(),
                                    unstorable.get().reason()));
                }
            }
        }

        if (!problems.isEmpty()) {
            return ParseResult.failed(problems);
        }
        return ParseResult.ok(
                new BiometricReading(
                        userId,
                        deviceId,
                        type.wireName(),
                        value,
                        type.unit(),
                        quality,
                        confidence,
                        timestamp,
                        metadata));
    }

    private static double fraction(
            JsonNode item, String snake, String camel, double dflt, List<Problem> problems) {
        JsonNode n = field(item, snake, camel);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || !isFraction(n.asDouble())) {
            problems.add(new Problem(snake, "must be a number from 0 to 1"));
            return dflt;
        }
        return n.asDouble();
    }

    /** A finite value in the type's plausible range, whole where the type counts. */
    public static boolean plausible(DataType type, double value) {
        return Double.isFinite(value)
                && value >= type.min()
                && value <= type.max()
                && (!type.integral() || value == Math.rint(value));
    }

    /** A finite number from 0 to 1 (quality, confidence). */
    static boolean isFraction(double v) {
        return Double.isFinite(v) && v >= 0 && v <= 1;
    }

    private static JsonNode field(JsonNode item, String snake, String camel) {
        JsonNode n = item.get(snake);
        return n != null ? n : item.get(camel);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    private static String clip(String s) {
        return Storable.clip(s);
    }
}
