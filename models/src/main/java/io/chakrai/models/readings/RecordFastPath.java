package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.storage.Storable;
import java.io.IOException;
import java.time.Instant;

/**
 * The record form of a reading, as {@link ReadingCodec#toRecord} writes it, read with Jackson's streaming parser instead
 * of a tree: every job reads every reading, and building a tree of nine fields was a third of that. Only a record that
 * is well-formed and valid comes out; anything else (a missing, duplicated, camelCase, null or mistyped field, a value
 * out of range, trailing bytes, not JSON at all) returns null, and {@link ReadingCodec#fromRecord} then reads it the
 * thorough way, which names every problem. So the two can never disagree on a reading: this path only ever accepts
 * what the other would accept, as the other would (RecordFastPathTest).
 */
final class RecordFastPath {
    private static final ObjectMapper JSON = ReadingCodec.JSON;
    private static final JsonFactory FACTORY = JSON.getFactory();

    private RecordFastPath() {
    }

    static BiometricReading read(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.setCodec(JSON);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int user = 0;
            int device = 0;
            String dataType = null;
            double value = Double.NaN;
            String unit = null;
            double quality = Double.NaN;
            double confidence = Double.NaN;
            String timestamp = null;
            String metadata = null;
            int seen = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                switch (name) {
                    case "user_id" -> {
                        bit = 1;
                        user = positiveInt(p, v);
                        if (user <= 0) {
                            return null;
                        }
                    }
                    case "device_id" -> {
                        bit = 2;
                        device = positiveInt(p, v);
                        if (device <= 0) {
                            return null;
                        }
                    }
                    case "data_type" -> {
                        bit = 4;
                        dataType = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "value" -> {
                        bit = 8;
                        value = number(p, v);
                    }
                    case "unit" -> {
                        bit = 16;
                        unit = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "quality" -> {
                        bit = 32;
                        quality = number(p, v);
                    }
                    case "confidence" -> {
                        bit = 64;
                        confidence = number(p, v);
                    }
                    case "timestamp" -> {
                        bit = 128;
                        timestamp = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "metadata" -> {
                        bit = 256;
                        if (v != JsonToken.START_OBJECT) {
                            return null;
                        }
                        JsonNode meta = p.readValueAsTree();
                        metadata = meta.toString();
                        if (metadata.length() > ReadingCodec.MAX_METADATA_CHARS || Storable.jsonProblem(meta).isPresent()) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            // everything the record form always has; unit, quality, confidence and metadata are optional on input
            if ((seen & (1 | 2 | 4 | 8 | 128)) != (1 | 2 | 4 | 8 | 128) || dataType == null || timestamp == null) {
                return null;
            }
            DataType type = DataType.fromWire(dataType).orElse(null);
            if (type == null || !ReadingCodec.plausible(type, value)) {
                return null;
            }
            if ((seen & 16) != 0 && (unit == null || !type.acceptsUnit(unit))) {
                return null;
            }
            if ((seen & 32) == 0) {
                quality = ReadingCodec.DEFAULT_QUALITY;
            } else if (!ReadingCodec.isFraction(quality)) {
                return null;
            }
            if ((seen & 64) == 0) {
                confidence = ReadingCodec.DEFAULT_CONFIDENCE;
            } else if (!ReadingCodec.isFraction(confidence)) {
                return null;
            }
            Instant at;
            try {
                at = Storable.parseInstant(timestamp);
            } catch (IllegalArgumentException e) {
                return null;
            }
            return new BiometricReading(user, device, type.wireName(), value, type.unit(), quality, confidence, at, metadata);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An int that JSON spells as an integer, or 0 for anything else (the slow path then names the problem). */
    private static int positiveInt(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : 0;
    }

    /** A JSON number as a double (NaN for anything else: not accepted below). */
    private static double number(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        return Double.NaN;
    }
}
