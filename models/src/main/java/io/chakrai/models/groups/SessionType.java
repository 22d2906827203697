package io.chakrai.models.groups;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The kinds of therapy group (the database refuses any other: V13). */
public enum SessionType {
    ANXIETY_SUPPORT,
    DEPRESSION_SUPPORT,
    STRESS_MANAGEMENT,
    GRIEF_SUPPORT,
    SLEEP_IMPROVEMENT,
    MINDFULNESS_PRACTICE,
    GENERAL_SUPPORT;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<SessionType> fromWire(String s) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(s)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(SessionType::wire).toList();
    }
}
