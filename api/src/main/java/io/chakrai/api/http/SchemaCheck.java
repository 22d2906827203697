package io.chakrai.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.storage.Storable;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a request against the schema its route declares, the one {@code /openapi.json} shows: a
 * route's rules on shapes, types, bounds and allowed values are written once, in the declaration,
 * and not again in a handler. Each problem names its field ({@code goals[2]}, {@code
 * settings.mode}) and says what would be right.
 *
 * <p>It understands the keywords {@link RouteTable}'s shorthands write, and only those: {@code
 * $ref}, {@code type} (with {@code null}), {@code anyOf} of a schema and null, {@code properties},
 * {@code required}, {@code additionalProperties: false}, {@code enum} (of texts), {@code
 * minLength}, {@code maxLength}, {@code pattern}, {@code format} ({@link #FORMATS}), {@code
 * minimum}, {@code maximum}, {@code items}, {@code minItems}, {@code maxItems}. {@link #KNOWN}
 * lists them; a test fails if a JSON body or a parameter of the committed description uses any
 * other keyword or format. Multipart forms and the readings batch are read by their handlers
 * ({@code VoiceHandler}, {@code ReadingReader}), not here.
 *
 * <p>Where it is more lenient than JSON Schema, on purpose: a null stands for an absent field (a
 * required field must be there and not null; an optional one may be null); a text is judged without
 * the spaces around it, as handlers read it (a password as typed). A free-form object ({@code
 * anyObject()}) takes any keys. Lengths count characters (code points), as JSON Schema does.
 * Stricter, on purpose: a whole number is written as one ({@code 5}, not {@code 5.0}).
 *
 * <p>Why not a general JSON Schema validator: its messages would have to be translated back into
 * the field-named sentences clients get, and it would judge keywords this API never declares; the
 * schema here is the product's own contract, built by its own shorthands.
 */
public final class SchemaCheck {
    private SchemaCheck() {}

    /** The schema keywords this check keeps; a declared request may use no others. */
    public static final Set<String> KNOWN =
            Set.of(
                    "$ref",
                    "type",
                    "types",
                    "anyOf",
                    "properties",
                    "required",
                    "additionalProperties",
                    "enum",
                    "minLength",
                    "maxLength",
                    "pattern",
                    "format",
                    "minimum",
                    "maximum",
                    "items",
                    "minItems",
                    "maxItems",
                    "description",
                    "default");

    /** One thing wrong with a request: where, and what would be right. */
    public record Problem(String field, String reason) {}

    /**
     * The problems of {@code value} against {@code schema} ({@code refs} finds a component by
     * name), in the order of the declaration; empty when it conforms.
     */
    public static List<Problem> check(
            JsonNode value, Schema<?> schema, Function<String, Schema<?>> refs) {
        List<Problem> out = new ArrayList<>();
        check("", value, schema, refs, out);
        return out;
    }

    /**
     * The problem of one query (or path) parameter's text against its declared schema, or empty.
     */
    public static Optional<String> parameter(String text, Schema<?> schema) {
        String type = type(schema);
        if ("integer".equals(type)) {
            try {
                long n = Long.parseLong(text.trim());
                if (within(BigDecimal.valueOf(n), schema)) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // the same sentence as out of range
            }
            return Optional.of(wholeNumber(schema));
        }
        if ("number".equals(type)) {
            try {
                BigDecimal n = new BigDecimal(text.trim());
                if (within(n, schema)) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // the same sentence as out of range
            }
            return Optional.of(number(schema));
        }
        if ("boolean".equals(type)) {
            return text.equals("true") || text.equals("false")
                    ? Optional.empty()
                    : Optional.of("must be true or false");
        }
        return Optional.ofNullable(text(text, schema));
    }

    private static void check(
            String at,
            JsonNode v,
            Schema<?> schema,
            Function<String, Schema<?>> refs,
            List<Problem> out) {
        schema = resolve(schema, refs);
        if (v == null || v.isNull()) {
            return; // the caller judged absence
        }
        String type = type(schema);
        if (type == null) {
            return; // any value
        }
        String field = at.isEmpty() ? "body" : at;
        switch (type) {
            case "object" -> object(at, v, schema, refs, out);
            case "array" -> array(at, v, schema, refs, out);
            case "string" -> {
                String problem = v.isTextual() ? text(v.asText(), schema) : "must be a string";
                if (problem != null) {
                    out.add(new Problem(field, problem));
                }
            }
            case "integer" -> {
                // written as one: 5, not 5.0 (stricter than JSON Schema, as generated clients send)
                if (!v.isIntegralNumber()
                        || !v.canConvertToLong()
                        || !within(v.decimalValue(), schema)) {
                    out.add(new Problem(field, wholeNumber(schema)));
                }
            }
            case "number" -> {
                if (!v.isNumber()
                        || !Double.isFinite(v.asDouble())
                        || !within(v.decimalValue(), schema)) {
                    out.add(new Problem(field, number(schema)));
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(new Problem(field, "must be true or false"));
                }
            }
            default -> throw new IllegalStateException(field + ": no check for type " + type);
        }
    }

    private static void object(
            String at,
            JsonNode v,
            Schema<?> schema,
            Function<String, Schema<?>> refs,
            List<Problem> out) {
        String field = at.isEmpty() ? "body" : at;
        if (!v.isObject()) {
            out.add(new Problem(field, "must be a JSON object"));
            return;
        }
        Map<String, Schema> props = schema.getProperties();
        if (props == null || props.isEmpty()) {
            return; // free-form: any keys
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> p : props.entrySet()) {
            JsonNode value = v.get(p.getKey());
            String name = at.isEmpty() ? p.getKey() : at + "." + p.getKey();
            if (value == null || value.isNull()) {
                if (required.contains(p.getKey())) {
                    out.add(new Problem(name, "is required"));
                }
                continue;
            }
            check(name, value, p.getValue(), refs, out);
        }
        if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
            // one problem however many: a body of a million unknown keys is one mistake
            String first = null;
            int unknown = 0;
            for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!props.containsKey(name)) {
                    first = first == null ? name : first;
                    unknown++;
                }
            }
            if (first != null) {
                out.add(
                        new Problem(
                                (at.isEmpty() ? "" : at + ".") + Storable.clip(first),
                                "is not a field here"
                                        + (unknown > 1
                                                ? " (nor are " + (unknown - 1) + " other keys)"
                                                : "")
                                        + "; the fields are "
                                        + String.join(", ", props.keySet())));
            }
        }
    }

    private static void array(
            String at,
            JsonNode v,
            Schema<?> schema,
            Function<String, Schema<?>> refs,
            List<Problem> out) {
        String field = at.isEmpty() ? "body" : at;
        Integer min = schema.getMinItems();
        Integer max = schema.getMaxItems();
        if (!v.isArray() || (min != null && v.size() < min) || (max != null && v.size() > max)) {
            String size =
                    min != null && min.equals(max)
                            ? " of " + min + " items"
                            : min != null && max != null
                                    ? " of " + min + " to " + max + " items"
                                    : max != null
                                            ? " of at most " + max + " items"
                                            : min != null ? " of at least " + min + " items" : "";
            out.add(new Problem(field, "must be an array" + size));
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isNull()) {
                out.add(new Problem(field + "[" + i + "]", "must not be null"));
                continue;
            }
            check(field + "[" + i + "]", item, schema.getItems(), refs, out);
        }
    }

    /**
     * The problem of a string against its schema, or null. A text is judged as handlers read it,
     * without the spaces around it ({@link String#strip}), its length counted in characters (code
     * points, as JSON Schema counts them); a password ({@code format: password}) is judged as
     * typed.
     */
    private static String text(String raw, Schema<?> schema) {
        String s = "password".equals(schema.getFormat()) ? raw : raw.strip();
        List<?> allowed = schema.getEnum();
        if (allowed != null && !allowed.isEmpty()) {
            return allowed.contains(s)
                    ? null
                    : "must be one of "
                            + String.join(
                                    ", ",
                                    allowed.stream()
                                            .filter(java.util.Objects::nonNull)
                                            .map(Object::toString)
                                            .toList());
        }
        String pattern = schema.getPattern();
        if (NOT_BLANK.equals(pattern) ? s.isEmpty() : pattern != null && !matches(pattern, s)) {
            return NOT_BLANK.equals(pattern) ? "must not be empty" : "must match " + pattern;
        }
        int length = s.codePointCount(0, s.length());
        Integer min = schema.getMinLength();
        if (min != null && length < min) {
            return "must be at least " + min + " characters";
        }
        Integer max = schema.getMaxLength();
        if (max != null && length > max) {
            return "must be at most " + max + " characters";
        }
        String format = schema.getFormat();
        if ("date-time".equals(format)) {
            try {
                Storable.parseInstant(s);
            } catch (IllegalArgumentException e) {
                return e.getMessage(); // the storage rule's own words: ours, clipped
            }
        } else if ("email".equals(format)) {
            if (!EMAIL.matcher(s).matches()) {
                return "is not an e-mail address";
            }
        } else if ("date".equals(format)) {
            try {
                LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                return "must be a day such as 2026-03-02";
            }
        }
        return null;
    }

    private static final Map<String, Pattern> PATTERNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean matches(String pattern, String s) {
        return PATTERNS.computeIfAbsent(pattern, Pattern::compile).matcher(s).find();
    }

    /**
     * The formats this check knows; {@code int32}, {@code int64}, {@code binary} and {@code
     * password} say how a value is held, not what it may be.
     */
    public static final Set<String> FORMATS =
            Set.of("date-time", "date", "email", "int32", "int64", "binary", "password");

    /** What passes for an e-mail address (format {@code email}). */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    /** The pattern of a text that must hold more than spaces. */
    public static final String NOT_BLANK = "\\S";

    private static boolean within(BigDecimal n, Schema<?> schema) {
        return (schema.getMinimum() == null || n.compareTo(schema.getMinimum()) >= 0)
                && (schema.getMaximum() == null || n.compareTo(schema.getMaximum()) <= 0);
    }

    private static String wholeNumber(Schema<?> s) {
        return "must be a whole number" + bounds(s);
    }

    private static String number(Schema<?> s) {
        return "must be a number" + bounds(s);
    }

    private static String bounds(Schema<?> s) {
        BigDecimal min = s.getMinimum();
        BigDecimal max = s.getMaximum();
        if (min != null && max != null) {
            return " from " + plain(min) + " to " + plain(max);
        }
        if (min != null) {
            return " of at least " + plain(min);
        }
        return max != null ? " of at most " + plain(max) : "";
    }

    private static String plain(BigDecimal n) {
        return n.stripTrailingZeros().toPlainString();
    }

    /** The schema a {@code $ref}, or an {@code anyOf} of a schema and null, stands for. */
    static Schema<?> resolve(Schema<?> schema, Function<String, Schema<?>> refs) {
        for (int depth = 0; depth < 8; depth++) {
            if (schema.get$ref() != null) {
                String ref = schema.get$ref();
                Schema<?> target = refs.apply(ref.substring(ref.lastIndexOf('/') + 1));
                if (target == null) {
                    throw new IllegalStateException("no component for " + ref);
                }
                schema = target;
            } else if (schema.getAnyOf() != null) {
                schema =
                        schema.getAnyOf().stream()
                                .filter(s -> !onlyNull(s))
                                .findFirst()
                                .orElseThrow();
            } else {
                return schema;
            }
        }
        throw new IllegalStateException("references nest too deep");
    }

    private static boolean onlyNull(Schema<?> s) {
        return s.get$ref() == null
                && (s.getTypes() != null
                        ? s.getTypes().equals(Set.of("null"))
                        : "null".equals(s.getType()));
    }

    /** The schema's one type besides null, or null for any value. */
    static String type(Schema<?> schema) {
        if (schema.getTypes() != null) {
            return schema.getTypes().stream()
                    .filter(t -> !t.equals("null"))
                    .findFirst()
                    .orElse(null);
        }
        return schema.getType();
    }
}
