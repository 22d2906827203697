package io.chakrai.models.readings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.chakrai.models.Json;
import io.chakrai.models.storage.Storable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of a reading, in every form it arrives in: a body apps post (one object or an
 * array of them, the user being the caller), a WebSocket event's {@code data} (a tree, read through
 * its tokens), and a record on topic {@code biometric.readings} (the user inside). One pass of
 * Jackson's streaming parser: each field is taken as it comes, then the whole reading is judged by
 * the rules of {@link ReadingField}, naming every problem. Duplicate keys and anything after the
 * document are refused, as the rest of the API refuses them.
 *
 * <p>Text the database cannot store (a NUL, a lone surrogate) anywhere in what is read is refused
 * before anything else is judged: in a body, the whole body, naming the place; in a record, the
 * record.
 */
public final class ReadingReader {
    /**
     * Bodies as the API reads every body, numbers by the fast double parser. A key given twice is
     * refused as the API's parser refuses it anywhere (Jackson's own check for that, on every
     * object, was a fifth of reading a reading): the reading's own keys by a bit each, other keys
     * by a set made when one comes, and values inside by {@link #TREES}.
     */
    private static final JsonFactory BODIES =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /**
     * Records as Kafka's bytes: the same, and always UTF-8 (a parser that guessed UTF-16 from NUL
     * bytes would read the bytes otherwise than their text).
     */
    private static final JsonFactory RECORDS =
            JsonFactory.builder()
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .disable(JsonFactory.Feature.CHARSET_DETECTION)
                    .build();

    /** Values inside a reading (metadata, unknown fields) as trees, a key twice refused. */
    private static final ObjectReader TREES =
            ReadingCodec.JSON.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ReadingReader() {}

    // ---- records --------------------------------------------------------------------------

    /** A record as Kafka holds it; exactly what its UTF-8 text gives, whatever the bytes. */
    static ParseResult record(byte[] utf8) {
        if (utf8 == null) {
            return record((String) null);
        }
        if (!ascii(utf8)) {
            // decoded first, as the jobs always did: a malformed sequence reads as U+FFFD
            return record(new String(utf8, StandardCharsets.UTF_8));
        }
        try (JsonParser p = RECORDS.createParser(utf8)) {
            return record(p);
        } catch (IOException e) {
            // named as the text's parser names it (the byte parser words a few errors otherwise)
            return record(new String(utf8, StandardCharsets.US_ASCII));
        }
    }

    static ParseResult record(String json) {
        if (json == null) {
            return ParseResult.failed(List.of(new Problem("record", "is empty (null value)")));
        }
        try (JsonParser p = RECORDS.createParser(json)) {
            return record(p);
        } catch (IOException e) {
            return notJson(e);
        }
    }

    private static ParseResult notJson(IOException e) {
        String why = e instanceof JsonProcessingException j ? Json.problem(j) : "unreadable";
        return ParseResult.failed(List.of(new Problem("record", "is not valid JSON: " + why)));
    }

    private static ParseResult record(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            // read to its end first: a record that is not JSON at all is named so
            if (first != null) {
                TREES.readTree(p);
                if (p.nextToken() != null) {
                    return ParseResult.failed(
                            List.of(
                                    new Problem(
                                            "record",
                                            "is not valid JSON: content after the document")));
                }
            }
            return ParseResult.failed(List.of(new Problem("record", "must be a JSON object")));
        }
        Given g = new Given();
        g.readObject(p, -1);
        if (p.nextToken() != null) {
            return ParseResult.failed(
                    List.of(new Problem("record", "is not valid JSON: content after the object")));
        }
        if (g.unstorable != null) {
            return ParseResult.failed(
                    List.of(new Problem(g.unstorable.path().substring(1), g.unstorable.reason())));
        }
        if (g.user() <= 0) {
            return ParseResult.failed(
                    List.of(new Problem("user_id", "must be a positive integer")));
        }
        return g.judge(g.user());
    }

    // ---- one item of a body, or a WebSocket event's data ------------------------------------

    /**
     * A reading posted by user {@code userId} as a tree (a WebSocket event's {@code data}): read
     * through the tree's tokens by the same reader; any {@code user_id} in it is ignored.
     */
    static ParseResult item(JsonNode node, int userId) {
        if (node == null || !node.isObject()) {
            return ParseResult.failed(List.of(new Problem("reading", "must be a JSON object")));
        }
        try (JsonParser p = node.traverse(ReadingCodec.JSON)) {
            p.nextToken();
            Given g = new Given();
            g.readObject(p, -1);
            if (g.unstorable != null) {
                return ParseResult.failed(
                        List.of(
                                new Problem(
                                        g.unstorable.path().substring(1), g.unstorable.reason())));
            }
            return g.judge(userId);
        } catch (IOException e) {
            // a tree's tokens are well-formed; nothing else can be read from memory
            throw new IllegalStateException(e);
        }
    }

    // ---- bodies ---------------------------------------------------------------------------

    /** Why a body as a whole is refused, before its readings are judged one by one. */
    public enum Refused {
        /** no JSON document at all */
        EMPTY,
        /** not JSON (or a key twice, or something after the document): the message says where */
        MALFORMED,
        /** text the database cannot store: the field names its place, from the body's root */
        UNSTORABLE_TEXT,
        /** neither an object nor an array */
        NOT_READINGS,
        /** an array of nothing */
        EMPTY_BATCH,
        /** more readings than a batch may hold */
        TOO_MANY
    }

    /**
     * A body read: either the reason it is refused whole ({@code refused} with a message and, for
     * text, the place and the reason), or one result per item, in order.
     */
    public record Body(
            Refused refused, String message, String field, String reason, List<ParseResult> items) {
        static Body refused(Refused why, String message) {
            return new Body(why, message, null, null, List.of());
        }
    }

    /** A body posted by user {@code userId}: one reading, or an array of at most {@code max}. */
    static Body body(byte[] body, int userId, int max) {
        if (body == null || body.length == 0) {
            return Body.refused(Refused.EMPTY, "request body is empty; send a JSON document");
        }
        List<Given> items = new ArrayList<>();
        Storable.JsonProblem unstorable = null;
        int count = 0;
        boolean array;
        try (JsonParser p = BODIES.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return Body.refused(Refused.EMPTY, "request body is empty; send a JSON document");
            }
            array = first == JsonToken.START_ARRAY;
            if (first == JsonToken.START_OBJECT) {
                Given g = new Given();
                g.readObject(p, -1);
                items.add(g);
                unstorable = g.unstorable;
                count = 1;
            } else if (array) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == JsonToken.START_OBJECT) {
                        Given g = new Given();
                        g.readObject(p, count);
                        if (unstorable == null) {
                            unstorable = g.unstorable;
                        }
                        // past the batch's bound an item is read (the body stays checked to its
                        // end) but not kept
                        items.add(count < max ? g : null);
                    } else {
                        Storable.JsonProblem bad = Given.other(p, t);
                        if (unstorable == null && bad != null) {
                            unstorable =
                                    new Storable.JsonProblem(
                                            "/" + count + bad.path(), bad.reason());
                        }
                        items.add(null);
                    }
                    count++;
                }
            } else {
                unstorable = Given.other(p, first);
            }
            if (p.nextToken() != null) {
                return malformed(p.currentTokenLocation(), "content after the document");
            }
        } catch (JsonProcessingException e) {
            return malformed(e.getLocation(), Json.problem(e));
        } catch (IOException e) {
            return Body.refused(Refused.MALFORMED, "request body could not be read");
        }
        if (unstorable != null) {
            String field = unstorable.path().isEmpty() ? "body" : unstorable.path().substring(1);
            return new Body(
                    Refused.UNSTORABLE_TEXT,
                    field + ": " + unstorable.reason(),
                    field,
                    unstorable.reason(),
                    List.of());
        }
        if (!array && count == 0) {
            return Body.refused(
                    Refused.NOT_READINGS,
                    "send one reading (a JSON object) or a batch (a JSON array)");
        }
        if (count == 0) {
            return Body.refused(
                    Refused.EMPTY_BATCH, "the batch is empty; send at least one reading");
        }
        if (count > max) {
            return Body.refused(
                    Refused.TOO_MANY,
                    "a batch holds at most "
                            + max
                            + " readings; this one has "
                            + count
                            + ": split it");
        }
        List<ParseResult> out = new ArrayList<>(items.size());
        for (Given g : items) {
            out.add(
                    g == null
                            ? ParseResult.failed(
                                    List.of(new Problem("reading", "must be a JSON object")))
                            : g.judge(userId));
        }
        return new Body(null, null, null, null, out);
    }

    private static Body malformed(JsonLocation loc, String why) {
        return Body.refused(Refused.MALFORMED, Json.notJsonBody(loc, why));
    }

    // ---- the fields of one reading, as given ------------------------------------------------

    /**
     * One reading's fields as they came, before they are judged: each field's JSON token and its
     * value; a camelCase spelling counts only when the snake_case one is absent.
     */
    private static final class Given {
        // a field each, not arrays: a reading is read for every one the platform takes in
        private JsonToken userToken;
        private JsonToken deviceToken;
        private JsonToken typeToken;
        private JsonToken valueToken;
        private JsonToken unitToken;
        private JsonToken qualityToken;
        private JsonToken confidenceToken;
        private JsonToken timestampToken;
        private JsonToken metadataToken;
        private int user;
        private int device;
        private String type;
        private String unit;
        private String timestamp;
        private double value;
        private double quality;
        private double confidence;
        private JsonNode metadata;

        /** fields given by their snake_case name, by field bit */
        private int bySnake;

        /** each spelling of a field given so far: snake_case bits, then camelCase bits from 16 */
        private int given;

        /** the other keys given so far, when there are any */
        private Set<String> others;

        Storable.JsonProblem unstorable;

        private JsonToken token(ReadingField f) {
            return switch (f) {
                case USER -> userToken;
                case DEVICE -> deviceToken;
                case TYPE -> typeToken;
                case VALUE -> valueToken;
                case UNIT -> unitToken;
                case QUALITY -> qualityToken;
                case CONFIDENCE -> confidenceToken;
                case TIMESTAMP -> timestampToken;
                case METADATA -> metadataToken;
            };
        }

        /** The record's user, or 0 unless it is a positive integer that fits an int. */
        int user() {
            return userToken == JsonToken.VALUE_NUMBER_INT ? Math.max(user, 0) : 0;
        }

        /**
         * Reads an object's fields, the parser on its START_OBJECT; {@code index} is its place in a
         * batch (-1: the document itself), for naming where text cannot be stored.
         */
        void readObject(JsonParser p, int index) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                ReadingField f = ReadingField.named(name);
                once(p, f, name);
                JsonToken v = p.nextToken();
                Storable.JsonProblem bad;
                if (f == null) {
                    Optional<String> key = Storable.textProblem(name);
                    bad =
                            key.isPresent()
                                    ? new Storable.JsonProblem("", "key " + key.get())
                                    : other(p, v);
                    if (key.isPresent() && v.isStructStart()) {
                        p.skipChildren();
                    }
                } else if (!f.isSnake(name) && (bySnake & (1 << f.ordinal())) != 0) {
                    // the snake_case spelling was given: the camelCase one is not read
                    bad = other(p, v);
                } else {
                    if (f.isSnake(name)) {
                        bySnake |= 1 << f.ordinal();
                    }
                    bad = take(p, f, v);
                }
                if (bad != null && unstorable == null) {
                    unstorable =
                            new Storable.JsonProblem(
                                    (index < 0 ? "" : "/" + index)
                                            + "/"
                                            + Storable.pointerEscape(name)
                                            + bad.path(),
                                    bad.reason());
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("an object's fields did not end with the object");
            }
        }

        /**
         * Refuses a key given twice in this object, in the words of the API's parser: a bit per
         * spelling of the reading's own fields, a set of the others made only when one comes.
         */
        private void once(JsonParser p, ReadingField f, String name) throws JsonParseException {
            boolean twice;
            if (f != null) {
                int bit = 1 << (f.ordinal() + (f.isSnake(name) ? 0 : 16));
                twice = (given & bit) != 0;
                given |= bit;
            } else {
                if (others == null) {
                    others = new HashSet<>(4);
                }
                twice = !others.add(name);
            }
            if (twice) {
                throw new JsonParseException(p, "Duplicate field '" + name + "'");
            }
        }

        /**
         * Takes field {@code f}'s value, the parser on its first token; the first place in it that
         * cannot be stored (relative to the value), or null.
         */
        private Storable.JsonProblem take(JsonParser p, ReadingField f, JsonToken v)
                throws IOException {
            String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
            JsonNode tree =
                    v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY
                            ? TREES.readTree(p)
                            : null;
            switch (f) {
                case USER -> {
                    userToken = v;
                    user = whole(p, v);
                }
                case DEVICE -> {
                    deviceToken = v;
                    device = whole(p, v);
                }
                case TYPE -> {
                    typeToken = v;
                    type = text;
                }
                case VALUE -> {
                    valueToken = v;
                    value = number(p, v);
                }
                case UNIT -> {
                    unitToken = v;
                    unit = text;
                }
                case QUALITY -> {
                    qualityToken = v;
                    quality = number(p, v);
                }
                case CONFIDENCE -> {
                    confidenceToken = v;
                    confidence = number(p, v);
                }
                case TIMESTAMP -> {
                    timestampToken = v;
                    timestamp = text;
                }
                case METADATA -> {
                    metadataToken = v;
                    metadata = v == JsonToken.START_OBJECT ? tree : null;
                }
            }
            if (text != null) {
                return textProblem(text);
            }
            return tree == null ? null : Storable.jsonProblem(tree).orElse(null);
        }

        /** An integer JSON spells that fits an int; 0 for anything else (no id). */
        private static int whole(JsonParser p, JsonToken v) throws IOException {
            return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                    ? p.getIntValue()
                    : 0;
        }

        /** A JSON number as a double; NaN for anything else. */
        private static double number(JsonParser p, JsonToken v) throws IOException {
            return v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT
                    ? p.getDoubleValue()
                    : Double.NaN;
        }

        private static Storable.JsonProblem textProblem(String s) {
            Optional<String> why = Storable.textProblem(s);
            return why.isEmpty() ? null : new Storable.JsonProblem("", why.get());
        }

        /**
         * A value no field reads, the parser on its first token: skipped, its text checked; the
         * first place in it that cannot be stored (relative to the value), or null.
         */
        static Storable.JsonProblem other(JsonParser p, JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_STRING) {
                return textProblem(p.getText());
            }
            if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                p.getNumberValue(); // a number too long to read is refused as a tree refuses it
            }
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                return Storable.jsonProblem(TREES.readTree(p)).orElse(null);
            }
            return null;
        }

        /** The reading of user {@code userId}, or every problem that keeps it from being one. */
        ParseResult judge(int userId) {
            List<Problem> problems = new ArrayList<>(2);
            int device = device(problems);
            DataType type = type(problems);
            double value = value(type, problems);
            unit(type, problems);
            double quality = fraction(ReadingField.QUALITY, ReadingCodec.DEFAULT_QUALITY, problems);
            double confidence =
                    fraction(ReadingField.CONFIDENCE, ReadingCodec.DEFAULT_CONFIDENCE, problems);
            Instant at = timestamp(problems);
            String meta = metadata(problems);
            if (!problems.isEmpty()) {
                return ParseResult.failed(problems);
            }
            return ParseResult.ok(
                    new BiometricReading(
                            userId,
                            device,
                            type.wireName(),
                            value,
                            type.unit(),
                            quality,
                            confidence,
                            at,
                            meta));
        }

        /** Absent, or given as null. */
        private boolean missing(ReadingField f) {
            JsonToken t = token(f);
            return t == null || t == JsonToken.VALUE_NULL;
        }

        private boolean isNumber(ReadingField f) {
            JsonToken t = token(f);
            return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
        }

        private int device(List<Problem> problems) {
            ReadingField f = ReadingField.DEVICE;
            if (missing(f)) {
                problems.add(new Problem(f.snake(), "is required"));
                return 0;
            }
            int id = device;
            if (deviceToken != JsonToken.VALUE_NUMBER_INT || id <= 0) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "must be a positive integer (the id returned when the device was registered)"));
                return 0;
            }
            return id;
        }

        private DataType type(List<Problem> problems) {
            ReadingField f = ReadingField.TYPE;
            if (missing(f)) {
                problems.add(
                        new Problem(f.snake(), "is required (one of " + DataType.names() + ")"));
                return null;
            }
            String text = this.type;
            if (text == null) {
                problems.add(
                        new Problem(
                                f.snake(), "must be a string (one of " + DataType.names() + ")"));
                return null;
            }
            DataType type = DataType.fromWire(text).orElse(null);
            if (type == null) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "unknown data type '"
                                        + Storable.clip(text)
                                        + "' (one of "
                                        + DataType.names()
                                        + ")"));
            }
            return type;
        }

        private double value(DataType type, List<Problem> problems) {
            ReadingField f = ReadingField.VALUE;
            if (missing(f)) {
                problems.add(new Problem(f.snake(), "is required"));
                return Double.NaN;
            }
            if (!isNumber(f)) {
                problems.add(new Problem(f.snake(), "must be a number"));
                return Double.NaN;
            }
            double value = this.value;
            if (!Double.isFinite(value)) {
                problems.add(new Problem(f.snake(), "must be a finite number"));
            } else if (type != null && !ReadingCodec.plausible(type, value)) {
                if (value < type.min() || value > type.max()) {
                    problems.add(
                            new Problem(
                                    f.snake(),
                                    String.format(
                                            "%s of %s %s is outside the plausible range %s..%s",
                                            type.wireName(),
                                            num(value),
                                            type.unit(),
                                            num(type.min()),
                                            num(type.max()))));
                } else {
                    problems.add(
                            new Problem(f.snake(), type.wireName() + " must be a whole number"));
                }
            }
            return value;
        }

        private void unit(DataType type, List<Problem> problems) {
            ReadingField f = ReadingField.UNIT;
            if (missing(f)) {
                return;
            }
            String text = this.unit;
            if (text == null) {
                problems.add(new Problem(f.snake(), "must be a string"));
            } else if (type != null && !type.acceptsUnit(text)) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "'"
                                        + Storable.clip(text)
                                        + "' is not a unit of "
                                        + type.wireName()
                                        + " (use "
                                        + type.unit()
                                        + ")"));
            }
        }

        private double fraction(ReadingField f, double dflt, List<Problem> problems) {
            if (missing(f)) {
                return dflt;
            }
            double v = f == ReadingField.QUALITY ? quality : confidence;
            if (!isNumber(f) || !ReadingCodec.isFraction(v)) {
                problems.add(new Problem(f.snake(), "must be a number from 0 to 1"));
                return dflt;
            }
            return v;
        }

        private Instant timestamp(List<Problem> problems) {
            ReadingField f = ReadingField.TIMESTAMP;
            if (missing(f)) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "is required (ISO-8601 with offset, e.g. 2026-01-31T08:15:00Z)"));
                return null;
            }
            String text = this.timestamp;
            if (text == null) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "must be an ISO-8601 string with offset, e.g. 2026-01-31T08:15:00Z"));
                return null;
            }
            try {
                return Storable.parseInstant(text);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(f.snake(), e.getMessage()));
                return null;
            }
        }

        private String metadata(List<Problem> problems) {
            ReadingField f = ReadingField.METADATA;
            if (missing(f)) {
                return null;
            }
            if (metadata == null) {
                problems.add(new Problem(f.snake(), "must be a JSON object"));
                return null;
            }
            String text = metadata.toString();
            if (text.length() > ReadingCodec.MAX_METADATA_CHARS) {
                problems.add(
                        new Problem(
                                f.snake(),
                                "is larger than "
                                        + ReadingCodec.MAX_METADATA_CHARS
                                        + " characters"));
                return null;
            }
            return text;
        }

        private static String num(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15
                    ? Long.toString((long) v)
                    : Double.toString(v);
        }
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
