package io.chakrai.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.ws.UserSessions;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;

/**
 * Accounts and sign-in over HTTP: register, sign in ({@code token}), {@code refresh}, sign out
 * (this session or everywhere) and change the password. The rules are {@link AuthService}'s.
 */
public final class AuthHandler {
    public static final int MIN_PASSWORD_LENGTH = 10;

    private final AuthService auth;
    private final UserSessions sockets;

    public AuthHandler(AuthService auth, UserSessions sockets) {
        this.auth = auth;
        this.sockets = sockets;
    }

    public void register(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        String password = newPassword(body, "password", p);
        p.throwIfAny();
        ctx.status(HttpStatus.CREATED)
                .json(
                        auth.register(
                                Bodies.text(body, "email"),
                                password,
                                Bodies.text(body, "display_name")));
    }

    /**
     * A new password (its length in characters is the declaration's): at most bcrypt's 72 bytes.
     */
    private static String newPassword(JsonNode body, String field, Bodies.Problems p) {
        String pw = body.get(field).asText();
        if (pw.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            p.add(field, "must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes");
            return null;
        }
        return pw;
    }

    public void token(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        ctx.json(
                AuthService.TokenReply.of(
                        auth.signIn(
                                Bodies.text(body, "email"),
                                body.get("password").asText(),
                                ctx.ip())));
    }

    public void refresh(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        ctx.json(AuthService.TokenReply.of(auth.refresh(Bodies.text(body, "refresh_token"))));
    }

    public void signOut(Context ctx) throws SQLException {
        auth.signOut(Caller.session(ctx));
        // this instance's sockets now; other instances' within a sweep (ApiServer)
        sockets.close(Caller.id(ctx), Caller.session(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    public void signOutEverywhere(Context ctx) throws SQLException {
        int ended = auth.signOutEverywhere(Caller.id(ctx));
        sockets.close(Caller.id(ctx), null);
        ctx.json(Map.of("sessions_ended", ended));
    }

    public void changePassword(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        String current = body.get("current_password").asText();
        String next = newPassword(body, "new_password", p);
        p.throwIfAny();
        int ended = auth.changePassword(Caller.id(ctx), Caller.session(ctx), current, next);
        java.util.Set<java.util.UUID> open = sockets.openSessions();
        sockets.closeEnded(open, auth.activeSessions(open));
        ctx.json(Map.of("other_sessions_ended", ended));
    }
}
