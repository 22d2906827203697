package io.chakrai.client.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API's description held against what the API answers: for one response, the route it answered
 * for, whether that route declares its status and media type, and whether the body is valid against
 * the declared schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1, checked by networknt's
 * validator with formats asserted). The route tests and the HTTP fuzzer run every response they
 * receive through it.
 */
public final class ApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode components;
    private final List<Route> routes = new ArrayList<>();
    private final SchemaRegistry registry =
            SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12,
                    b ->
                            b.schemaRegistryConfig(
                                    SchemaRegistryConfig.builder()
                                            .formatAssertionsEnabled(true)
                                            .build()));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private record Route(String method, String template, Pattern pattern, JsonNode operation) {}

    private ApiContract(JsonNode doc) {
        components = doc.path("components");
        doc.path("paths")
                .fields()
                .forEachRemaining(
                        p -> {
                            Pattern pattern =
                                    Pattern.compile(
                                            "^"
                                                    + p.getKey().replaceAll("\\{[^}/]+}", "[^/]+")
                                                    + "$");
                            p.getValue()
                                    .fields()
                                    .forEachRemaining(
                                            m ->
                                                    routes.add(
                                                            new Route(
                                                                    m.getKey()
                                                                            .toUpperCase(
                                                                                    Locale.ROOT),
                                                                    p.getKey(),
                                                                    pattern,
                                                                    m.getValue())));
                        });
        // a literal path wins over a template (/content/library before /content/{id})
        routes.sort(
                Comparator.comparingLong(r -> r.template().chars().filter(c -> c == '{').count()));
    }

    /** The contract of an OpenAPI 3.1 document (JSON). */
    public static ApiContract of(String openApiJson) {
        try {
            return new ApiContract(JSON.readTree(openApiJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The route template ({@code /api/v2/content/{id}}) a request was for, if the description has
     * one.
     */
    public Optional<String> route(String method, String path) {
        return find(method, path).map(Route::template);
    }

    private Optional<Route> find(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        return routes.stream()
                .filter(r -> r.method().equals(m) && r.pattern().matcher(path).matches())
                .findFirst();
    }

    /**
     * What is wrong with this response, or nothing: a status the route does not declare, a media
     * type it does not declare for that status, a body where none is declared, a body its schema
     * refuses. A request for no described route is held only to the error envelope (Javalin's 404
     * and 405 are answers too).
     */
    public List<String> problems(
            String method, String path, int status, String contentType, String body) {
        List<String> out = new ArrayList<>();
        String where = method + " " + path + " → " + status;
        Optional<Route> route = find(method, path);
        if (route.isEmpty()) {
            if (status < 400) {
                out.add(where + ": no such route in the description");
            } else {
                validate(where, "#/components/schemas/Error", body, out);
            }
            return out;
        }
        JsonNode responses = route.get().operation().path("responses");
        String key = Integer.toString(status);
        if (!responses.has(key)) {
            key = (status / 100) + "XX";
        }
        if (!responses.has(key)) {
            key = "default";
        }
        JsonNode declared = responses.get(key);
        if (declared == null) {
            out.add(
                    where
                            + ": status "
                            + status
                            + " is not declared for "
                            + route.get().template());
            return out;
        }
        JsonNode content = declared.get("content");
        if (content == null || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                out.add(where + ": a body where the description declares none");
            }
            return out;
        }
        String media =
                contentType == null
                        ? ""
                        : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode byType = content.get(media);
        if (byType == null) {
            List<String> declaredTypes = new ArrayList<>();
            content.fieldNames().forEachRemaining(declaredTypes::add);
            out.add(
                    where
                            + ": media type '"
                            + media
                            + "' where the description declares "
                            + declaredTypes);
            return out;
        }
        if (media.equals("application/json")) {
            String pointer =
                    "/paths/"
                            + escape(route.get().template())
                            + "/"
                            + method.toLowerCase(Locale.ROOT)
                            + "/responses/"
                            + escape(key)
                            + "/content/"
                            + escape(media)
                            + "/schema";
            validate(where, pointer, byType.path("schema"), body, out);
        }
        return out;
    }

    private void validate(String where, String ref, String body, List<String> out) {
        ObjectNode schema = JSON.createObjectNode().put("$ref", ref);
        validate(where, ref, schema, body, out);
    }

    private void validate(
            String where, String key, JsonNode schemaNode, String body, List<String> out) {
        if (body == null || body.isEmpty()) {
            out.add(where + ": no body where the description declares one");
            return;
        }
        Schema schema =
                schemas.computeIfAbsent(
                        key,
                        k -> {
                            // the response's schema with the document's components beside it, so
                            // its $refs resolve
                            ObjectNode standalone =
                                    JSON.createObjectNode()
                                            .put(
                                                    "$schema",
                                                    "https://json-schema.org/draft/2020-12/schema");
                            standalone.set("components", components);
                            for (Iterator<Map.Entry<String, JsonNode>> it = schemaNode.fields();
                                    it.hasNext(); ) {
                                Map.Entry<String, JsonNode> e = it.next();
                                standalone.set(e.getKey(), e.getValue());
                            }
                            return registry.getSchema(standalone.toString(), InputFormat.JSON);
                        });
        List<Error> errors;
        try {
            errors = schema.validate(body, InputFormat.JSON);
        } catch (RuntimeException e) {
            out.add(where + ": the body is not JSON (" + e.getClass().getSimpleName() + ")");
            return;
        }
        for (Error e : errors) {
            out.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage());
        }
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }
}
