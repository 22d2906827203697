package io.chakrai.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.chakrai.models.Json;
import io.chakrai.models.storage.Storable;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * The body as a JSON object that keeps the schema its route declares ({@link
     * RouteTable.Op#body}): 400 {@code invalid_body} if it is no object, else 400 with the route's
     * code listing every field that breaks the schema. A route with an {@link
     * RouteTable.Op#optionalBody optional body} reads no body as an empty object. After this a
     * handler reads fields without checking their shape again; rules a schema cannot say (a time
     * within the last week, one field or another) are the handler's, through {@link #problems}.
     */
    public static JsonNode object(Context ctx) {
        RouteTable.Op route = RouteTable.declared(ctx);
        if (route.bodySchema() == null || route.bodyCode() == null) {
            throw new IllegalStateException(route.path() + " declares no JSON body");
        }
        byte[] bytes = ctx.bodyAsBytes();
        JsonNode node =
                !route.bodyRequired() && blank(bytes)
                        ? JsonNodeFactory.instance.objectNode()
                        : json(bytes);
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_body", "request body must be a JSON object");
        }
        Problems p = problems(ctx);
        for (SchemaCheck.Problem problem : route.check(node)) {
            p.add(problem.field(), problem.reason());
        }
        p.throwIfAny();
        return node;
    }

    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Problems of this request's body, answered with its route's code. */
    public static Problems problems(Context ctx) {
        return new Problems(RouteTable.declared(ctx).bodyCode());
    }

    /**
     * A checked body's text field without the spaces around it (as it was judged); null when
     * absent.
     */
    public static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText().strip();
    }

    /** A checked body's list of texts, each without the spaces around it; empty when absent. */
    public static List<String> texts(JsonNode body, String field) {
        JsonNode n = body.get(field);
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(e -> out.add(e.asText().strip()));
        }
        return out;
    }

    /** A checked body's whole number; null when absent. */
    public static Integer integer(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asInt();
    }

    /** A checked body's number; null when absent. */
    public static Double number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asDouble();
    }

    /** Collects field problems and throws one 400 listing all of them. */
    public static final class Problems {
        /** At most this many problems are listed; the message counts them all. */
        static final int MAX_DETAILS = 100;

        private final String code;
        private final List<Map<String, Object>> items = new ArrayList<>();

        Problems(String code) {
            this.code = code;
        }

        public void add(String field, String reason) {
            items.add(Map.of("field", field, "reason", reason));
        }

        public boolean isEmpty() {
            return items.isEmpty();
        }

        public void throwIfAny() {
            if (!items.isEmpty()) {
                String first = items.get(0).get("field") + ": " + items.get(0).get("reason");
                throw new ApiException(
                        400,
                        code,
                        items.size() == 1
                                ? first
                                : first + " (and " + (items.size() - 1) + " more problems)",
                        items.subList(0, Math.min(items.size(), MAX_DETAILS)));
            }
        }
    }

    /**
     * An optional past moment in a checked body (its schema says ISO-8601 with an offset): null
     * when absent; otherwise it must lie between {@code maxAge} before {@code now} and five minutes
     * after it (a device clock's skew), or a problem names the field.
     */
    public static Instant pastTime(
            JsonNode body, String field, Duration maxAge, Instant now, Problems p) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        Instant at = Storable.parseInstant(n.asText());
        if (at.isAfter(now.plusSeconds(300)) || at.isBefore(now.minus(maxAge))) {
            p.add(field, "must be a time within the last " + maxAge.toDays() + " days");
            return null;
        }
        return at;
    }
}
