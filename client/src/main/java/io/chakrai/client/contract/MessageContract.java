package io.chakrai.client.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AsyncAPI 3 description of Chakrai's events ({@code api/asyncapi.yaml}: the WebSocket and the
 * Kafka topics) held against messages: a payload checked against its message's schema, and a socket
 * event found by its {@code type}. The golden contract tests pass every codec's output through it.
 */
public final class MessageContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode doc;
    private final SchemaRegistry registry =
            SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12,
                    b ->
                            b.schemaRegistryConfig(
                                    SchemaRegistryConfig.builder()
                                            .formatAssertionsEnabled(true)
                                            .build()));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private MessageContract(JsonNode doc) {
        this.doc = doc;
    }

    /** The description in {@code yaml} (AsyncAPI 3, YAML or JSON). */
    public static MessageContract of(Path yaml) {
        try {
            return new MessageContract(new YAMLMapper().readTree(Files.readString(yaml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's own description, found from a module's directory (tests run in one). */
    public static MessageContract ofRepository() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("api").resolve("asyncapi.yaml");
            if (Files.isRegularFile(candidate)) {
                return of(candidate);
            }
        }
        throw new IllegalStateException("no api/asyncapi.yaml above " + here);
    }

    public JsonNode document() {
        return doc;
    }

    /** Every message the description names (components.messages). */
    public List<String> messages() {
        List<String> out = new ArrayList<>();
        doc.path("components").path("messages").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The examples a message carries, as JSON text. */
    public List<String> examples(String message) {
        List<String> out = new ArrayList<>();
        doc.path("components")
                .path("messages")
                .path(message)
                .path("examples")
                .forEach(e -> out.add(e.path("payload").toString()));
        return out;
    }

    /** What is wrong with {@code json} as a {@code message}, or nothing. */
    public List<String> problems(String message, String json) {
        JsonNode payload = doc.path("components").path("messages").path(message).path("payload");
        if (payload.isMissingNode()) {
            return List.of("no message " + message + " in the description");
        }
        Schema schema =
                schemas.computeIfAbsent(
                        message,
                        m -> {
                            ObjectNode standalone =
                                    JSON.createObjectNode()
                                            .put(
                                                    "$schema",
                                                    "https://json-schema.org/draft/2020-12/schema");
                            standalone.set("components", doc.path("components"));
                            standalone.setAll((ObjectNode) payload);
                            return registry.getSchema(standalone.toString(), InputFormat.JSON);
                        });
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(json, InputFormat.JSON)) {
            out.add(
                    message
                            + ": "
                            + e.getInstanceLocation()
                            + " "
                            + e.getMessage()
                            + " in "
                            + clip(json));
        }
        return out;
    }

    /**
     * What is wrong with an event the API pushed on its socket, found by its {@code type} among the
     * messages of the operations that send on the socket channel; an event of no described type is
     * a problem too.
     */
    public List<String> socketEvent(String json) {
        String type;
        try {
            type = JSON.readTree(json).path("type").asText("");
        } catch (IOException e) {
            return List.of("not JSON: " + clip(json));
        }
        for (String m : sentOn("#/channels/socket")) {
            JsonNode t =
                    doc.path("components")
                            .path("messages")
                            .path(m)
                            .path("payload")
                            .path("properties")
                            .path("type");
            boolean named = type.equals(t.path("const").asText(null));
            for (JsonNode e : t.path("enum")) {
                named |= type.equals(e.asText());
            }
            if (named) {
                return problems(m, json);
            }
        }
        return List.of("no socket event of type '" + type + "' in the description: " + clip(json));
    }

    /** The component messages the operations with action send put on a channel. */
    List<String> sentOn(String channelRef) {
        List<String> out = new ArrayList<>();
        doc.path("operations")
                .forEach(
                        op -> {
                            if (op.path("action").asText().equals("send")
                                    && op.path("channel")
                                            .path("$ref")
                                            .asText()
                                            .equals(channelRef)) {
                                op.path("messages")
                                        .forEach(
                                                m -> {
                                                    JsonNode inChannel =
                                                            doc.at(
                                                                    m.path("$ref")
                                                                            .asText()
                                                                            .substring(1));
                                                    out.add(
                                                            inChannel
                                                                    .path("$ref")
                                                                    .asText()
                                                                    .replace(
                                                                            "#/components/messages/",
                                                                            ""));
                                                });
                            }
                        });
        return out;
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
