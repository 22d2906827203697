package io.chakrai.api.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every HTTP route of the API, declared once: the declaration registers the handler with Javalin
 * and describes the route in OpenAPI 3 ({@code /openapi.json}) with who may call it, its parameters
 * and body. A route cannot exist undescribed, and tests and tools read the same table: the
 * cross-user matrix takes every route whose path id is {@link Op#owned() owned} by the caller, and
 * the HTTP fuzzer every typed parameter and body.
 */
public final class RouteTable {
    /** Who may call a route (an account's role is in {@code users.role}). */
    public enum Role implements RouteRole {
        /** no token */
        PUBLIC("anyone, no token"),
        /** a signed-in person, on their own data */
        PERSON("a person, on their own data only"),
        /** a group facilitator: group analytics and escalations, never e-mail or user ids */
        FACILITATOR("a group facilitator"),
        /** a clinician: escalations, and the risk of people who granted them clinician access */
        CLINICIAN("a clinician, for people who granted clinician access"),
        /** an operator: the pipeline's health, no health data */
        OPERATOR("an operator");

        private final String who;

        Role(String who) {
            this.who = who;
        }

        /** The role stored for an account ({@code users.role}). */
        public static Role of(String stored) {
            return valueOf(stored.toUpperCase(Locale.ROOT));
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every signed-in role: for routes about one's own account (sign-out, password). */
    public static final Role[] ANY_ACCOUNT = {
        Role.PERSON, Role.FACILITATOR, Role.CLINICIAN, Role.OPERATOR
    };

    private final Javalin app;
    private final List<Op> ops = new ArrayList<>();
    private final List<Tag> tags = new ArrayList<>();
    private final Map<String, Schema<?>> components = new LinkedHashMap<>();
    private String tag;
    private volatile String openApi;

    public RouteTable(Javalin app) {
        this.app = app;
    }

    /** One route being described; {@link #add} registers it. */
    public final class Op {
        final HandlerType method;
        final String path;
        final Handler handler;
        final Operation doc = new Operation();
        Role[] roles = {Role.PERSON};
        boolean owned;
        String shared;
        String contentType = "application/json";
        Schema<?> bodySchema;
        String bodyCode;
        final Map<String, Schema<?>> queries = new LinkedHashMap<>();
        final Map<String, Schema<?>> paths = new LinkedHashMap<>();

        Op(HandlerType method, String path, Handler handler, String summary) {
            this.method = method;
            this.path = path;
            this.handler = handler;
            doc.summary(summary);
            if (tag != null) {
                doc.addTagsItem(tag);
            }
        }

        /**
         * The operation's name: a generated client's method (listDevices, sendReadings); unique in
         * the table.
         */
        public Op id(String operationId) {
            doc.operationId(operationId);
            return this;
        }

        public Op describe(String text) {
            doc.description(text);
            return this;
        }

        public Op open() {
            roles = new Role[] {Role.PUBLIC};
            return this;
        }

        /** Who may call it, instead of a person on their own data. */
        public Op roles(Role... who) {
            roles = who.clone();
            return this;
        }

        /**
         * The {@code {id}} in the path must be the caller's own: anyone else gets 404 and no data.
         */
        public Op owned() {
            owned = true;
            return this;
        }

        /**
         * The path id is not anyone's own: every caller with the route's role may use any id
         * ({@code why} says why, e.g. an open group anyone may join, an escalation every
         * facilitator handles).
         */
        public Op shared(String why) {
            shared = why;
            return this;
        }

        /**
         * A query parameter; {@link Query}'s readers take its bounds, allowed values and default
         * from {@code schema}.
         */
        public Op query(String name, Schema<?> schema, String description) {
            return query(name, schema, description, false);
        }

        /** A query parameter every request must send. */
        public Op requiredQuery(String name, Schema<?> schema, String description) {
            return query(name, schema, description, true);
        }

        private Op query(String name, Schema<?> schema, String description, boolean required) {
            queries.put(name, schema);
            Parameter p = new Parameter().in("query").name(name).schema(schema);
            if (required) {
                p.required(true);
            }
            doc.addParametersItem(p.description(description));
            return this;
        }

        public Op path(String name, Schema<?> schema, String description) {
            paths.put(name, schema);
            doc.addParametersItem(
                    new Parameter()
                            .in("path")
                            .name(name)
                            .required(true)
                            .schema(schema)
                            .description(description));
            return this;
        }

        /**
         * A JSON body of this schema, checked by {@link Bodies#object} against it ({@link
         * SchemaCheck}) before the handler reads a field; its problems are answered 400 {@code
         * code}, each naming its field.
         */
        public Op body(String code, Schema<?> schema) {
            bodyCode = code;
            return content(schema, true);
        }

        /**
         * As {@link #body}, but a request may send no body at all: every field of {@code schema} is
         * optional.
         */
        public Op optionalBody(String code, Schema<?> schema) {
            bodyCode = code;
            return content(schema, false);
        }

        private Op content(Schema<?> schema, boolean required) {
            bodySchema = schema;
            doc.requestBody(
                    new RequestBody()
                            .required(required)
                            .content(
                                    new Content()
                                            .addMediaType(
                                                    contentType, new MediaType().schema(schema))));
            return this;
        }

        /** A body of raw bytes ({@code application/octet-stream}): a chunk of a file. */
        public Op binary(String description) {
            contentType = "application/octet-stream";
            return content(
                    new io.swagger.v3.oas.models.media.StringSchema()
                            .format("binary")
                            .description(description),
                    true);
        }

        /**
         * A multipart form; its parts are read by the handler, which passes over parts it does not
         * know (so the description does not call the form closed).
         */
        public Op multipart(Schema<?> schema) {
            contentType = "multipart/form-data";
            schema.setAdditionalProperties(null);
            return content(schema, true);
        }

        /**
         * A successful answer with a JSON body of this schema (a component's {@link #component
         * reference}, mostly).
         */
        public Op returns(int status, String description, Schema<?> schema) {
            if (status >= 300) {
                throw new IllegalArgumentException(
                        path + ": returns() is for successes; responds() declares an error");
            }
            return produces(status, description, "application/json", schema);
        }

        /**
         * An answer of any media type and schema (a page, a ZIP, Prometheus' text, /health's 503).
         */
        public Op produces(int status, String description, String mediaType, Schema<?> schema) {
            response(
                    status,
                    new ApiResponse()
                            .description(description)
                            .content(
                                    new Content()
                                            .addMediaType(
                                                    mediaType, new MediaType().schema(schema))));
            return this;
        }

        /** A success with no body (204). */
        public Op noContent(String description) {
            response(204, new ApiResponse().description(description));
            return this;
        }

        /**
         * An error this route can answer besides the common ones; its body is the error envelope.
         */
        public Op responds(int status, String description) {
            if (status < 400) {
                throw new IllegalArgumentException(
                        path + ": responds() declares an error; returns() a success");
            }
            response(status, error(description));
            return this;
        }

        private void response(int status, ApiResponse r) {
            if (doc.getResponses() == null) {
                doc.responses(new ApiResponses());
            }
            doc.getResponses().addApiResponse(Integer.toString(status), r);
        }

        /** Registers the route with Javalin and adds it to the description. */
        public void add() {
            if (doc.getResponses() == null
                    || doc.getResponses().keySet().stream().noneMatch(k -> k.startsWith("2"))) {
                throw new IllegalStateException(
                        method
                                + " "
                                + path
                                + " declares no success: returns(), produces() or noContent()");
            }
            response(400, error("the request is invalid; the message names the field"));
            if (doc.getRequestBody() != null) {
                response(413, error("the body is larger than this route takes"));
            }
            doc.getResponses()
                    .addApiResponse(
                            "5XX",
                            error(
                                    "something went wrong on the server's side; nothing was accepted"));
            boolean open = roles[0] == Role.PUBLIC;
            if (open) {
                doc.security(new ArrayList<>());
            } else {
                response(403, error("the caller's role may not use this route"));
                response(401, error("no valid bearer token"));
                doc.addSecurityItem(new SecurityRequirement().addList("bearer"));
            }
            if (owned) {
                response(
                        404,
                        error("no such item of the caller's (another person's answers the same)"));
            }
            if (shared != null) {
                response(404, error("no such item"));
                doc.addExtension("x-shared-id", shared);
            }
            doc.addExtension("x-roles", Arrays.stream(roles).map(Role::wire).toList());
            doc.addExtension("x-owned-id", owned);
            String who = String.join("; ", Arrays.stream(roles).map(r -> r.who).toList());
            doc.description(
                    (doc.getDescription() == null ? "" : doc.getDescription() + "\n\n")
                            + "Roles: "
                            + who
                            + ".");
            if (doc.getOperationId() == null
                    || ops.stream()
                            .anyMatch(o -> o.doc.getOperationId().equals(doc.getOperationId()))) {
                throw new IllegalStateException(
                        method
                                + " "
                                + path
                                + " needs an id() of its own: "
                                + "the name of its method in a generated client");
            }
            app.addHttpHandler(
                    method,
                    path,
                    ctx -> {
                        ctx.attribute(DECLARED, this);
                        handler.handle(ctx);
                    },
                    roles);
            ops.add(this);
            openApi = null;
        }

        public HandlerType method() {
            return method;
        }

        /** The declared JSON body's schema, or null. */
        public Schema<?> bodySchema() {
            return bodySchema;
        }

        /** The code a body that breaks its schema is answered with. */
        public String bodyCode() {
            return bodyCode;
        }

        /** Whether a request must send a body. */
        public boolean bodyRequired() {
            return doc.getRequestBody() != null
                    && Boolean.TRUE.equals(doc.getRequestBody().getRequired());
        }

        /** Whether a declared query parameter must be sent. */
        public boolean queryRequired(String name) {
            return doc.getParameters().stream()
                    .anyMatch(
                            p ->
                                    p.getName().equals(name)
                                            && "query".equals(p.getIn())
                                            && Boolean.TRUE.equals(p.getRequired()));
        }

        /** A declared path parameter's schema, or null. */
        public Schema<?> pathSchema(String name) {
            return paths.get(name);
        }

        /** A declared query parameter's schema, or null. */
        public Schema<?> querySchema(String name) {
            return queries.get(name);
        }

        /** The problems of a JSON body against the declared schema. */
        public List<SchemaCheck.Problem> check(com.fasterxml.jackson.databind.JsonNode body) {
            return SchemaCheck.check(body, bodySchema, components::get);
        }

        public String path() {
            return path;
        }

        public boolean isOwned() {
            return owned;
        }

        /** Why any caller with the role may use any id, or null for an owned (or id-less) route. */
        public String sharedBecause() {
            return shared;
        }

        public List<Role> roles() {
            return List.of(roles);
        }
    }

    private static final String DECLARED = "chakrai.route";

    /**
     * The declaration of the route serving this request: its body's and parameters' schemas, for
     * {@link Bodies} and {@link Query}.
     */
    public static Op declared(io.javalin.http.Context ctx) {
        Op op = ctx.attribute(DECLARED);
        if (op == null) {
            throw new IllegalStateException(ctx.path() + " is not a route of the table");
        }
        return op;
    }

    public Op get(String path, Handler h, String summary) {
        return new Op(HandlerType.GET, path, h, summary);
    }

    public Op post(String path, Handler h, String summary) {
        return new Op(HandlerType.POST, path, h, summary);
    }

    public Op put(String path, Handler h, String summary) {
        return new Op(HandlerType.PUT, path, h, summary);
    }

    public Op delete(String path, Handler h, String summary) {
        return new Op(HandlerType.DELETE, path, h, summary);
    }

    /**
     * The routes declared from here on belong to this area (a tag in the description, a class in a
     * generated client).
     */
    public RouteTable area(String name, String description) {
        tags.add(new Tag().name(name).description(description));
        tag = name;
        return this;
    }

    /**
     * A schema shared by several routes, kept once under {@code #/components/schemas/name}: the
     * reference to use in declarations. A generated client gets one model class for it.
     */
    public Schema<?> component(String name, Schema<?> schema) {
        if (components.putIfAbsent(name, schema) != null) {
            throw new IllegalArgumentException("component " + name + " declared twice");
        }
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    public List<Op> routes() {
        return List.copyOf(ops);
    }

    /** The OpenAPI 3.1 description of every route in the table, as JSON. */
    public String openApiJson() {
        String cached = openApi;
        if (cached == null) {
            cached = build();
            openApi = cached;
        }
        return cached;
    }

    private String build() {
        Components shared =
                new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description(
                                                "the access_token of POST /api/v2/auth/token, as Authorization: Bearer <token>"))
                        .addSchemas("Error", errorSchema());
        components.forEach(shared::addSchemas);
        OpenAPI api =
                new OpenAPI()
                        .openapi("3.1.0")
                        .info(
                                new Info()
                                        .title("Chakrai API")
                                        .version("v2")
                                        .description(
                                                "Analytics for mental-health wearables: readings, stress episodes, risk, voice, therapy "
                                                        + "groups, therapeutic content. Every error is the envelope Error. Live events arrive on the "
                                                        + "WebSocket /api/v2/ws?token=…, described with the Kafka topics in asyncapi.yaml beside this "
                                                        + "document.")
                                        .license(
                                                new License()
                                                        .name("GPL-3.0-or-later")
                                                        .identifier("GPL-3.0-or-later")))
                        .servers(
                                List.of(
                                        new Server()
                                                .url("/")
                                                .description(
                                                        "the server this document is served from (http://localhost:7070 for ./chakrai run)")))
                        .tags(List.copyOf(tags))
                        .components(shared);
        Paths paths = new Paths();
        for (Op op : ops) {
            String p = op.path;
            PathItem item = paths.computeIfAbsent(p, k -> new PathItem());
            item.operation(PathItem.HttpMethod.valueOf(op.method.name()), op.doc);
        }
        api.paths(paths);
        return Json31.pretty(api);
    }

    private static ApiResponse error(String description) {
        return new ApiResponse()
                .description(description)
                .content(
                        new Content()
                                .addMediaType(
                                        "application/json",
                                        new MediaType()
                                                .schema(
                                                        new Schema<>()
                                                                .$ref(
                                                                        "#/components/schemas/Error"))));
    }

    private static Schema<?> errorSchema() {
        return fields().add(
                        "error",
                        fields().add("status", integer(400, 599))
                                .add("code", text(64))
                                .add("message", text(1000))
                                .optional(
                                        "details",
                                        arrayOf(
                                                new ObjectSchema()
                                                        .description(
                                                                "what is wrong: field and reason, or what helps "
                                                                        + "(crisis_support, alternatives)")))
                                .schema())
                .schema()
                .description(
                        "Every error, on every route and on the WebSocket: a stable code, a message naming the problem");
    }

    // ---- schema shorthands for the declarations ----

    public static Schema<?> text(int maxLength) {
        return new StringSchema().maxLength(maxLength);
    }

    /**
     * A password: judged as typed (spaces count, nothing is trimmed), at most {@code maxLength}
     * long.
     */
    public static Schema<?> password(int maxLength) {
        return text(maxLength).format("password");
    }

    /** A text holding more than spaces, at most {@code maxLength} long. */
    public static Schema<?> nonBlank(int maxLength) {
        return text(maxLength).pattern(SchemaCheck.NOT_BLANK);
    }

    /**
     * One of these texts: a list in its own order (the order error messages list them in), any
     * other collection sorted, so the description is the same in every JVM.
     */
    public static Schema<?> oneOf(Collection<String> values) {
        StringSchema s = new StringSchema();
        (values instanceof List<String> list ? list.stream() : values.stream().sorted())
                .forEach(s::addEnumItem);
        return s;
    }

    public static Schema<?> integer(long min, long max) {
        IntegerSchema s = new IntegerSchema();
        if (max > Integer.MAX_VALUE || min < Integer.MIN_VALUE) {
            s.format("int64");
        }
        return s.minimum(BigDecimal.valueOf(min)).maximum(BigDecimal.valueOf(max));
    }

    /** A whole number from {@code min} to {@code max}, {@code dflt} when not given. */
    public static Schema<?> integer(long min, long max, long dflt) {
        Schema<?> s = integer(min, max);
        s.setDefault(dflt);
        return s;
    }

    public static Schema<?> number(double min, double max) {
        return new NumberSchema().minimum(BigDecimal.valueOf(min)).maximum(BigDecimal.valueOf(max));
    }

    public static Schema<?> dateTime() {
        return new DateTimeSchema();
    }

    public static Schema<?> bool() {
        return new BooleanSchema();
    }

    public static Schema<?> array(Schema<?> items, int minItems, int maxItems) {
        return new ArraySchema().items(items).minItems(minItems).maxItems(maxItems);
    }

    /**
     * A request's object: these properties (in this order), of which {@code required} must be
     * present, and no others (a misspelt field is named, not ignored). A required text must hold
     * more than spaces ({@link SchemaCheck#NOT_BLANK}).
     */
    public static Schema<?> obj(Map<String, Schema<?>> properties, Set<String> required) {
        ObjectSchema o = new ObjectSchema();
        properties.forEach(o::addProperty);
        required.stream().sorted().forEach(o::addRequiredItem);
        for (String name : required) {
            Schema<?> p = properties.get(name);
            if (p == null) {
                throw new IllegalArgumentException(name + " is required but not a property");
            }
            if ("string".equals(SchemaCheck.type(p))
                    && p.getEnum() == null
                    && p.getFormat() == null
                    && p.getPattern() == null) {
                p.pattern(SchemaCheck.NOT_BLANK);
            }
        }
        o.additionalProperties(false);
        return o;
    }

    /** A list of texts, each holding more than spaces and at most {@code maxLength} long. */
    public static Schema<?> texts(int minItems, int maxItems, int maxLength) {
        return array(nonBlank(maxLength), minItems, maxItems);
    }

    /** Properties in order: name, schema, name, schema, … */
    public static Map<String, Schema<?>> props(Object... nameThenSchema) {
        Map<String, Schema<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            m.put((String) nameThenSchema[i], (Schema<?>) nameThenSchema[i + 1]);
        }
        return m;
    }

    /** A free-form JSON object. */
    public static Schema<?> anyObject() {
        return new ObjectSchema();
    }

    // ---- shorthands for what a route answers ----

    /**
     * The properties of a JSON object a route answers: required unless said optional, and nothing
     * else.
     */
    public static Fields fields() {
        return new Fields();
    }

    /**
     * An answer's object, built once: every property named, its type, whether it is always there.
     */
    public static final class Fields {
        private final Map<String, Schema<?>> properties = new LinkedHashMap<>();
        private final List<String> required = new ArrayList<>();

        /** Always present (its schema says whether it may be null). */
        public Fields add(String name, Schema<?> schema) {
            properties.put(name, schema);
            required.add(name);
            return this;
        }

        /** Present only sometimes (the description says when). */
        public Fields optional(String name, Schema<?> schema) {
            properties.put(name, schema);
            return this;
        }

        /** Every property of {@code other} too, as it declares them. */
        public Fields with(Fields other) {
            properties.putAll(other.properties);
            required.addAll(other.required);
            return this;
        }

        /**
         * A closed object: a property added to the answer without its description fails the
         * contract tests.
         */
        public Schema<?> schema() {
            ObjectSchema o = new ObjectSchema();
            properties.forEach(o::addProperty);
            required.forEach(o::addRequiredItem);
            o.additionalProperties(false);
            return o;
        }
    }

    /** This schema, or null. */
    public static Schema<?> nullable(Schema<?> s) {
        if (s.get$ref() != null) {
            return new Schema<>().anyOf(List.of(s, new Schema<>().types(Set.of("null"))));
        }
        if (s.getTypes() == null && s.getType() == null) {
            return s; // any value, null included
        }
        Set<String> types =
                new java.util.LinkedHashSet<>(
                        s.getTypes() != null ? s.getTypes() : Set.of(s.getType()));
        types.add("null");
        s.types(types);
        if (s.getEnum() != null && !s.getEnum().contains(null)) {
            // an enum lists every value allowed: null too, or a null answer breaks the description
            s.getEnum().add(null);
        }
        return s;
    }

    public static Schema<?> string() {
        return new StringSchema();
    }

    public static Schema<?> integer() {
        return new IntegerSchema();
    }

    public static Schema<?> int64() {
        return new IntegerSchema().format("int64");
    }

    public static Schema<?> number() {
        return new NumberSchema();
    }

    /** A calendar day, ISO-8601 ({@code 2026-03-02}). */
    public static Schema<?> date() {
        return new StringSchema().format("date");
    }

    public static Schema<?> arrayOf(Schema<?> items) {
        return new ArraySchema().items(items);
    }

    /** An object whose keys are data (a type name, a table), each value of this schema. */
    public static Schema<?> mapOf(Schema<?> values) {
        return new ObjectSchema().additionalProperties(values);
    }
}
