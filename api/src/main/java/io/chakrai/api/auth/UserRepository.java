package io.chakrai.api.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code users} table. */
public final class UserRepository {
    private final DataSource db;

    public UserRepository(DataSource db) {
        this.db = db;
    }

    public record StoredUser(int id, String email, String passwordHash, String displayName) {}

    /** Inserts a user; empty when the e-mail address is taken. */
    public Optional<Integer> create(String email, String passwordHash, String displayName)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO users (email, password_hash, display_name) "
                                        + "VALUES (?, ?, ?) ON CONFLICT ((lower(email))) DO NOTHING RETURNING id")) {
            ps.setString(1, email);
            ps.setString(2, passwordHash);
            ps.setString(3, displayName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    public Optional<StoredUser> byEmail(String email) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, email, password_hash, display_name FROM users WHERE lower(email) = lower(?)")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new StoredUser(
                                        rs.getInt(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    public Optional<StoredUser> byId(int id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, email, password_hash, display_name FROM users WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new StoredUser(
                                        rs.getInt(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    public void setPasswordHash(int id, String passwordHash) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, passwordHash);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    /** Gives the account of {@code email} a role; false when there is no such account. */
    public boolean setRole(String email, String role) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE users SET role = ? WHERE lower(email) = lower(?)")) {
            ps.setString(1, role);
            ps.setString(2, email);
            return ps.executeUpdate() == 1;
        }
    }
}
