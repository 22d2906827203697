package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.storage.Storable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The record form of a reading, as {@link ReadingCodec#toRecord} writes it, read with Jackson's
 * streaming parser instead of a tree: every job reads every reading, and building a tree of nine
 * fields was a third of that. Only a record that is well-formed and valid comes out; anything else
 * (a missing, duplicated, camelCase, null or mistyped field, a value out of range, trailing bytes,
 * not JSON at all) returns null, and {@link ReadingCodec#fromRecord} then reads it the thorough
 * way, which names every problem. So the two can never disagree on a reading: this path only ever
 * accepts what the other would accept, as the other would (RecordFastPathTest).
 */
final class RecordFastPath {
    private static final ObjectMapper JSON = ReadingCodec.JSON;
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RecordFastPath() {}

    /**
     * A record's text (the jobs read Kafka's bytes with {@link #read(byte[])}; this is what those
     * bytes mean).
     */
    static BiometricReading read(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A record's value as Kafka holds it: exactly {@code read(new String(utf8, UTF_8))}. All-ASCII
     * bytes (every record the API writes without non-ASCII metadata) are read as they are; anything
     * else is decoded first, as the jobs always did, so a malformed UTF-8 sequence reads as its
     * replacement character on both paths.
     */
    static BiometricReading read(byte[] utf8) {
        if (!ascii(utf8)) {
            return read(new String(utf8, StandardCharsets.UTF_8));
        }
        try (JsonParser p = FACTORY.createParser(utf8)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static BiometricReading read(JsonParser p) throws IOException {
        p.setCodec(JSON);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        int user = 0;
        String metadata = null;
        boolean sawMetadata = false;
        FastFields f = new FastFields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            FastFields.Read read = f.read(p, name, v);
            if (read == FastFields.Read.REFUSED) {
                return null;
            }
            if (read == FastFields.Read.OK) {
                continue;
            }
            // the record form's own fields: the user, and metadata (already compact JSON)
            if (name.equals("user_id") && user == 0) {
                user = FastFields.positiveInt(p, v);
                if (user <= 0) {
                    return null;
                }
            } else if (name.equals("metadata") && !sawMetadata && v == JsonToken.START_OBJECT) {
                sawMetadata = true;
                JsonNode meta = p.readValueAsTree();
                metadata = meta.toString();
                if (metadata.length() > ReadingCodec.MAX_METADATA_CHARS
                        || Storable.jsonProblem(meta).isPresent()) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null || user == 0) {
            return null;
        }
        return f.reading(user, metadata);
    }

    /**
     * No byte with its high bit set, eight at a time (a byte at a time was a tenth of reading a
     * record).
     */
    static boolean ascii(byte[] bytes) {
        long high = 0;
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            high |= (long) LONGS.get(bytes, i);
        }
        for (; i < bytes.length; i++) {
            high |= bytes[i];
        }
        return (high & 0x8080_8080_8080_8080L) == 0;
    }
}
