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
import java.util.regex.Pattern;

/**
 * Accounts and sign-in over HTTP: register, sign in ({@code token}), {@code refresh}, sign out
 * (this session or everywhere) and change the password. The rules are {@link AuthService}'s.
 */
public final class AuthHandler {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    public static final int MIN_PASSWORD_LENGTH = 10;

    private final AuthService auth;
    private final UserSessions sockets;

    public AuthHandler(AuthService auth, UserSessions sockets) {
        this.auth = auth;
        this.sockets = sockets;
    }

    public void register(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String email = p.text(body, "email", true, 254).orElse(null);
        if (email != null && !EMAIL.matcher(email).matches()) {
            p.add("email", "is not an e-mail address");
        }
        String password = newPassword(body, "password", p);
        String displayName = p.text(body, "display_name", false, 100).orElse(null);
        p.throwIfAny("invalid_registration");

        ctx.status(HttpStatus.CREATED).json(auth.register(email, password, displayName));
    }

    /**
     * A new password: required, at least {@link #MIN_PASSWORD_LENGTH} characters, at most bcrypt's
     * 72 bytes.
     */
    private static String newPassword(JsonNode body, String field, Bodies.Problems p) {
        JsonNode pw = body.get(field);
        if (pw == null || !pw.isTextual()) {
            p.add(
                    field,
                    "is required (a string of at least " + MIN_PASSWORD_LENGTH + " characters)");
        } else if (pw.asText().length() < MIN_PASSWORD_LENGTH) {
            p.add(field, "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        } else if (pw.asText().getBytes(StandardCharsets.UTF_8).length
                > PasswordHasher.MAX_PASSWORD_BYTES) {
            p.add(field, "must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes");
        } else {
            return pw.asText();
        }
        return null;
    }

    public void token(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String email = p.text(body, "email", true, 254).orElse(null);
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual()) {
            p.add("password", "is required");
        }
        p.throwIfAny("invalid_credentials_request");
        ctx.json(AuthService.TokenReply.of(auth.signIn(email, pw.asText(), ctx.ip())));
    }

    public void refresh(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String refresh = p.text(body, "refresh_token", true, 200).orElse(null);
        p.throwIfAny("invalid_refresh_request");
        ctx.json(AuthService.TokenReply.of(auth.refresh(refresh)));
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
        Bodies.Problems p = new Bodies.Problems();
        String current = p.text(body, "current_password", true, 1024).orElse(null);
        String next = newPassword(body, "new_password", p);
        p.throwIfAny("invalid_password_change");
        int ended = auth.changePassword(Caller.id(ctx), Caller.session(ctx), current, next);
        java.util.Set<java.util.UUID> open = sockets.openSessions();
        sockets.closeEnded(open, auth.activeSessions(open));
        ctx.json(Map.of("other_sessions_ended", ended));
    }
}
