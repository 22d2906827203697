package io.chakrai.models.content;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of therapeutic content (the database's own list: V2). */
public enum ContentType {
    MEDITATION,
    WORKSHEET,
    STORY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ContentType> fromWire(String s) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(s)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ContentType::wire).toList();
    }
}
