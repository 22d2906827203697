package io.chakrai.api.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import io.chakrai.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Signed bearer tokens: HS256 JWTs (auth0 java-jwt, a maintained library that checks signature,
 * expiry and issuer for us) with the user id as subject and an expiry.
 */
public final class TokenService {
    static final String ISSUER = "chakrai";
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = ttl;
        this.clock = clock;
        this.verifier =
                ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER))
                        .build(clock);
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * What a valid token says: whose it is and which sign-in session it belongs to (null in tokens
     * without one).
     */
    public record Claims(int userId, UUID session) {}

    /** An access token of {@code userId}'s sign-in {@code session}. */
    public String issue(int userId, UUID session) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(Integer.toString(userId))
                .withClaim("sid", session == null ? null : session.toString())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /**
     * The claims of a token with a valid signature, issuer and expiry; 401 for a missing, forged or
     * expired one. Whether its session is still active is {@link AuthService#authenticate}'s
     * question.
     */
    public Claims verify(String token) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized(
                    "a bearer token is required (Authorization: Bearer <token>)");
        }
        try {
            var jwt = verifier.verify(token);
            String sid = jwt.getClaim("sid").asString();
            return new Claims(
                    Integer.parseInt(jwt.getSubject()), sid == null ? null : UUID.fromString(sid));
        } catch (TokenExpiredException e) {
            throw ApiException.unauthorized(
                    "the token has expired; get a new one with your refresh token from "
                            + "/api/v2/auth/refresh");
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw ApiException.unauthorized("the token is not valid");
        }
    }

    /** The token of an {@code Authorization: Bearer ...} header value, or null. */
    public static String fromHeader(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }
}
