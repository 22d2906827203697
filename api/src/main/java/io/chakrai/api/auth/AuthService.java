package io.chakrai.api.auth;

import io.chakrai.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Signing in, staying signed in, and signing out — the rules, no HTTP. A sign-in opens a session
 * with a short-lived access token (the configured lifetime, 15 minutes by default) and a refresh
 * token that rotates on every use for up to {@link #SESSION_LIFETIME}; a refresh token presented
 * twice revokes its session. Wrong passwords are throttled per account and per client address
 * ({@link ThrottleRule}), with the same answer and the same work for an unknown account as for a
 * wrong password.
 */
public final class AuthService {
    public static final Duration SESSION_LIFETIME = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a sign-in or a refresh hands out. */
    public record Tokens(
            int userId,
            UUID session,
            String accessToken,
            long expiresIn,
            String refreshToken,
            long refreshExpiresIn) {}

    /**
     * {@link Tokens} as the API answers a sign-in or a refresh: an OAuth-style bearer token, its
     * lifetime in seconds, and the refresh token with its own.
     */
    public record TokenReply(
            String accessToken,
            String tokenType,
            long expiresIn,
            String refreshToken,
            long refreshExpiresIn,
            int userId) {
        public static TokenReply of(Tokens t) {
            return new TokenReply(
                    t.accessToken(),
                    "Bearer",
                    t.expiresIn(),
                    t.refreshToken(),
                    t.refreshExpiresIn(),
                    t.userId());
        }
    }

    /** A new account: its id and e-mail. */
    public record Registered(int id, String email) {}

    /**
     * The caller of a request: an account, its sign-in session, and its role ({@code users.role}).
     */
    public record Authenticated(int userId, UUID session, String role) {}

    private final UserRepository users;
    private final SessionRepository sessions;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Clock clock;

    /** Compared against when the e-mail is unknown, so a sign-in takes as long either way. */
    private final String decoyHash;

    public AuthService(
            UserRepository users,
            SessionRepository sessions,
            PasswordHasher hasher,
            TokenService tokens,
            Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.tokens = tokens;
        this.clock = clock;
        this.decoyHash = hasher.hash("decoy-password-never-used");
    }

    /** A new account; 409 {@code email_taken} when the e-mail has one. */
    public Registered register(String email, String password, String displayName)
            throws SQLException {
        return new Registered(
                users.create(email, hasher.hash(password), displayName)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                409,
                                                "email_taken",
                                                "an account with this e-mail already exists")),
                email);
    }

    public Tokens signIn(String email, String password, String address) throws SQLException {
        Instant now = clock.instant();
        String account = throttleKey(email);
        String client = "address:" + address;
        Optional<Instant> until =
                later(sessions.lockedUntil(account, now), sessions.lockedUntil(client, now));
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, until.get()).toMillis() / 1000 + 1);
            throw ApiException.tooManyRequests(
                    "too many failed sign-ins; try again in " + seconds + " s", seconds);
        }
        var user = users.byEmail(email);
        boolean ok =
                hasher.matches(
                                password,
                                user.map(UserRepository.StoredUser::passwordHash).orElse(decoyHash))
                        && user.isPresent();
        if (!ok) {
            sessions.failed(account, ThrottleRule.ACCOUNT, now);
            sessions.failed(client, ThrottleRule.ADDRESS, now);
            throw ApiException.unauthorized("e-mail or password is wrong");
        }
        sessions.succeeded(account);
        String refresh = newRefreshToken();
        UUID session = sessions.create(user.get().id(), sha256(refresh), now, SESSION_LIFETIME);
        return tokens(user.get().id(), session, refresh);
    }

    /** A new access token and the next refresh token; the presented one is used up. */
    public Tokens refresh(String refreshToken) throws SQLException {
        String next = newRefreshToken();
        var r = sessions.rotate(sha256(refreshToken), sha256(next), clock.instant());
        if (r instanceof SessionRepository.Rotation.Rotated ok) {
            return tokens(ok.user(), ok.session(), next);
        }
        if (r instanceof SessionRepository.Rotation.Reused) {
            throw ApiException.unauthorized(
                    "this refresh token was already used, so it may have been copied: its "
                            + "session is now signed out; sign in again");
        }
        throw ApiException.unauthorized(
                "the refresh token is not valid (unknown, expired or signed out); sign in again");
    }

    /** The caller of an access token whose session is still active; 401 otherwise. */
    public Authenticated authenticate(String accessToken) throws SQLException {
        TokenService.Claims c = tokens.verify(accessToken);
        Optional<SessionRepository.Active> a =
                c.session() == null
                        ? Optional.empty()
                        : sessions.active(c.session(), clock.instant())
                                .filter(s -> s.userId() == c.userId());
        if (a.isEmpty()) {
            throw ApiException.unauthorized(
                    "this sign-in has ended (signed out, or the password was changed); sign in again");
        }
        return new Authenticated(c.userId(), c.session(), a.get().role());
    }

    /** Which of {@code sessions} are still active. */
    public Set<UUID> activeSessions(Set<UUID> sessions) throws SQLException {
        return this.sessions.stillActive(sessions, clock.instant());
    }

    public void signOut(UUID session) throws SQLException {
        sessions.revoke(session, "sign_out", clock.instant());
    }

    /** Ends every session of the person, this one too; returns how many. */
    public int signOutEverywhere(int user) throws SQLException {
        return sessions.revokeAll(user, null, "sign_out_everywhere", clock.instant());
    }

    /**
     * Changes the password after checking the current one; every other session of the person ends.
     */
    public int changePassword(int user, UUID session, String current, String next)
            throws SQLException {
        var stored =
                users.byId(user).orElseThrow(() -> ApiException.unauthorized("no such person"));
        if (!hasher.matches(current, stored.passwordHash())) {
            throw new ApiException(403, "wrong_password", "current_password: is not your password");
        }
        users.setPasswordHash(user, hasher.hash(next));
        return sessions.revokeAll(user, session, "password_changed", clock.instant());
    }

    private Tokens tokens(int user, UUID session, String refresh) {
        return new Tokens(
                user,
                session,
                tokens.issue(user, session),
                tokens.ttl().toSeconds(),
                refresh,
                SESSION_LIFETIME.toSeconds());
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().isAfter(a.get()) ? b : a;
    }

    private static String newRefreshToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * The throttle's key of an account: a hash of the lower-cased e-mail, the same whether the
     * account exists or not.
     */
    public static String throttleKey(String email) {
        return "account:" + sha256(email.trim().toLowerCase(Locale.ROOT));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
