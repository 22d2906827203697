package io.chakrai.api.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/** {@code auth_sessions}, {@code refresh_tokens} and {@code sign_in_throttle}. */
public final class SessionRepository {
    private final DataSource db;

    public SessionRepository(DataSource db) {
        this.db = db;
    }

    /**
     * A new session of {@code user} with its first refresh token (stored as {@code refreshHash}).
     */
    public UUID create(int user, String refreshHash, Instant now, Duration lifetime)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s =
                            c.prepareStatement(
                                    "INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement r =
                            c.prepareStatement(
                                    "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)")) {
                s.setObject(1, id);
                s.setInt(2, user);
                s.setTimestamp(3, Timestamp.from(now));
                s.setTimestamp(4, Timestamp.from(now));
                s.setTimestamp(5, Timestamp.from(now.plus(lifetime)));
                s.executeUpdate();
                r.setString(1, refreshHash);
                r.setObject(2, id);
                r.setTimestamp(3, Timestamp.from(now));
                r.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return id;
    }

    /** What presenting a refresh token did. */
    public sealed interface Rotation {
        /** Rotated: the old token is used up, {@code newHash} is the session's token now. */
        record Rotated(int user, UUID session) implements Rotation {}

        /** The token had been used before: the session is now revoked. */
        record Reused(int user, UUID session) implements Rotation {}

        /** Unknown, or its session is revoked or expired. */
        record Invalid() implements Rotation {}
    }

    /**
     * Uses up {@code hash} and stores {@code newHash} in its place, atomically (row lock on the old
     * token).
     */
    public Rotation rotate(String hash, String newHash, Instant now) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Rotation r = rotate(c, hash, newHash, now);
                c.commit();
                return r;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Rotation rotate(Connection c, String hash, String newHash, Instant now)
            throws SQLException {
        try (PreparedStatement q =
                c.prepareStatement(
                        "SELECT t.used_at, s.id, s.user_id, s.revoked_at, s.expires_at "
                                + "FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = ? FOR UPDATE OF t, s")) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return new Rotation.Invalid();
                }
                UUID session = rs.getObject(2, UUID.class);
                int user = rs.getInt(3);
                if (rs.getTimestamp(4) != null || !rs.getTimestamp(5).toInstant().isAfter(now)) {
                    return new Rotation.Invalid();
                }
                if (rs.getTimestamp(1) != null) {
                    revoke(c, session, "token_reuse", now);
                    return new Rotation.Reused(user, session);
                }
                try (PreparedStatement use =
                                c.prepareStatement(
                                        "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?");
                        PreparedStatement add =
                                c.prepareStatement(
                                        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)");
                        PreparedStatement touch =
                                c.prepareStatement(
                                        "UPDATE auth_sessions SET last_used_at = ? WHERE id = ?")) {
                    use.setTimestamp(1, Timestamp.from(now));
                    use.setString(2, hash);
                    use.executeUpdate();
                    add.setString(1, newHash);
                    add.setObject(2, session);
                    add.setTimestamp(3, Timestamp.from(now));
                    add.executeUpdate();
                    touch.setTimestamp(1, Timestamp.from(now));
                    touch.setObject(2, session);
                    touch.executeUpdate();
                }
                return new Rotation.Rotated(user, session);
            }
        }
    }

    /** The account of an active session: who, and their role. */
    public record Active(int userId, String role) {}

    /** The account of a session that is neither revoked nor expired. */
    public Optional<Active> active(UUID session, Instant now) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement q =
                        c.prepareStatement(
                                "SELECT s.user_id, u.role FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                                        + "WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ?")) {
            q.setObject(1, session);
            q.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Active(rs.getInt(1), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** Which of {@code sessions} are still active (for closing the sockets of the others). */
    public Set<UUID> stillActive(Collection<UUID> sessions, Instant now) throws SQLException {
        Set<UUID> out = new HashSet<>();
        if (sessions.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
                PreparedStatement q =
                        c.prepareStatement(
                                "SELECT id FROM auth_sessions WHERE id = ANY (?) AND revoked_at IS NULL AND expires_at > ?")) {
            q.setArray(1, c.createArrayOf("uuid", sessions.toArray()));
            q.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    public void revoke(UUID session, String why, Instant now) throws SQLException {
        try (Connection c = db.getConnection()) {
            revoke(c, session, why, now);
        }
    }

    private static void revoke(Connection c, UUID session, String why, Instant now)
            throws SQLException {
        try (PreparedStatement u =
                c.prepareStatement(
                        "UPDATE auth_sessions SET revoked_at = ?, revoked_why = ? WHERE id = ? AND revoked_at IS NULL")) {
            u.setTimestamp(1, Timestamp.from(now));
            u.setString(2, why);
            u.setObject(3, session);
            u.executeUpdate();
        }
    }

    /**
     * Revokes every active session of {@code user} but {@code keep} (null: all); returns how many.
     */
    public int revokeAll(int user, UUID keep, String why, Instant now) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement u =
                        c.prepareStatement(
                                "UPDATE auth_sessions SET revoked_at = ?, revoked_why = ? WHERE user_id = ? AND revoked_at IS NULL"
                                        + (keep == null ? "" : " AND id <> ?"))) {
            u.setTimestamp(1, Timestamp.from(now));
            u.setString(2, why);
            u.setInt(3, user);
            if (keep != null) {
                u.setObject(4, keep);
            }
            return u.executeUpdate();
        }
    }

    // ---- throttle ----

    /** Until when {@code key} is locked, if it is. */
    public Optional<Instant> lockedUntil(String key, Instant now) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement q =
                        c.prepareStatement(
                                "SELECT locked_until FROM sign_in_throttle WHERE key = ? AND locked_until > ?")) {
            q.setString(1, key);
            q.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /**
     * Counts one more failure of {@code key} (forgetting old ones) and locks it as {@code rule}
     * says.
     */
    public void failed(String key, ThrottleRule rule, Instant now) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int failures;
                try (PreparedStatement up =
                        c.prepareStatement(
                                "INSERT INTO sign_in_throttle (key, failures, last_failure) "
                                        + "VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN sign_in_throttle.last_failure < ? "
                                        + "THEN 1 ELSE sign_in_throttle.failures + 1 END, last_failure = EXCLUDED.last_failure RETURNING failures")) {
                    up.setString(1, key);
                    up.setTimestamp(2, Timestamp.from(now));
                    up.setTimestamp(3, Timestamp.from(now.minus(rule.forgetAfter())));
                    try (ResultSet rs = up.executeQuery()) {
                        rs.next();
                        failures = rs.getInt(1);
                    }
                }
                Duration lock = rule.lockAfter(failures);
                if (!lock.isZero()) {
                    try (PreparedStatement l =
                            c.prepareStatement(
                                    "UPDATE sign_in_throttle SET locked_until = ? WHERE key = ?")) {
                        l.setTimestamp(1, Timestamp.from(now.plus(lock)));
                        l.setString(2, key);
                        l.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A successful sign-in clears the account's failures. */
    public void succeeded(String key) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement d =
                        c.prepareStatement("DELETE FROM sign_in_throttle WHERE key = ?")) {
            d.setString(1, key);
            d.executeUpdate();
        }
    }
}
