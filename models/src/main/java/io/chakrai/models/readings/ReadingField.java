package io.chakrai.models.readings;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a reading: the one list that the reader ({@link ReadingCodec#fromBody}, {@link
 * ReadingCodec#fromRecord}), the record writer, the API's description of a posted reading, the COPY
 * text that stores readings and the serializer between the analytics job's operators follow. Each
 * has its snake_case name (the one written), the camelCase spelling the spec's WebSocket event uses
 * (also read), its JSON kind, whether a posted reading must have it, and what it holds.
 */
public enum ReadingField {
    USER(
            "user_id",
            "userId",
            Kind.INTEGER,
            false,
            "the person; in a record only (a request's is the caller's)"),
    DEVICE(
            "device_id",
            "deviceId",
            Kind.INTEGER,
            true,
            "the device's id, as registered (a positive integer)"),
    TYPE("data_type", "dataType", Kind.TEXT, true, "what was measured"),
    VALUE(
            "value",
            null,
            Kind.NUMBER,
            true,
            "in the type's unit, within its plausible range; whole for counts and stages"),
    UNIT(
            "unit",
            null,
            Kind.TEXT,
            false,
            "the type's unit (or a spelling of it); stored as the canonical unit"),
    QUALITY("quality", null, Kind.FRACTION, false, "signal quality from 0 to 1 (default 1)"),
    CONFIDENCE(
            "confidence",
            null,
            Kind.FRACTION,
            false,
            "the device's confidence from 0 to 1 (default 0.9)"),
    TIMESTAMP(
            "timestamp",
            null,
            Kind.TIME,
            true,
            "when it was measured: ISO-8601 with an offset, e.g. 2026-01-31T08:15:00Z"),
    METADATA(
            "metadata",
            null,
            Kind.OBJECT,
            false,
            "anything else the device says, as a JSON object of at most "
                    + ReadingCodec.MAX_METADATA_CHARS
                    + " characters");

    /** A field's JSON kind. */
    public enum Kind {
        INTEGER,
        TEXT,
        NUMBER,
        FRACTION,
        TIME,
        OBJECT
    }

    private final String snake;
    private final String camel;
    private final Kind kind;
    private final boolean required;
    private final String description;

    ReadingField(String snake, String camel, Kind kind, boolean required, String description) {
        this.snake = snake;
        this.camel = camel;
        this.kind = kind;
        this.required = required;
        this.description = description;
    }

    /** The name written and preferred. */
    public String snake() {
        return snake;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a posted reading must have it. */
    public boolean required() {
        return required;
    }

    public String description() {
        return description;
    }

    /** Whether a client sends it (the user of a request is the caller, never the body). */
    public boolean posted() {
        return this != USER;
    }

    private static final Map<String, ReadingField> BY_NAME = new HashMap<>();

    static {
        for (ReadingField f : values()) {
            BY_NAME.put(f.snake, f);
            if (f.camel != null) {
                BY_NAME.put(f.camel, f);
            }
        }
    }

    /** The field a name spells, snake_case or camelCase; null for any other name. */
    static ReadingField named(String name) {
        return BY_NAME.get(name);
    }

    /** Whether {@code name} is this field's snake_case spelling (it wins over the camelCase). */
    boolean isSnake(String name) {
        return snake.equals(name) || camel == null;
    }
}
