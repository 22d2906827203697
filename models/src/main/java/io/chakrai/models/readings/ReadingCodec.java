package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chakrai.models.storage.Decimals;
import io.chakrai.models.storage.IsoInstant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and writes readings as JSON. Every form a reading arrives in (a body an app posts, a
 * WebSocket event's data, a record off Kafka) is read by one reader in one pass ({@link
 * ReadingReader}), which checks every field of {@link ReadingField} and names each problem, so the
 * API and the jobs can never disagree about what a valid reading is. Writing gives the record form.
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

    // the record form's names (ReadingField's) and the canonical type names and units, encoded once
    // (escaping them a character at a time was a third of writing a record)
    private static final ReadingField[] FIELDS = ReadingField.values();
    private static final SerializedString[] NAMES =
            Arrays.stream(FIELDS)
                    .map(f -> new SerializedString(f.snake()))
                    .toArray(SerializedString[]::new);
    private static final Map<String, SerializedString> CANONICAL =
            DataType.canonicalTexts().stream()
                    .collect(
                            Collectors.toUnmodifiableMap(
                                    Function.identity(), SerializedString::new));

    private ReadingCodec() {}

    /**
     * Parses one reading posted by user {@code userId} as a tree (a WebSocket event's data); any
     * {@code user_id} in the item is ignored.
     */
    public static ParseResult fromInput(JsonNode item, int userId) {
        return ReadingReader.item(item, userId);
    }

    /**
     * A request body posted by user {@code userId}: one reading (an object) or a batch of at most
     * {@code maxItems} (an array), read in one pass; the reason it is refused whole, or each item's
     * reading or problems. Never throws.
     */
    public static ReadingReader.Body fromBody(byte[] body, int userId, int maxItems) {
        return ReadingReader.body(body, userId, maxItems);
    }

    /**
     * Parses a record from topic {@code biometric.readings} as Kafka holds it (its UTF-8 bytes,
     * malformed sequences read as replacement characters): exactly {@code fromRecord(new
     * String(utf8, UTF_8))}. Never throws, whatever the bytes.
     */
    public static ParseResult fromRecord(byte[] utf8) {
        return ReadingReader.record(utf8);
    }

    /** Parses a record from topic {@code biometric.readings}; never throws, whatever the text. */
    public static ParseResult fromRecord(String json) {
        return ReadingReader.record(json);
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

    /**
     * A reading's fields in {@link ReadingField}'s order, absent metadata left out. The switch is
     * an expression: a field added to the contract does not compile until it is written here.
     */
    private static void write(JsonGenerator g, BiometricReading r) throws IOException {
        g.writeStartObject();
        for (ReadingField f : FIELDS) {
            if (f == ReadingField.METADATA && r.metadata() == null) {
                continue;
            }
            g.writeFieldName(NAMES[f.ordinal()]);
            ReadingField.Kind written =
                    switch (f) {
                        case USER -> integer(g, r.userId());
                        case DEVICE -> integer(g, r.deviceId());
                        case TYPE -> text(g, r.dataType());
                        case VALUE -> number(g, r.value());
                        case UNIT -> text(g, r.unit());
                        case QUALITY -> fraction(g, r.quality());
                        case CONFIDENCE -> fraction(g, r.confidence());
                        case TIMESTAMP -> time(g, r.timestamp());
                        case METADATA -> object(g, r.metadata());
                    };
            assert written == f.kind() : f + " written as " + written;
        }
        g.writeEndObject();
    }

    private static ReadingField.Kind integer(JsonGenerator g, int v) throws IOException {
        g.writeNumber(v);
        return ReadingField.Kind.INTEGER;
    }

    private static ReadingField.Kind time(JsonGenerator g, Instant at) throws IOException {
        // Instant.toString's text: digits, '-', ':', '.', 'T', 'Z' and a sign, nothing JSON escapes
        g.writeRawValue("\"" + IsoInstant.format(at) + "\"");
        return ReadingField.Kind.TIME;
    }

    private static ReadingField.Kind object(JsonGenerator g, String json) throws IOException {
        g.writeTree(JSON.readTree(json));
        return ReadingField.Kind.OBJECT;
    }

    /**
     * A finite number as Decimals spells it; NaN and the infinities as the generator writes them
     * (quoted).
     */
    private static ReadingField.Kind number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(Decimals.format(d));
        } else {
            g.writeNumber(d);
        }
        return ReadingField.Kind.NUMBER;
    }

    /** A quality or confidence, written as any number is. */
    private static ReadingField.Kind fraction(JsonGenerator g, double d) throws IOException {
        number(g, d);
        return ReadingField.Kind.FRACTION;
    }

    /** A canonical type name or unit from its encoded form, any other text the usual way. */
    private static ReadingField.Kind text(JsonGenerator g, String s) throws IOException {
        SerializedString canonical = s == null ? null : CANONICAL.get(s);
        if (canonical != null) {
            g.writeString(canonical);
        } else {
            g.writeString(s);
        }
        return ReadingField.Kind.TEXT;
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
}
