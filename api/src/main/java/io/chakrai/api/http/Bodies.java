package io.chakrai.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.chakrai.models.Json;
import io.chakrai.models.storage.Storable;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading and checking request bodies, with errors that name the field. */
public final class Bodies {
    private Bodies() {}

    /**
     * The body as a JSON tree; 400 {@code malformed_json} naming line and column if it is not JSON.
     */
    public static JsonNode json(Context ctx) {
        return json(ctx.bodyAsBytes());
    }

    /** {@link #json(Context)} on the body's bytes. */
    public static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(
                    "empty_body", "request body is empty; send a JSON document");
        }
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonNode node = TREES.readTree(p);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest(
                        "empty_body", "request body is empty; send a JSON document");
            }
            if (p.nextToken() != null) {
                // said here: Jackson's own words for it name its classes
                throw malformed(p.currentTokenLocation(), "content after the document");
            }
            storable(node);
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation(), Json.problem(e));
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "request body could not be read");
        }
    }

    /** Trees as the API's mapper reads them; what follows the document is checked by the caller. */
    private static final ObjectReader TREES =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static ApiException malformed(JsonLocation loc, String why) {
        return ApiException.badRequest("malformed_json", Json.notJsonBody(loc, why));
    }

    /**
     * Refuses a document with any string (key or value) the database could not store: 400 {@code
     * invalid_text} naming its place as a path ({@code 0/metadata/note}).
     */
    public static void storable(JsonNode node) {
        Storable.jsonProblem(node)
                .ifPresent(
                        p -> {
                            String field = p.path().isEmpty() ? "body" : p.path().substring(1);
                            throw new ApiException(
                                    400,
                                    "invalid_text",
                                    field + ": " + p.reason(),
                                    List.of(Map.of("field", field, "reason", p.reason())));
                        });
    }

    /** The body as a JSON object. */
    public static JsonNode object(Context ctx) {
        JsonNode node = json(ctx);
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_body", "request body must be a JSON object");
        }
        return node;
    }

    /**
     * The body as a JSON object, or an empty object when the body is empty (routes whose fields are
     * all optional).
     */
    public static JsonNode objectOrEmpty(Context ctx) {
        return ctx.body().isBlank()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : object(ctx);
    }

    /** Collects field problems and throws one 400 listing all of them. */
    public static final class Problems {
        private final List<Map<String, Object>> items = new ArrayList<>();

        public void add(String field, String reason) {
            items.add(Map.of("field", field, "reason", reason));
        }

        public void throwIfAny(String code) {
            if (!items.isEmpty()) {
                String first = items.get(0).get("field") + ": " + items.get(0).get("reason");
                throw new ApiException(
                        400,
                        code,
                        items.size() == 1
                                ? first
                                : first + " (and " + (items.size() - 1) + " more problems)",
                        items);
            }
        }

        public Optional<String> text(JsonNode o, String field, boolean required, int maxLength) {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return Optional.empty();
            }
            if (!n.isTextual()) {
                add(field, "must be a string");
                return Optional.empty();
            }
            String s = n.asText().trim();
            if (required && s.isEmpty()) {
                add(field, "must not be empty");
                return Optional.empty();
            }
            if (s.length() > maxLength) {
                add(field, "must be at most " + maxLength + " characters");
                return Optional.empty();
            }
            return Optional.of(s);
        }

        /** One of {@code allowed}; the problem lists them. */
        public Optional<String> oneOf(
                JsonNode o, String field, boolean required, java.util.Collection<String> allowed) {
            Optional<String> v = text(o, field, required, 64);
            if (v.isPresent() && !allowed.contains(v.get())) {
                add(field, "must be one of " + String.join(", ", allowed));
                return Optional.empty();
            }
            return v;
        }

        /**
         * An array of {@code 1..maxItems} non-empty strings of at most {@code maxLength}
         * characters, trimmed.
         */
        public Optional<List<String>> texts(
                JsonNode o, String field, boolean required, int maxItems, int maxLength) {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    add(field, "is required: an array of strings");
                }
                return Optional.empty();
            }
            if (n.isArray() && n.isEmpty() && !required) {
                return Optional
                        .empty(); // an optional list left empty: none given (generated clients send
                // [])
            }
            if (!n.isArray() || n.isEmpty() || n.size() > maxItems) {
                add(field, "must be an array of 1 to " + maxItems + " strings");
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (!e.isTextual()
                        || e.asText().isBlank()
                        || e.asText().trim().length() > maxLength) {
                    add(
                            field + "[" + i + "]",
                            "must be a non-empty string of at most " + maxLength + " characters");
                    return Optional.empty();
                }
                out.add(e.asText().trim());
            }
            return Optional.of(out);
        }

        public Optional<Integer> integer(JsonNode o, String field, int min, int max) {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (!n.isIntegralNumber()
                    || !n.canConvertToInt()
                    || n.asInt() < min
                    || n.asInt() > max) {
                add(field, "must be a whole number from " + min + " to " + max);
                return Optional.empty();
            }
            return Optional.of(n.asInt());
        }
    }

    /**
     * An optional past moment in the body (ISO-8601 with an offset): null when absent; otherwise it
     * must lie between {@code maxAge} before {@code now} and five minutes after it (a device
     * clock's skew), or a problem names the field.
     */
    public static java.time.Instant pastTime(
            JsonNode body,
            String field,
            java.time.Duration maxAge,
            java.time.Instant now,
            Problems p) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String must = "must be an ISO-8601 time within the last " + maxAge.toDays() + " days";
        try {
            java.time.Instant at = io.chakrai.models.storage.Storable.parseInstant(n.asText());
            if (!n.isTextual()
                    || at.isAfter(now.plusSeconds(300))
                    || at.isBefore(now.minus(maxAge))) {
                p.add(field, must);
                return null;
            }
            return at;
        } catch (IllegalArgumentException e) {
            p.add(field, must);
            return null;
        }
    }
}
