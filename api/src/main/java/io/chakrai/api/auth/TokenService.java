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
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER))
                .build(clock);
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(int userId) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(Integer.toString(userId))
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /** The user id a valid token was issued for; 401 for a missing, forged or expired one. */
    public int verify(String token) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized("a bearer token is required (Authorization: Bearer <token>)");
        }
        try {
            return Integer.parseInt(verifier.verify(token).getSubject());
        } catch (TokenExpiredException e) {
            throw ApiException.unauthorized("the token has expired; get a new one from /api/v2/auth/token");
        } catch (JWTVerificationException | NumberFormatException e) {
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
