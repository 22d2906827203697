package io.chakrai.models.readings;

/** One thing wrong with an input: the field (JSON name) and why. */
public record Problem(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
