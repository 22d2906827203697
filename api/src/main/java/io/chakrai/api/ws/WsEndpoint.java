package io.chakrai.api.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.auth.AuthService;
import io.chakrai.api.auth.TokenService;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.groups.GroupService;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.ErrorMapping;
import io.chakrai.api.http.Query;
import io.chakrai.api.predictions.PredictionRepository;
import io.chakrai.api.readings.ReadingIntake;
import io.chakrai.models.Json;
import io.chakrai.models.readings.DeviceType;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.storage.Storable;
import io.chakrai.models.stress.PredictionCodec;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v2/ws}. The upgrade needs a valid token ({@code Authorization: Bearer} or, since
 * browsers cannot set headers on a WebSocket, {@code ?token=}); without one the upgrade is refused
 * with 401.
 *
 * <p>Client events: {@code {"type":"biometric_reading","data":{deviceType|deviceId, dataType,
 * value, timestamp, ...}}}, answered with {@code reading_accepted} or {@code error} (with the same
 * fields as the REST error). An optional {@code request_id} is echoed.
 */
public final class WsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);
    private static final String USER = "chakrai.ws.userId";
    private static final String LANGUAGES = "chakrai.ws.languages";

    private final AuthService auth;
    private final ReadingIntake intake;
    private final DeviceRepository devices;
    private final UserSessions sessions;
    private final PredictionRepository predictions;
    private final GroupService groups;

    public WsEndpoint(
            AuthService auth,
            ReadingIntake intake,
            DeviceRepository devices,
            UserSessions sessions,
            PredictionRepository predictions,
            GroupService groups) {
        this.groups = groups;
        this.auth = auth;
        this.intake = intake;
        this.devices = devices;
        this.sessions = sessions;
        this.predictions = predictions;
    }

    /** Before the upgrade: refuse it (401 JSON) unless a valid token comes with it. */
    public void beforeUpgrade(Context ctx) throws IOException, SQLException {
        try {
            Query.storable(ctx);
            auth.authenticate(token(ctx.header("Authorization"), ctx.queryParam("token")));
        } catch (ApiException e) {
            // the upgrade servlet writes no result body of its own: answer in the envelope here,
            // then refuse
            ctx.res().setStatus(e.status());
            ctx.res().setContentType("application/json");
            ctx.res()
                    .getOutputStream()
                    .write(
                            ErrorMapping.envelope(e.status(), e.code(), e.getMessage(), e.details())
                                    .getBytes(StandardCharsets.UTF_8));
            ctx.res().flushBuffer();
            throw e;
        }
    }

    public void configure(WsConfig ws) {
        ws.onConnect(
                ctx -> {
                    AuthService.Authenticated who =
                            auth.authenticate(
                                    token(ctx.header("Authorization"), ctx.queryParam("token")));
                    int user = who.userId();
                    ctx.attribute(USER, user);
                    sessions.add(user, who.session(), who.role(), ctx);
                    ctx.attribute(
                            LANGUAGES,
                            ctx.queryParam("locale") != null
                                    ? ctx.queryParam("locale")
                                    : ctx.header("Accept-Language"));
                    ctx.enableAutomaticPings();
                    ctx.send(
                            Json.MAPPER.writeValueAsString(
                                    Map.of("type", "connected", "user_id", user)));
                    replaySince(ctx, user);
                });
        ws.onClose(
                ctx -> {
                    Integer user = ctx.attribute(USER);
                    if (user != null) {
                        sessions.remove(user, ctx);
                    }
                });
        ws.onMessage(this::onMessage);
        ws.onError(
                ctx ->
                        LOG.debug(
                                "websocket error: {}",
                                ctx.error() == null
                                        ? "?"
                                        : ctx.error().getClass().getSimpleName()));
    }

    /**
     * A reconnecting client asks for what it missed with {@code ?since=<ISO-8601>}: the predictions
     * (and interventions) made since then are sent first, oldest first, marked {@code "replay":
     * true}.
     */
    private void replaySince(WsContext ctx, int user) throws Exception {
        String since = ctx.queryParam("since");
        if (since == null) {
            return;
        }
        Instant from;
        try {
            from = Storable.parseInstant(since);
        } catch (IllegalArgumentException e) {
            reply(
                    ctx,
                    null,
                    error(ApiException.badRequest("invalid_query", "since: " + e.getMessage())));
            return;
        }
        List<PredictionRepository.Stored> missed =
                new ArrayList<>(predictions.predictions(user, null, from, null, 500));
        Collections.reverse(missed);
        for (PredictionRepository.Stored p : missed) {
            for (ObjectNode event : PredictionCodec.events(p.prediction())) {
                event.put("replay", true);
                ctx.send(event.toString());
            }
        }
    }

    private void onMessage(WsMessageContext ctx) throws Exception {
        int user = ctx.attribute(USER);
        JsonNode msg;
        try {
            msg = Json.MAPPER.readTree(ctx.message());
        } catch (JsonProcessingException e) {
            reply(
                    ctx,
                    null,
                    error(ApiException.badRequest("malformed_json", "message is not valid JSON")));
            return;
        }
        JsonNode requestId = msg == null ? null : msg.get("request_id");
        try {
            Bodies.storable(msg);
            if (msg == null || !msg.isObject() || !msg.path("type").isTextual()) {
                throw ApiException.badRequest(
                        "invalid_event", "an event is a JSON object with a string 'type'");
            }
            String type = msg.get("type").asText();
            if ("group_message".equals(type)) {
                groupMessage(ctx, user, msg, requestId);
                return;
            }
            if (!"biometric_reading".equals(type)) {
                throw ApiException.badRequest(
                        "unknown_event",
                        "unknown event type '"
                                + clip(type)
                                + "' (client events: biometric_reading, group_message)");
            }
            JsonNode data = msg.get("data");
            if (data == null || !data.isObject()) {
                throw ApiException.badRequest(
                        "invalid_event", "biometric_reading needs a 'data' object");
            }
            int accepted =
                    intake.accept(
                            user,
                            List.of(
                                    ReadingCodec.fromInput(
                                            resolveDevice(user, (ObjectNode) data), user)));
            ObjectNode ok =
                    Json.MAPPER
                            .createObjectNode()
                            .put("type", "reading_accepted")
                            .put("accepted", accepted);
            reply(ctx, requestId, ok);
        } catch (ApiException e) {
            reply(ctx, requestId, error(e));
        }
    }

    /**
     * {@code {"type":"group_message","groupId":7,"message":"…","messageType":"text"}}: stored like
     * the REST POST; every member's sockets get a {@code group_message} event, the sender a {@code
     * group_message_ack} with the message id (and, if it was held, a {@code crisis_support} event
     * first).
     */
    private void groupMessage(WsContext ctx, int user, JsonNode msg, JsonNode requestId)
            throws SQLException {
        JsonNode group = msg.has("groupId") ? msg.get("groupId") : msg.path("data").get("groupId");
        JsonNode text = msg.has("message") ? msg.get("message") : msg.path("data").get("message");
        JsonNode type =
                msg.has("messageType")
                        ? msg.get("messageType")
                        : msg.path("data").get("messageType");
        if (group == null
                || !group.canConvertToInt()
                || !group.isIntegralNumber()
                || group.asInt() < 1) {
            throw ApiException.badRequest("invalid_event", "groupId: is required, a group id");
        }
        if (text == null || !text.isTextual()) {
            throw ApiException.badRequest(
                    "invalid_event", "message: is required, the message text");
        }
        String kind = type == null || type.isNull() ? "text" : type.asText();
        if ((type != null && !type.isNull() && !type.isTextual())
                || !GroupService.MESSAGE_TYPES.contains(kind)) {
            // the code REST answers for the same rules
            throw ApiException.badRequest(
                    "invalid_message",
                    "messageType: must be one of "
                            + String.join(", ", new TreeSet<>(GroupService.MESSAGE_TYPES)));
        }
        Optional<String> problem = GroupService.messageProblem(kind, text.asText());
        if (problem.isPresent()) {
            throw ApiException.badRequest("invalid_message", "message: " + problem.get());
        }
        GroupService.Posted posted =
                groups.post(user, group.asInt(), kind, text.asText(), ctx.attribute(LANGUAGES));
        ObjectNode ack =
                Json.MAPPER
                        .createObjectNode()
                        .put("type", "group_message_ack")
                        .put("groupId", group.asInt())
                        .put("messageId", posted.message().id())
                        .put("status", posted.message().status())
                        .put("timestamp", posted.message().timestamp().toString());
        reply(ctx, requestId, ack);
    }

    /**
     * The spec's event names the device by type only: use the caller's one active device of that
     * type.
     */
    private JsonNode resolveDevice(int user, ObjectNode data) throws SQLException {
        if (data.hasNonNull("deviceId") || data.hasNonNull("device_id")) {
            return data;
        }
        JsonNode type = data.has("deviceType") ? data.get("deviceType") : data.get("device_type");
        if (type == null || !type.isTextual() || DeviceType.fromWire(type.asText()).isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_readings",
                    "deviceType: is required when deviceId is not given (one of "
                            + DeviceType.names()
                            + ")");
        }
        List<Integer> ids = devices.activeIdsOfType(user, type.asText());
        if (ids.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_readings",
                    "deviceType: you have no active " + type.asText() + " device");
        }
        if (ids.size() > 1) {
            throw ApiException.badRequest(
                    "invalid_readings",
                    "deviceType: you have "
                            + ids.size()
                            + " active "
                            + type.asText()
                            + " devices; give deviceId");
        }
        return data.deepCopy().put("device_id", ids.get(0));
    }

    private static ObjectNode error(ApiException e) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("type", "error");
        n.set(
                "error",
                Json.MAPPER.valueToTree(
                        Map.of(
                                "status",
                                e.status(),
                                "code",
                                e.code(),
                                "message",
                                e.getMessage(),
                                "details",
                                e.details())));
        return n;
    }

    private static void reply(WsContext ctx, JsonNode requestId, ObjectNode body) {
        if (requestId != null) {
            body.set("request_id", requestId);
        }
        ctx.send(body.toString());
    }

    static String token(String authorization, String query) {
        String fromHeader = TokenService.fromHeader(authorization);
        return fromHeader != null ? fromHeader : query;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
