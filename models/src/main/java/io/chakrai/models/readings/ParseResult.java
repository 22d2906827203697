package io.chakrai.models.readings;

import java.util.List;

/** Either a reading or the problems that kept an input from being one. */
public record ParseResult(BiometricReading reading, List<Problem> problems) {
    public static ParseResult ok(BiometricReading reading) {
        return new ParseResult(reading, List.of());
    }

    public static ParseResult failed(List<Problem> problems) {
        return new ParseResult(null, List.copyOf(problems));
    }

    public boolean isOk() {
        return reading != null;
    }
}
