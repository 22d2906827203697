package io.chakrai.models.ml;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Versioned models in {@code model_versions}: register (a new version per name), list, load the
 * exact bytes (their SHA-256 is checked), promote one version to production (the previous one is
 * archived), and roll back to the version that was in production before.
 */
public final class ModelRegistry {
    private final DataSource db;

    public ModelRegistry(DataSource db) {
        this.db = db;
    }

    /** A registered version, without its bytes. */
    public record Version(
            String name,
            int version,
            String kind,
            List<String> features,
            String metricsJson,
            String dataSha256,
            String artifactSha256,
            String createdBy,
            Instant createdAt,
            String stage) {}

    public int register(
            String name,
            TrainedModel model,
            String metricsJson,
            String dataSha256,
            String createdBy)
            throws SQLException {
        byte[] bytes = model.toBytes();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            // serialise registrations of one name, so two trainers never get the same version
            try (PreparedStatement lock =
                    c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "model_versions:" + name);
                lock.execute();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO model_versions (name, version, kind, features, "
                                    + "metrics, data_sha256, artifact, artifact_sha256, created_by) SELECT ?, COALESCE(max(version), 0) + 1, "
                                    + "?, ?, ?::jsonb, ?, ?, ?, ? FROM model_versions WHERE name = ? RETURNING version")) {
                ps.setString(1, name);
                ps.setString(2, model.kind().name().toLowerCase(Locale.ROOT));
                ps.setArray(3, c.createArrayOf("text", model.features().toArray()));
                ps.setString(4, metricsJson);
                ps.setString(5, dataSha256);
                ps.setBytes(6, bytes);
                ps.setString(7, FeatureTable.sha256(bytes));
                ps.setString(8, createdBy);
                ps.setString(9, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int v = rs.getInt(1);
                    c.commit();
                    return v;
                }
            }
        }
    }

    public List<Version> list(String name) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT name, version, kind, "
                                        + "features, metrics::text, data_sha256, artifact_sha256, created_by, created_at, stage FROM model_versions "
                                        + "WHERE name = ? ORDER BY version")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array f = rs.getArray(4);
                    out.add(
                            new Version(
                                    rs.getString(1),
                                    rs.getInt(2),
                                    rs.getString(3),
                                    List.of((String[]) f.getArray()),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getTimestamp(9).toInstant(),
                                    rs.getString(10)));
                }
            }
        }
        return out;
    }

    /** The exact bytes registered, checked against their hash, as a model. */
    public TrainedModel load(String name, int version) throws SQLException, IOException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT artifact, artifact_sha256 FROM model_versions WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("no model " + name + " v" + version);
                }
                byte[] bytes = rs.getBytes(1);
                if (!FeatureTable.sha256(bytes).equals(rs.getString(2))) {
                    throw new IOException(
                            "model " + name + " v" + version + " is corrupt (hash mismatch)");
                }
                return TrainedModel.fromBytes(bytes);
            }
        }
    }

    public Optional<Integer> production(String name) throws SQLException {
        return versionIn(name, "production");
    }

    private Optional<Integer> versionIn(String name, String stage) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT version FROM model_versions WHERE name = ? AND stage = ?")) {
            ps.setString(1, name);
            ps.setString(2, stage);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    /** The version registered as challenger (shadowing production), if any. */
    public Optional<Integer> challenger(String name) throws SQLException {
        return versionIn(name, "challenger");
    }

    /**
     * Registers {@code version} as the challenger: a job that knows the name scores with it beside
     * production and shows its scores to nobody. A previous challenger goes back to candidate; the
     * production version cannot be one.
     */
    public void challenge(String name, int version) throws SQLException {
        move(
                name,
                version,
                "UPDATE model_versions SET stage = 'candidate' WHERE name = ? AND stage = 'challenger'",
                "UPDATE model_versions SET stage = 'challenger', challenger_since = clock_timestamp() WHERE name = ? "
                        + "AND version = ? AND stage <> 'production'",
                "no model "
                        + name
                        + " v"
                        + version
                        + " that could challenge (unknown, or in production)");
    }

    /**
     * Stops the shadowing: the challenger goes back to candidate. Returns whether there was one.
     */
    public boolean endChallenge(String name) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE model_versions SET stage = 'candidate' WHERE name = ? AND stage = 'challenger'")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        }
    }

    /** Makes {@code version} the production one; the previous production version is archived. */
    public void promote(String name, int version) throws SQLException {
        move(
                name,
                version,
                "UPDATE model_versions SET stage = 'archived' WHERE name = ? AND stage = 'production'",
                "UPDATE model_versions SET stage = 'production', promoted_at = clock_timestamp() WHERE name = ? AND version = ?",
                "no model " + name + " v" + version);
    }

    /**
     * In one transaction: the name's versions in the stage are moved out ({@code clear}), then the
     * version in ({@code set}).
     */
    private void move(String name, int version, String clear, String set, String missing)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement out = c.prepareStatement(clear);
                    PreparedStatement in = c.prepareStatement(set)) {
                out.setString(1, name);
                out.executeUpdate();
                in.setString(1, name);
                in.setInt(2, version);
                if (in.executeUpdate() != 1) {
                    c.rollback();
                    throw new SQLException(missing);
                }
                c.commit();
            }
        }
    }

    /** Puts back the version that was in production before the current one; returns it. */
    public int rollback(String name) throws SQLException {
        int current =
                production(name)
                        .orElseThrow(() -> new SQLException(name + " has no production version"));
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT version FROM model_versions WHERE name = ? AND stage = 'archived' AND promoted_at IS NOT NULL "
                                        + "ORDER BY promoted_at DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(
                            name
                                    + " v"
                                    + current
                                    + " is the first production version: nothing to roll back to");
                }
                int previous = rs.getInt(1);
                promote(name, previous);
                return previous;
            }
        }
    }
}
