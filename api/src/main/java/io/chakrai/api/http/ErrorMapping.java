package io.chakrai.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chakrai.models.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API answers, in one envelope, {@code {"error": {"status", "code", "message",
 * "details"?}}}: from handlers ({@link ApiException}), from Javalin (404, 405, 413), from Jetty
 * itself (a request it cannot parse, before any route runs), and on the WebSocket ({@code {"type":
 * "error", "error": {…}}}). Nothing from the database, no stack trace and no class name ever
 * reaches a client: what is not an {@link ApiException} is logged with its route and answered in
 * general words.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    /** Jetty-level parts: the byte-counting body limit and JSON for Jetty's own error pages. */
    public static void configure(JavalinConfig c, long maxBodyBytes) {
        c.http.maxRequestSize = maxBodyBytes;
        c.jetty.modifyServletContextHandler(
                h -> {
                    h.addFilter(
                            new FilterHolder(new BodyLimit(maxBodyBytes)),
                            "/*",
                            EnumSet.of(DispatcherType.REQUEST));
                    h.setErrorHandler(new JsonErrors());
                });
        c.jetty.modifyServer(s -> s.setErrorHandler(new JsonErrors()));
        // an Error (a class missing at run time, say) gets the envelope too, never an empty 200
        c.pvt.javaLangErrorHandler(
                (res, error) -> {
                    LOG.error("fatal error while serving a request", error);
                    try {
                        res.setStatus(500);
                        res.setContentType("application/json");
                        res.getOutputStream()
                                .write(
                                        envelope(
                                                        500,
                                                        "internal_error",
                                                        "something went wrong on our side; nothing was accepted",
                                                        List.of())
                                                .getBytes(StandardCharsets.UTF_8));
                    } catch (IOException | IllegalStateException e) {
                        LOG.debug("could not answer after a fatal error: {}", e.toString());
                    }
                });
    }

    /** The exception handlers of the HTTP routes and the WebSocket. */
    public static void install(Javalin app, long maxBodyBytes) {
        app.exception(ApiException.class, (e, ctx) -> write(ctx, e));
        app.exception(
                HttpResponseException.class,
                (e, ctx) ->
                        write(
                                ctx,
                                switch (e.getStatus()) {
                                    case 404 ->
                                            new ApiException(
                                                    404,
                                                    "not_found",
                                                    "no such endpoint: "
                                                            + ctx.method()
                                                            + " "
                                                            + clip(ctx.path()));
                                    case 405 ->
                                            new ApiException(
                                                    405,
                                                    "method_not_allowed",
                                                    ctx.method()
                                                            + " is not allowed on "
                                                            + clip(ctx.path()));
                                    case 413 -> tooLarge(maxBodyBytes);
                                    default ->
                                            new ApiException(
                                                    e.getStatus(),
                                                    "http_" + e.getStatus(),
                                                    "the request could not be handled");
                                }));
        app.exception(
                Exception.class,
                (e, ctx) ->
                        write(
                                ctx,
                                translate(
                                        e,
                                        maxBodyBytes,
                                        ctx.method() + " " + ctx.endpointHandlerPath())));
        app.wsException(
                Exception.class,
                (e, ctx) -> {
                    ApiException api = translate(e, maxBodyBytes, "websocket " + ctx.matchedPath());
                    send(ctx, api);
                    if (api.status() >= 500) {
                        ctx.closeSession(1011, "internal error");
                    }
                });
    }

    /**
     * What a client is told about an exception: its own words for an {@link ApiException}; a 4xx
     * for a body over the limit, a request Jetty could not read and a value the database refused as
     * data; and for anything else a 500 that says nothing of the cause (which is logged).
     */
    static ApiException translate(Exception e, long maxBodyBytes, String where) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (overLimit(t)) {
                return tooLarge(maxBodyBytes);
            }
            if (t instanceof BadMessageException bad && bad.getCode() < 500) {
                return new ApiException(400, "bad_request", "the request could not be read");
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22") || state.equals("23514")) {
                    LOG.warn(
                            "{}: the database refused a value as data (SQLSTATE {})", where, state);
                    return new ApiException(
                            400,
                            "invalid_value",
                            "a value in this request is outside what can be "
                                    + "stored (text with control characters, or a date or number out of range)");
                }
            }
        }
        LOG.error("unhandled error on {}", where, e);
        return new ApiException(
                500, "internal_error", "something went wrong on our side; nothing was accepted");
    }

    /**
     * Whether {@code e} (or a cause) says the body or a multipart part went past its size limit.
     */
    public static boolean overLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyLimit.TooLarge
                    || t instanceof IllegalStateException
                            && t.getMessage() != null
                            && t.getMessage().contains("exceeds max")) {
                return true;
            }
        }
        return false;
    }

    static ApiException tooLarge(long maxBodyBytes) {
        return new ApiException(
                413, "body_too_large", "request body is larger than " + maxBodyBytes + " bytes");
    }

    /** Answers {@code ctx} with the envelope of {@code e}. */
    public static void write(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status())
                .contentType("application/json")
                .result(envelope(e.status(), e.code(), e.getMessage(), e.details()));
    }

    /** Sends {@code {"type": "error", "error": {…}}} on a socket, if it is still open. */
    public static void send(WsContext ctx, ApiException e) {
        if (ctx.session.isOpen()) {
            ctx.send(
                    "{\"type\":\"error\","
                            + envelope(e.status(), e.code(), e.getMessage(), e.details())
                                    .substring(1));
        }
    }

    /** The JSON envelope. */
    public static String envelope(
            int status, String code, String message, List<Map<String, Object>> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("code", code);
        body.put("message", message);
        if (details != null && !details.isEmpty()) {
            body.put("details", details);
        }
        try {
            return Json.MAPPER.writeValueAsString(Map.of("error", body));
        } catch (JsonProcessingException e) {
            return "{\"error\":{\"status\":" + status + ",\"code\":\"" + code + "\"}}";
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /**
     * Jetty's own answers (unparseable requests, errors outside any route) as the JSON envelope.
     */
    static final class JsonErrors extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            int s = status >= 400 && status < 600 ? status : 400;
            return ByteBuffer.wrap(
                    envelope(
                                    s,
                                    s == 431
                                            ? "headers_too_large"
                                            : s == 414 ? "uri_too_long" : "bad_request",
                                    "the request could not be read as HTTP",
                                    List.of())
                            .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void handle(
                String target,
                Request baseRequest,
                HttpServletRequest request,
                HttpServletResponse response)
                throws IOException {
            int s = response.getStatus() >= 400 ? response.getStatus() : 500;
            String code =
                    switch (s) {
                        case 400 -> "bad_request";
                        case 404 -> "not_found";
                        case 413 -> "body_too_large";
                        default -> s >= 500 ? "internal_error" : "http_" + s;
                    };
            response.setContentType("application/json");
            response.getOutputStream()
                    .write(
                            envelope(
                                            s,
                                            code,
                                            s >= 500
                                                    ? "something went wrong on our side"
                                                    : "the request could not be handled",
                                            List.of())
                                    .getBytes(StandardCharsets.UTF_8));
            baseRequest.setHandled(true);
        }
    }
}
