package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A body of readings as apps post it (one object, or an array of them), read with Jackson's
 * streaming parser straight into readings instead of a tree of every item and then each item's
 * checks: the API reads every reading it accepts, and the tree was a third of that. Only a body
 * that is well-formed and wholly valid comes out, with the snake_case fields this codec writes and
 * nothing else; anything else (a camelCase or unknown field, a null, a duplicate, a mistyped or
 * out-of-range value, metadata, trailing bytes, more than the batch allows, not JSON at all)
 * returns null and the API reads the body the thorough way, which names every problem. So the two
 * never disagree on a body: this path only ever accepts what the other accepts, as the other would
 * (ReadingsFastPathTest in the API).
 */
final class InputFastPath {
    private static final JsonFactory FACTORY = ReadingCodec.JSON.getFactory();

    private InputFastPath() {}

    static List<BiometricReading> read(byte[] body, int userId, int maxItems) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            List<BiometricReading> out = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                BiometricReading r = item(p, userId);
                if (r == null) {
                    return null;
                }
                out.add(r);
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    BiometricReading r = item(p, userId);
                    if (r == null || out.size() == maxItems) {
                        return null;
                    }
                    out.add(r);
                }
                if (t != JsonToken.END_ARRAY || out.isEmpty()) {
                    return null;
                }
            } else {
                return null;
            }
            return p.nextToken() == null ? out : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * One item, the parser on its START_OBJECT; null unless every field is known, present once,
     * typed and valid.
     */
    private static BiometricReading item(JsonParser p, int userId) throws IOException {
        FastFields f = new FastFields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (f.read(p, name, p.nextToken()) != FastFields.Read.OK) {
                return null;
            }
        }
        return t == JsonToken.END_OBJECT ? f.reading(userId, null) : null;
    }
}
