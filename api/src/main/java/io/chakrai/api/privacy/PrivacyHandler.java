package io.chakrai.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.api.ws.UserSessions;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /api/v2/me/export} and {@code DELETE /api/v2/me}. */
public final class PrivacyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyHandler.class);
    private final PrivacyService service;
    private final UserSessions sockets;

    public PrivacyHandler(PrivacyService service, UserSessions sockets) {
        this.service = service;
        this.sockets = sockets;
    }

    public void export(Context ctx) throws SQLException, IOException {
        int user = Caller.id(ctx);
        Map<String, Long> counts = service.counts(user);
        ctx.contentType("application/zip");
        ctx.header(
                "Content-Disposition", "attachment; filename=\"chakrai-export-" + user + ".zip\"");
        // a client can show progress against this (the ZIP's own length is not known in advance)
        ctx.header(
                "X-Export-Rows",
                Long.toString(counts.values().stream().mapToLong(Long::longValue).sum()));
        service.export(user, counts, ctx.outputStream());
        LOG.info(
                "user {} exported their data ({} rows)",
                user,
                counts.values().stream().mapToLong(Long::longValue).sum());
    }

    public void audit(Context ctx) throws SQLException {
        ctx.json(Map.of("audit", service.trail(Caller.id(ctx), Query.integer(ctx, "limit"))));
    }

    public void consents(Context ctx) throws SQLException {
        ctx.json(Map.of("consents", service.consents(Caller.id(ctx))));
    }

    public void consent(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        ctx.json(
                service.consent(
                        Caller.id(ctx),
                        Bodies.text(body, "kind"),
                        body.get("granted").asBoolean()));
    }

    public void erase(Context ctx) throws SQLException {
        // as typed, like at sign-in: spaces around are part of a password
        String password = Bodies.object(ctx).get("password").asText();
        int user = Caller.id(ctx);
        Map<String, Integer> erased = service.erase(user, password);
        sockets.close(user, null);
        LOG.info("user {} erased their data", user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("erased", erased);
        out.put("kafka", PrivacyService.KAFKA_RETENTION);
        ctx.json(out);
    }
}
