package io.chakrai.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes (at.favre.lib:bcrypt: a small, maintained, pure-Java implementation that
 * also refuses passwords past bcrypt's 72-byte limit instead of silently truncating them).
 */
public final class PasswordHasher {
    /** Passwords longer than bcrypt can hash are refused at registration. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;

    public PasswordHasher(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }
}
