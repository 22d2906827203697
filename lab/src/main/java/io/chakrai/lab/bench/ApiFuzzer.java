package io.chakrai.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.client.contract.ApiContract;
import io.chakrai.lab.client.ApiClient;
import io.chakrai.models.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An HTTP fuzzer driven by the API's own OpenAPI description: for every described operation it
 * builds requests from the declared parameters and bodies, then mutates them (wrong types,
 * boundaries, huge and tiny numbers, odd Unicode, control characters, extreme dates, SQL and JSON
 * metacharacters, missing required fields, deep nesting) and sends them, signed in as a fuzz user
 * of its own. A finding is any 5xx, any leak of internals (database text, a Java name, a stack
 * frame), any answer outside the JSON envelope, a 2xx to a request that broke the declared schema,
 * or any answer that breaks the route's declared response (status, media type, body schema: {@link
 * ApiContract}). Bounded in count and time; loopback only.
 */
@Command(
        name = "fuzz-api",
        mixinStandardHelpOptions = true,
        description =
                "Send typed mutations of every route in /openapi.json to a running API and report any 5xx.")
public final class ApiFuzzer implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Pattern LEAK =
            Pattern.compile(
                    "(?i)(ERROR:|SQLSTATE|postgres|psql|jdbc|Exception|\\bat [a-z]+\\.[a-z]|java\\.|org\\.|io\\.chakrai)");
    private static final String[] ODD_TEXT = {
        "",
        " ",
        "\u0000",
        "a\u0000b",
        "\ud800",
        "\udfff",
        "\u202e\u0301",
        "😀🏳️‍🌈",
        "\t\r\n",
        "' OR 1=1 --",
        "\"; DROP TABLE users; --",
        "{\"$ne\":null}",
        "%00%0d%0a",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "\\",
        "\"",
        "null",
        "true",
        "-1",
        "1e999",
        "NaN",
        "${jndi:ldap://x}",
        "x".repeat(5_000)
    };
    private static final String[] ODD_DATES = {
        "+294277-01-01T00:00:00Z",
        "-4714-11-24T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "+999999999-12-31T23:59:59Z",
        "2026-02-30T00:00:00Z",
        "2026-01-01T25:00:00Z",
        "2026-01-01",
        "1970-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z",
        "2026-01-01T00:00:00+18:00",
        "now",
        ""
    };
    private static final Object[] ODD_NUMBERS = {
        0,
        -1,
        1,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        2147483648L,
        -2147483649L,
        1e308,
        -1e308,
        4.9e-324,
        0.5,
        -0.0,
        "9".repeat(40),
        1.0000000001
    };

    @Option(
            names = "--api",
            defaultValue = "http://localhost:7070",
            description = "the API (loopback only)")
    String api;

    @Option(
            names = "--requests",
            defaultValue = "10000",
            description = "how many requests (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(
            names = "--max-seconds",
            defaultValue = "600",
            description = "stop after this long (default: ${DEFAULT-VALUE})")
    int maxSeconds;

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    /** What a run found. */
    public record Result(
            int sent, Map<Integer, Integer> statuses, List<String> findings, long millis) {
        public String summary() {
            return String.format(
                    "sent %,d requests in %.1f s; statuses %s; findings %d",
                    sent, millis / 1000.0, statuses, findings.size());
        }
    }

    /** One operation from the description. */
    record Operation(String method, String path, JsonNode doc) {}

    /** A request and whether it breaks the declared schema on purpose. */
    record Attempt(
            String method,
            String path,
            String query,
            String contentType,
            byte[] body,
            boolean invalid,
            String what) {}

    @Override
    public Integer call() throws Exception {
        if (Loopback.refused(api)) {
            return 2;
        }
        Result r = run(api, requests, Duration.ofSeconds(maxSeconds), seed);
        System.out.println(r.summary());
        results.append(
                "fuzz-api",
                BenchResults.kv("requests", requests, "seed", seed),
                BenchResults.kv(
                        "sent",
                        r.sent(),
                        "findings",
                        r.findings().size(),
                        "5xx",
                        r.statuses().entrySet().stream()
                                .filter(e -> e.getKey() >= 500)
                                .mapToInt(Map.Entry::getValue)
                                .sum(),
                        "statuses",
                        r.statuses()));
        r.findings().stream().limit(30).forEach(f -> System.out.println("  " + f));
        return r.findings().isEmpty() ? 0 : 1;
    }

    public static Result run(String api, int requests, Duration budget, long seed)
            throws IOException, InterruptedException {
        ApiClient client = new ApiClient(api);
        String token = client.login("fuzz-" + seed + "@chakrai.local", "fuzz password " + seed);
        int device = client.device(token, "garmin", "FUZZ-" + seed, "[\"heart_rate\",\"hrv\"]");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String description =
                http.send(
                                HttpRequest.newBuilder(URI.create(api + "/openapi.json")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        JsonNode doc = JSON.readTree(description);
        ApiContract contract = ApiContract.of(description);
        List<Operation> ops = new ArrayList<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(
                        p ->
                                p.getValue()
                                        .fields()
                                        .forEachRemaining(
                                                m ->
                                                        ops.add(
                                                                new Operation(
                                                                        m.getKey()
                                                                                .toUpperCase(
                                                                                        Locale
                                                                                                .ROOT),
                                                                        p.getKey(),
                                                                        m.getValue()))));
        Random rnd = new Random(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long start = System.currentTimeMillis();
        int sent = 0;
        while (sent < requests && System.currentTimeMillis() - start < budget.toMillis()) {
            Operation op = ops.get(rnd.nextInt(ops.size()));
            Attempt a = attempt(op, doc, device, rnd);
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(api + a.path() + a.query()))
                            .timeout(Duration.ofSeconds(30))
                            .method(
                                    a.method(),
                                    a.body() == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(a.body()));
            if (a.contentType() != null) {
                b.header("Content-Type", a.contentType());
            }
            // routes that end a session get someone else's (made-up) token: the fuzzer must stay
            // signed in, and
            // signing in again from one address that has been guessing passwords is rightly
            // throttled
            boolean endsSession =
                    op.path().startsWith("/api/v2/auth/logout")
                            || op.path().equals("/api/v2/auth/password");
            if (rnd.nextInt(20) != 0) {
                b.header("Authorization", "Bearer " + (endsSession ? "made.up.token" : token));
            }
            HttpResponse<String> res;
            try {
                res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                findings.add(
                        "no answer: "
                                + a.method()
                                + " "
                                + a.path()
                                + a.query()
                                + " ("
                                + a.what()
                                + "): "
                                + e);
                sent++;
                continue;
            }
            sent++;
            statuses.merge(res.statusCode(), 1, Integer::sum);

            String where = a.method() + " " + a.path() + clip(a.query()) + " [" + a.what() + "]";
            if (res.statusCode() >= 500) {
                findings.add(res.statusCode() + " " + where + " -> " + clip(res.body()));
            } else if (res.statusCode() >= 200 && res.statusCode() < 300 && a.invalid()) {
                findings.add(
                        res.statusCode()
                                + " for invalid input "
                                + where
                                + " body "
                                + clip(
                                        a.body() == null
                                                ? ""
                                                : new String(a.body(), StandardCharsets.UTF_8)));
            } else if (res.statusCode() >= 400 && !envelope(res.body(), res.statusCode())) {
                findings.add(
                        "not the JSON envelope: "
                                + res.statusCode()
                                + " "
                                + where
                                + " -> "
                                + clip(res.body()));
            }
            if (res.statusCode() >= 400 && LEAK.matcher(res.body()).find()) {
                findings.add("leak: " + where + " -> " + clip(res.body()));
            }
            for (String problem :
                    contract.problems(
                            a.method(),
                            a.path(),
                            res.statusCode(),
                            res.headers().firstValue("Content-Type").orElse(null),
                            res.body())) {
                findings.add(
                        "breaks the description: "
                                + problem
                                + " ["
                                + a.what()
                                + "] -> "
                                + clip(res.body()));
            }
        }
        return new Result(sent, statuses, findings, System.currentTimeMillis() - start);
    }

    private static boolean envelope(String body, int status) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.at("/error/status").asInt() == status
                    && n.at("/error/code").isTextual()
                    && n.at("/error/message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 160 ? t : t.substring(0, 160) + "…";
    }

    // ---- building requests ----

    static Attempt attempt(Operation op, JsonNode doc, int device, Random rnd) {
        boolean invalid = false;
        List<String> what = new ArrayList<>();
        String path = op.path();
        StringBuilder query = new StringBuilder();
        for (JsonNode p : op.doc().path("parameters")) {
            String name = p.path("name").asText();
            JsonNode schema = p.path("schema");
            String in = p.path("in").asText();
            if (in.equals("path")) {
                String v;
                if (rnd.nextInt(3) == 0) {
                    v =
                            rnd.nextBoolean()
                                    ? ODD_TEXT[rnd.nextInt(ODD_TEXT.length)]
                                    : String.valueOf(ODD_NUMBERS[rnd.nextInt(ODD_NUMBERS.length)]);
                    // an empty segment is another route (the list); digits may be a real id
                    invalid |= !v.isBlank() && !v.matches("\\d{1,9}");
                    what.add("path " + name + " mutated");
                } else {
                    v = Integer.toString(rnd.nextBoolean() ? device : 1 + rnd.nextInt(1_000_000));
                }
                path =
                        path.replace(
                                "{" + name + "}",
                                URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
                continue;
            }
            int choice = rnd.nextInt(4);
            if (choice == 0) {
                continue; // absent
            }
            String v;
            if (choice == 1) {
                v = text(valid(schema, doc, device, rnd));
            } else {
                Mutation m = mutate(schema, doc, rnd);
                v = text(m.value());
                // a query parameter is text whatever it holds: "true" is a fine value of a text
                // parameter
                boolean textParam =
                        type(resolve(schema, doc)).equals("string")
                                && !resolve(schema, doc).has("enum");
                invalid |= m.invalid() && !textParam;
                what.add("query " + name + (m.invalid() ? " invalid" : " odd"));
            }
            query.append(query.length() == 0 ? "?" : "&")
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        String contentType = null;
        byte[] body = null;
        JsonNode content = op.doc().path("requestBody").path("content");
        if (content.has("application/json")) {
            contentType = "application/json";
            JsonNode schema = content.path("application/json").path("schema");
            JsonNode value = valid(schema, doc, device, rnd);
            int choice = rnd.nextInt(10);
            if (choice < 6) {
                Mutation m = mutateDeep(value, schema, doc, rnd);
                value = m.value();
                invalid |= m.invalid();
                what.add("body " + m.what());
            }
            String text = value.toString();
            if (choice == 9) {
                text = breakJson(text, rnd);
                invalid = true;
                what.add("broken JSON");
            }
            body = text.getBytes(StandardCharsets.UTF_8);
        } else if (content.has("application/octet-stream")) {
            // a chunk of a file: any bytes are a chunk; often the wrong media type or none
            int choice = rnd.nextInt(4);
            contentType = choice == 0 ? "application/json" : "application/octet-stream";
            body = new byte[choice == 1 ? 0 : 1 + rnd.nextInt(2_048)];
            rnd.nextBytes(body);
            what.add(choice == 0 ? "bytes as JSON" : choice == 1 ? "empty chunk" : "bytes");
        } else if (content.has("multipart/form-data")) {
            String boundary = rnd.nextInt(4) == 0 ? "wrong" : "fz";
            contentType = "multipart/form-data; boundary=fz";
            String recorded =
                    rnd.nextBoolean()
                            ? ODD_DATES[rnd.nextInt(ODD_DATES.length)]
                            : Instant.now().toString();
            String part =
                    rnd.nextInt(3) == 0
                            ? "{" + ODD_TEXT[rnd.nextInt(ODD_TEXT.length)]
                            : "RIFF....WAVEfmt ";
            body =
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"recorded_at\"\r\n\r\n"
                                    + recorded
                                    + "\r\n--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n\r\n"
                                    + part
                                    + "\r\n--"
                                    + boundary
                                    + (rnd.nextBoolean() ? "--\r\n" : ""))
                            .getBytes(StandardCharsets.UTF_8);
            invalid = true; // never a real recording
            what.add("multipart");
        }
        return new Attempt(
                op.method(),
                path,
                query.toString(),
                contentType,
                body,
                invalid,
                String.join(", ", what));
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.textValue() : v.toString();
    }

    private static JsonNode resolve(JsonNode schema, JsonNode doc) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }

    /** A value that fits the schema. */
    static JsonNode valid(JsonNode schema, JsonNode doc, int device, Random rnd) {
        schema = resolve(schema, doc);
        if (schema.has("enum")) {
            return schema.get("enum").get(rnd.nextInt(schema.get("enum").size()));
        }
        String type = type(schema);
        switch (type) {
            case "integer":
                {
                    long min = schema.path("minimum").asLong(0);
                    long max = schema.path("maximum").asLong(1_000);
                    if (min == 1 && max >= Integer.MAX_VALUE && rnd.nextBoolean()) {
                        return F.numberNode(device);
                    }
                    return F.numberNode(
                            min + (long) (rnd.nextDouble() * Math.min(1_000, max - min)));
                }
            case "number":
                {
                    double min = schema.path("minimum").asDouble(0);
                    double max = schema.path("maximum").asDouble(100);
                    return F.numberNode(Math.max(min, Math.min(max, 60 + rnd.nextGaussian() * 10)));
                }
            case "boolean":
                return F.booleanNode(rnd.nextBoolean());
            case "array":
                {
                    ArrayNode a = F.arrayNode();
                    int n = Math.max(schema.path("minItems").asInt(0), rnd.nextInt(3));
                    for (int i = 0; i < Math.min(n, schema.path("maxItems").asInt(10)); i++) {
                        a.add(valid(schema.path("items"), doc, device, rnd));
                    }
                    return a;
                }
            case "object":
                {
                    ObjectNode o = F.objectNode();
                    Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
                    List<String> required = new ArrayList<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (required.contains(e.getKey()) || rnd.nextBoolean()) {
                            o.set(e.getKey(), valid(e.getValue(), doc, device, rnd));
                        }
                    }
                    return o;
                }
            default:
                if ("date-time".equals(schema.path("format").asText())) {
                    return F.textNode(Instant.now().minusSeconds(rnd.nextInt(86_400)).toString());
                }
                int max = schema.path("maxLength").asInt(40);
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < Math.min(max, 1 + rnd.nextInt(20)); i++) {
                    s.append((char) ('a' + rnd.nextInt(26)));
                }
                return F.textNode(s.toString());
        }
    }

    private static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            return t.size() == 0 ? "string" : t.get(0).asText();
        }
        return t.asText(schema.has("properties") ? "object" : "string");
    }

    /** A changed value, and whether it certainly breaks the schema. */
    record Mutation(JsonNode value, boolean invalid, String what) {}

    static Mutation mutate(JsonNode schema, JsonNode doc, Random rnd) {
        schema = resolve(schema, doc);
        String type = type(schema);
        switch (rnd.nextInt(4)) {
            case 0:
                {
                    String s = ODD_TEXT[rnd.nextInt(ODD_TEXT.length)];
                    // text where no text belongs; for text fields only an unknown enum value is
                    // certainly wrong
                    boolean breaks = !type.equals("string") || schema.has("enum");
                    return new Mutation(F.textNode(s), breaks, "odd text");
                }
            case 1:
                {
                    Object n = ODD_NUMBERS[rnd.nextInt(ODD_NUMBERS.length)];
                    JsonNode v = n instanceof String str ? F.textNode(str) : JSON.valueToTree(n);
                    boolean breaks =
                            type.equals("integer") || type.equals("number")
                                    ? v.isNumber()
                                            && (schema.has("minimum")
                                                            && v.asDouble()
                                                                    < schema.get("minimum")
                                                                            .asDouble()
                                                    || schema.has("maximum")
                                                            && v.asDouble()
                                                                    > schema.get("maximum")
                                                                            .asDouble()
                                                    || type.equals("integer")
                                                            && !v.isIntegralNumber())
                                    : !type.equals("string");
                    return new Mutation(v, breaks, "odd number");
                }
            case 2:
                // some of these are valid date-times, so a 2xx is no finding; the others must get a
                // 4xx
                return new Mutation(
                        F.textNode(ODD_DATES[rnd.nextInt(ODD_DATES.length)]), false, "odd date");
            default:
                {
                    JsonNode v =
                            rnd.nextBoolean()
                                    ? F.booleanNode(true)
                                    : F.arrayNode().add(F.objectNode().put("x", 1));
                    boolean breaks =
                            switch (type) {
                                case "boolean" -> !v.isBoolean();
                                case "array" -> !v.isArray();
                                case "object" -> !v.isObject();
                                default -> true;
                            };
                    return new Mutation(v, breaks, "wrong type");
                }
        }
    }

    /**
     * Mutates one place inside a JSON value: a property, an item, a missing required field,
     * nesting.
     */
    static Mutation mutateDeep(JsonNode value, JsonNode schema, JsonNode doc, Random rnd) {
        schema = resolve(schema, doc);
        if (value.isObject() && schema.path("properties").size() > 0) {
            ObjectNode o = value.deepCopy();
            List<String> names = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(names::add);
            String name = names.get(rnd.nextInt(names.size()));
            int choice = rnd.nextInt(6);
            if (choice == 0) {
                boolean required = false;
                for (JsonNode r : schema.path("required")) {
                    required |= r.asText().equals(name);
                }
                o.remove(name);
                return new Mutation(o, required, "without " + name);
            }
            if (choice == 1) {
                ObjectNode deep = F.objectNode();
                ObjectNode cur = deep;
                for (int i = 0; i < 300; i++) {
                    cur = cur.putObject("d");
                }
                o.set(name, deep);
                return new Mutation(
                        o,
                        !type(schema.path("properties").path(name)).equals("object"),
                        name + " deeply nested");
            }
            Mutation inner =
                    rnd.nextBoolean() && o.has(name)
                            ? mutateDeep(
                                    o.get(name), schema.path("properties").path(name), doc, rnd)
                            : mutate(schema.path("properties").path(name), doc, rnd);
            o.set(name, inner.value());
            return new Mutation(o, inner.invalid(), name + ": " + inner.what());
        }
        if (value.isArray() && value.size() > 0) {
            ArrayNode a = value.deepCopy();
            int i = rnd.nextInt(a.size());
            Mutation inner = mutateDeep(a.get(i), schema.path("items"), doc, rnd);
            a.set(i, inner.value());
            return new Mutation(a, inner.invalid(), "[" + i + "] " + inner.what());
        }
        return mutate(schema, doc, rnd);
    }

    private static String breakJson(String text, Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> text.substring(0, Math.max(0, text.length() / 2));
            case 1 -> text + "}";
            case 2 -> "\uFEFF" + text.replace(':', '=') + ",";
            default -> "[".repeat(10_000);
        };
    }
}
