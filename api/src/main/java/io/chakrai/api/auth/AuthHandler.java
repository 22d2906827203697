package io.chakrai.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /api/v2/auth/register} and {@code POST /api/v2/auth/token}. */
public final class AuthHandler {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    public static final int MIN_PASSWORD_LENGTH = 10;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    /** Compared against when the e-mail is unknown, so a login takes as long either way. */
    private final String decoyHash;

    public AuthHandler(UserRepository users, PasswordHasher hasher, TokenService tokens) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.decoyHash = hasher.hash("decoy-password-never-used");
    }

    public void register(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String email = p.text(body, "email", true, 254).orElse(null);
        if (email != null && !EMAIL.matcher(email).matches()) {
            p.add("email", "is not an e-mail address");
        }
        String password = null;
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual()) {
            p.add("password", "is required (a string of at least " + MIN_PASSWORD_LENGTH + " characters)");
        } else if (pw.asText().length() < MIN_PASSWORD_LENGTH) {
            p.add("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        } else if (pw.asText().getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            p.add("password", "must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes");
        } else {
            password = pw.asText();
        }
        String displayName = p.text(body, "display_name", false, 100).orElse(null);
        p.throwIfAny("invalid_registration");

        var id = users.create(email, hasher.hash(password), displayName)
                .orElseThrow(() -> new ApiException(409, "email_taken", "an account with this e-mail already exists"));
        ctx.status(HttpStatus.CREATED).json(Map.of("id", id, "email", email));
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

        var user = users.byEmail(email);
        boolean ok = hasher.matches(pw.asText(), user.map(UserRepository.StoredUser::passwordHash).orElse(decoyHash))
                && user.isPresent();
        if (!ok) {
            throw ApiException.unauthorized("e-mail or password is wrong");
        }
        int id = user.get().id();
        ctx.json(Map.of(
                "access_token", tokens.issue(id),
                "token_type", "Bearer",
                "expires_in", tokens.ttl().toSeconds(),
                "user_id", id));
    }
}
