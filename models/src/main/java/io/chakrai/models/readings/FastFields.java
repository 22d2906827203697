package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.chakrai.models.storage.Storable;
import java.io.IOException;
import java.time.Instant;

/**
 * The fields a reading has in both its posted and its record form, as the streaming fast paths
 * ({@link InputFastPath}, {@link RecordFastPath}) read them: each present at most once, snake_case,
 * of its JSON type, and then checked as {@link ReadingCodec} checks them. Anything short of that
 * makes the fast path decline, and the thorough path reads it.
 */
final class FastFields {
    private static final int DEVICE = 1;
    private static final int TYPE = 2;
    private static final int VALUE = 4;
    private static final int UNIT = 8;
    private static final int QUALITY = 16;
    private static final int CONFIDENCE = 32;
    private static final int TIMESTAMP = 64;

    private int device;
    private String dataType;
    private double value = Double.NaN;
    private String unit;
    private double quality = ReadingCodec.DEFAULT_QUALITY;
    private double confidence = ReadingCodec.DEFAULT_CONFIDENCE;
    private String timestamp;
    private int seen;

    /** What became of a field. */
    enum Read {
        /** one of these fields, read */
        OK,
        /** not one of these fields: the caller's own, or a reason to decline */
        OTHER,
        /** one of these, but null, mistyped or there twice: decline */
        REFUSED
    }

    /** Reads field {@code name}, the parser on its value {@code v}. */
    Read read(JsonParser p, String name, JsonToken v) throws IOException {
        int bit;
        switch (name) {
            case "device_id" -> {
                bit = DEVICE;
                device = positiveInt(p, v);
                if (device <= 0) {
                    return Read.REFUSED;
                }
            }
            case "data_type" -> {
                bit = TYPE;
                dataType = text(p, v);
            }
            case "value" -> {
                bit = VALUE;
                value = number(p, v);
            }
            case "unit" -> {
                bit = UNIT;
                unit = text(p, v);
            }
            case "quality" -> {
                bit = QUALITY;
                quality = number(p, v);
            }
            case "confidence" -> {
                bit = CONFIDENCE;
                confidence = number(p, v);
            }
            case "timestamp" -> {
                bit = TIMESTAMP;
                timestamp = text(p, v);
            }
            default -> {
                return Read.OTHER;
            }
        }
        if ((seen & bit) != 0) {
            return Read.REFUSED;
        }
        seen |= bit;
        return Read.OK;
    }

    /**
     * The reading of user {@code userId}, or null unless the required fields are there and every
     * field is valid and storable as the thorough path says (a unit is trimmed before it is
     * compared, so a NUL after "bpm" is refused here, as the API's storable-text check refuses it).
     */
    BiometricReading reading(int userId, String metadata) {
        int required = DEVICE | TYPE | VALUE | TIMESTAMP;
        if ((seen & required) != required
                || dataType == null
                || timestamp == null
                || ((seen & UNIT) != 0 && unit == null)
                || Storable.textProblem(dataType).isPresent()
                || Storable.textProblem(unit).isPresent()
                || Storable.textProblem(timestamp).isPresent()) {
            return null;
        }
        DataType type = DataType.fromWire(dataType).orElse(null);
        if (type == null
                || !ReadingCodec.plausible(type, value)
                || !ReadingCodec.isFraction(quality)
                || !ReadingCodec.isFraction(confidence)
                || (unit != null && !type.acceptsUnit(unit))) {
            return null;
        }
        Instant at;
        try {
            at = Storable.parseInstant(timestamp);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new BiometricReading(
                userId,
                device,
                type.wireName(),
                value,
                type.unit(),
                quality,
                confidence,
                at,
                metadata);
    }

    /**
     * An int that JSON spells as an integer, or 0 for anything else (the thorough path then names
     * the problem).
     */
    static int positiveInt(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                ? p.getIntValue()
                : 0;
    }

    /** A JSON string's text, or null for anything else (not accepted). */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** A JSON number as a double (NaN for anything else: not accepted). */
    private static double number(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT
                ? p.getDoubleValue()
                : Double.NaN;
    }
}
