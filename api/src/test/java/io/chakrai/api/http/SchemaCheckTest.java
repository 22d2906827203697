package io.chakrai.api.http;

import static io.chakrai.api.http.RouteTable.array;
import static io.chakrai.api.http.RouteTable.bool;
import static io.chakrai.api.http.RouteTable.dateTime;
import static io.chakrai.api.http.RouteTable.integer;
import static io.chakrai.api.http.RouteTable.nonBlank;
import static io.chakrai.api.http.RouteTable.nullable;
import static io.chakrai.api.http.RouteTable.number;
import static io.chakrai.api.http.RouteTable.obj;
import static io.chakrai.api.http.RouteTable.oneOf;
import static io.chakrai.api.http.RouteTable.props;
import static io.chakrai.api.http.RouteTable.text;
import static io.chakrai.api.http.RouteTable.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {
    /** A request like the routes declare: every kind of rule once. */
    static final Schema<?> REQUEST =
            obj(
                    props(
                            "name",
                            text(10),
                            "kind",
                            oneOf(List.of("a", "b")),
                            "count",
                            integer(1, 5),
                            "share",
                            number(0, 1),
                            "on",
                            bool(),
                            "at",
                            dateTime(),
                            "tags",
                            texts(0, 2, 4),
                            "note",
                            nullable(nonBlank(20)),
                            "ref",
                            new Schema<>().$ref("#/components/schemas/Inner")),
                    Set.of("name", "count"));

    static final Schema<?> INNER = obj(props("x", integer(0, 9)), Set.of("x"));

    static List<SchemaCheck.Problem> check(String json) throws Exception {
        JsonNode body = Json.MAPPER.readTree(json);
        return SchemaCheck.check(body, REQUEST, Map.of("Inner", INNER)::get);
    }

    static SchemaCheck.Problem problem(String field, String reason) {
        return new SchemaCheck.Problem(field, reason);
    }

    @Test
    void aRequestThatKeepsEveryRuleHasNoProblem() throws Exception {
        assertEquals(
                List.of(),
                check(
                        """
                {"name":"ok","kind":"b","count":5,"share":0.5,"on":false,
                 "at":"2026-03-02T08:00:00+01:00","tags":["x"],"note":null,"ref":{"x":9}}"""));
        assertEquals(List.of(), check("{\"name\":\"x\",\"count\":1,\"tags\":[]}"));
    }

    @Test
    void eachBrokenRuleIsNamedByItsFieldInTheOrderDeclared() throws Exception {
        assertEquals(
                List.of(
                        problem("name", "must not be empty"),
                        problem("kind", "must be one of a, b"),
                        problem("count", "must be a whole number from 1 to 5"),
                        problem("share", "must be a number from 0 to 1"),
                        problem("on", "must be true or false"),
                        problem(
                                "at",
                                "'yesterday' is not ISO-8601 with offset, e.g. 2026-01-31T08:15:00Z"),
                        problem("tags[1]", "must not be empty"),
                        problem("note", "must be at most 20 characters"),
                        problem("ref.x", "must be a whole number from 0 to 9")),
                check(
                        """
                {"name":"  ","kind":"c","count":6,"share":1.5,"on":"yes","at":"yesterday",
                 "tags":["x"," "],"note":"%s","ref":{"x":10}}"""
                                .formatted("n".repeat(21))));
    }

    @Test
    void requiredMeansPresentAndNotNull() throws Exception {
        assertEquals(
                List.of(problem("name", "is required"), problem("count", "is required")),
                check("{\"name\":null}"));
        assertEquals(List.of(problem("ref.x", "is required")), check(base(",\"ref\":{}")));
    }

    @Test
    void aFieldTheRouteDoesNotTakeIsNamedNotIgnored() throws Exception {
        List<SchemaCheck.Problem> p = check(base(",\"message\":\"hi\""));
        assertEquals(1, p.size(), p.toString());
        assertEquals("message", p.get(0).field());
        assertTrue(p.get(0).reason().startsWith("is not a field here; the fields are name, kind"));
    }

    @Test
    void anyNumberOfUnknownKeysIsOneProblem() throws Exception {
        StringBuilder body = new StringBuilder("{\"name\":\"x\",\"count\":1");
        for (int i = 0; i < 10_000; i++) {
            body.append(",\"k").append(i).append("\":0");
        }
        List<SchemaCheck.Problem> p = check(body.append('}').toString());
        assertEquals(1, p.size());
        assertEquals("k0", p.get(0).field());
        assertTrue(p.get(0).reason().startsWith("is not a field here (nor are 9999 other keys)"));
    }

    @Test
    void textsAreJudgedAsHandlersReadThemWithoutTheSpacesAround() throws Exception {
        // an allowed value, and the longest text, with a newline after them
        assertEquals(
                List.of(),
                check("{\"name\":\"" + "n".repeat(10) + "\\n\",\"count\":1,\"kind\":\" a \"}"));
        // a character beyond the 16-bit plane is one character, as JSON Schema counts
        assertEquals(List.of(), check("{\"name\":\"" + "😀".repeat(10) + "\",\"count\":1}"));
        assertEquals(
                List.of(problem("name", "must be at most 10 characters")),
                check("{\"name\":\"" + "😀".repeat(11) + "\",\"count\":1}"));
        // a password is judged as typed: its spaces count, a blank one is one
        Schema<?> login =
                obj(props("password", RouteTable.password(12).minLength(3)), Set.of("password"));
        assertEquals(
                List.of(),
                SchemaCheck.check(
                        Json.MAPPER.readTree("{\"password\":\"   \"}"), login, n -> null));
        assertEquals(
                List.of(problem("password", "must be at least 3 characters")),
                SchemaCheck.check(Json.MAPPER.readTree("{\"password\":\" a\"}"), login, n -> null));
    }

    @Test
    void aWholeNumberIsWrittenAsOne() throws Exception {
        for (String n : List.of("5.0", "2e0", "-0.0", "1e400")) {
            assertEquals(
                    List.of(problem("count", "must be a whole number from 1 to 5")),
                    check("{\"name\":\"x\",\"count\":" + n + "}"),
                    n);
        }
    }

    @Test
    void typesAreNotCoerced() throws Exception {
        assertEquals(
                List.of(problem("count", "must be a whole number from 1 to 5")),
                check("{\"name\":\"x\",\"count\":\"3\"}"));
        assertEquals(
                List.of(problem("count", "must be a whole number from 1 to 5")),
                check("{\"name\":\"x\",\"count\":2.5}"));
        assertEquals(
                List.of(problem("name", "must be a string")), check("{\"name\":7,\"count\":1}"));
        assertEquals(
                List.of(problem("tags", "must be an array of 0 to 2 items")),
                check(base(",\"tags\":\"x\"")));
        assertEquals(
                List.of(problem("tags", "must be an array of 0 to 2 items")),
                check(base(",\"tags\":[\"a\",\"b\",\"c\"]")));
        assertEquals(
                List.of(problem("tags[0]", "must not be null")), check(base(",\"tags\":[null]")));
        assertEquals(List.of(problem("ref", "must be a JSON object")), check(base(",\"ref\":[]")));
    }

    @Test
    void boundsHoldAtTheirEdgesAndNumbersBeyondLongAreRefused() throws Exception {
        assertEquals(List.of(), check("{\"name\":\"x\",\"count\":1,\"share\":0}"));
        assertEquals(List.of(), check("{\"name\":\"x\",\"count\":5,\"share\":1.0}"));
        assertEquals(
                List.of(problem("count", "must be a whole number from 1 to 5")),
                check("{\"name\":\"x\",\"count\":0}"));
        assertEquals(
                List.of(problem("count", "must be a whole number from 1 to 5")),
                check("{\"name\":\"x\",\"count\":99999999999999999999999}"));
        assertEquals(List.of(), check("{\"name\":\"" + "n".repeat(10) + "\",\"count\":1}"));
        assertEquals(
                List.of(problem("name", "must be at most 10 characters")),
                check("{\"name\":\"" + "n".repeat(11) + "\",\"count\":1}"));
    }

    @Test
    void parametersAreJudgedFromTheirTextByTheSameRules() {
        Schema<?> limit = integer(1, 100, 20);
        assertEquals(Optional.empty(), SchemaCheck.parameter("100", limit));
        assertEquals(
                Optional.of("must be a whole number from 1 to 100"),
                SchemaCheck.parameter("101", limit));
        assertEquals(
                Optional.of("must be a whole number from 1 to 100"),
                SchemaCheck.parameter("ten", limit));
        // a list's own order, as declared
        assertEquals(
                Optional.of("must be one of b, a"),
                SchemaCheck.parameter("c", oneOf(List.of("b", "a"))));
        assertEquals(Optional.of("must not be empty"), SchemaCheck.parameter(" ", nonBlank(5)));
        assertEquals(Optional.empty(), SchemaCheck.parameter("2026-03-02T08:00:00Z", dateTime()));
    }

    @Test
    void anArrayOfAFixedSizeSaysTheSize() throws Exception {
        Schema<?> nine = obj(props("a", array(integer(0, 3), 9, 9)), Set.of());
        assertEquals(
                List.of(new SchemaCheck.Problem("a", "must be an array of 9 items")),
                SchemaCheck.check(Json.MAPPER.readTree("{\"a\":[1,2]}"), nine, n -> null));
    }

    /**
     * Every rule a route's JSON body or query parameter declares in the committed description
     * (pinned to the served one by RouteTableITCase) is one this check keeps: a keyword it does not
     * know would be shown to clients and not enforced.
     */
    @Test
    void everyRuleTheApiDeclaresForARequestIsOneThisCheckKeeps() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(java.nio.file.Path.of("openapi.json").toFile());
        JsonNode components = doc.path("components").path("schemas");
        java.util.Set<String> seen = new java.util.TreeSet<>();
        int schemas = 0;
        for (JsonNode path : doc.path("paths")) {
            for (JsonNode op : path) {
                for (JsonNode param : op.path("parameters")) {
                    keywords(param.path("schema"), components, seen, new java.util.HashSet<>());
                    schemas++;
                }
                JsonNode body = op.path("requestBody").path("content").path("application/json");
                if (!body.isMissingNode()) {
                    keywords(body.path("schema"), components, seen, new java.util.HashSet<>());
                    schemas++;
                }
            }
        }
        assertTrue(schemas > 60, "read " + schemas + " request schemas");
        java.util.Set<String> unknown = new java.util.TreeSet<>(seen);
        unknown.removeAll(SchemaCheck.KNOWN);
        assertEquals(java.util.Set.of(), unknown, "declared but not checked");
        java.util.Set<String> formats = new java.util.TreeSet<>(FORMATS_SEEN);
        formats.removeAll(SchemaCheck.FORMATS);
        assertEquals(java.util.Set.of(), formats, "formats declared but not known");
        assertTrue(
                FORMATS_SEEN.containsAll(Set.of("date-time", "email", "password")),
                FORMATS_SEEN.toString());
        assertTrue(
                seen.containsAll(Set.of("enum", "maxLength", "minimum", "pattern")),
                seen.toString());
    }

    private static final Set<String> FORMATS_SEEN = new java.util.TreeSet<>();

    private static void keywords(
            JsonNode schema, JsonNode components, Set<String> seen, Set<String> followed) {
        schema.fieldNames().forEachRemaining(seen::add);
        if (schema.path("format").isTextual()) {
            FORMATS_SEEN.add(schema.get("format").asText());
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            if (followed.add(name)) {
                keywords(components.path(name), components, seen, followed);
            }
        }
        schema.path("properties").forEach(p -> keywords(p, components, seen, followed));
        schema.path("anyOf").forEach(p -> keywords(p, components, seen, followed));
        if (schema.path("items").isObject()) {
            keywords(schema.get("items"), components, seen, followed);
        }
        if (schema.path("additionalProperties").isObject()) {
            keywords(schema.get("additionalProperties"), components, seen, followed);
        }
    }

    private static String base(String more) {
        return "{\"name\":\"x\",\"count\":1" + more + "}";
    }
}
