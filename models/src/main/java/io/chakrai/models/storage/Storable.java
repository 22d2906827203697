package io.chakrai.models.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL can store, said once for every way in (REST bodies, query parameters, form
 * fields, WebSocket events, Kafka records): a value the API lets through must never be refused by
 * the database later, where the only one who could fix it is no longer listening.
 *
 * <ul>
 *   <li>Text: PostgreSQL's {@code text} and {@code jsonb} refuse the NUL character (U+0000), and a
 *       lone UTF-16 surrogate has no UTF-8 form (the driver would silently store {@code ?}).
 *   <li>Time: {@code timestamptz} spans 4713 BC to 294276 AD, but Java parses far more; anything
 *       outside {@link #EARLIEST}..{@link #LATEST} is refused as the nonsense it is in a health
 *       record.
 * </ul>
 */
public final class Storable {
    /** The earliest instant the platform stores (no wearable reading or answer is older). */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

    /** The latest instant the platform stores. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Storable() {}

    /** Why {@code s} cannot be stored as text, or empty when it can. */
    public static Optional<String> textProblem(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains a NUL character (U+0000), which cannot be stored");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of(
                        "contains an unpaired UTF-16 surrogate, which is not valid Unicode text");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of(
                        "contains an unpaired UTF-16 surrogate, which is not valid Unicode text");
            }
        }
        return Optional.empty();
    }

    /** A problem with one place in a JSON document. */
    public record JsonProblem(String path, String reason) {}

    /**
     * The first string (object key or value) anywhere in {@code node} that cannot be stored, with
     * its path in JSON-Pointer form ({@code /metadata/note}), or empty when all of it can.
     */
    public static Optional<JsonProblem> jsonProblem(JsonNode node) {
        return Optional.ofNullable(find(node));
    }

    /**
     * The first problem below {@code node}, its path relative to it; the path is spelled only on
     * the way back from a problem found (a request body of thousands of readings is checked on
     * every post: no string per key).
     */
    private static JsonProblem find(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return textProblem(node.textValue()).map(r -> new JsonProblem("", r)).orElse(null);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonProblem p = find(node.get(i));
                if (p != null) {
                    return new JsonProblem("/" + i + p.path(), p.reason());
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Optional<String> key = textProblem(e.getKey());
                if (key.isPresent()) {
                    return new JsonProblem("/" + pointerEscape(e.getKey()), "key " + key.get());
                }
                JsonProblem p = find(e.getValue());
                if (p != null) {
                    return new JsonProblem("/" + pointerEscape(e.getKey()) + p.path(), p.reason());
                }
            }
        }
        return null;
    }

    /** Whether {@code t} lies in the span the platform stores. */
    public static boolean storable(Instant t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    /** Why {@code t} cannot be stored, or empty when it can. */
    public static Optional<String> timeProblem(Instant t) {
        return storable(t)
                ? Optional.empty()
                : Optional.of("must lie between " + EARLIEST + " and " + LATEST);
    }

    /**
     * Parses an ISO-8601 date-time with offset that can be stored.
     *
     * @throws IllegalArgumentException naming what is wrong, without echoing more than 40
     *     characters
     */
    public static Instant parseInstant(String text) {
        Instant t;
        try {
            t = IsoInstant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + clip(text) + "' is not ISO-8601 with offset, e.g. 2026-01-31T08:15:00Z");
        }
        Optional<String> p = timeProblem(t);
        if (p.isPresent()) {
            throw new IllegalArgumentException(p.get());
        }
        return t;
    }

    /** At most 40 characters of client input, safe to echo back in an error. */
    public static String clip(String s) {
        String shown = s.length() <= 40 ? s : s.substring(0, 40) + "…";
        StringBuilder b = new StringBuilder(shown.length());
        shown.codePoints()
                .forEach(
                        cp -> {
                            if (Character.isISOControl(cp)
                                    || Character.getType(cp) == Character.SURROGATE) {
                                b.append(String.format("\\u%04x", cp));
                            } else {
                                b.appendCodePoint(cp);
                            }
                        });
        return b.toString();
    }

    /** A key as JSON Pointer spells it ({@code ~} and {@code /} escaped). */
    public static String pointerEscape(String key) {
        return clip(key.replace("~", "~0").replace("/", "~1"));
    }
}
