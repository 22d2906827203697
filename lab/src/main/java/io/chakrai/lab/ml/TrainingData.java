package io.chakrai.lab.ml;

import io.chakrai.models.ml.FeatureTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The platform's own people as training data, only with their consent and never unseen: a query's
 * rows are kept only for people who currently opt in to model training ({@code current_consents}),
 * and every person whose rows were read gets an entry in their audit trail naming the model it was
 * read for.
 */
public final class TrainingData {
    private TrainingData() {}

    /**
     * {@code query} restricted to the rows of people (by {@code subjectColumn}, their user id) who
     * consent.
     */
    static String consenting(String query, String subjectColumn) {
        String col = "\"" + subjectColumn.replace("\"", "\"\"") + "\"";
        return "SELECT q.* FROM ("
                + query
                + ") q WHERE q."
                + col
                + "::text IN (SELECT user_id::text FROM current_consents "
                + "WHERE kind = 'model_training' AND granted)";
    }

    /**
     * Reads the table from the consenting people's rows and records the read in each one's audit
     * trail.
     */
    public static FeatureTable read(
            Connection c,
            String query,
            String subject,
            String label,
            Set<String> positive,
            Set<String> exclude,
            String modelName)
            throws SQLException {
        FeatureTable t =
                FeatureTable.query(
                        c, consenting(query, subject), subject, label, positive, exclude);
        audit(c, t.subjects(), t.features().size(), modelName);
        return t;
    }

    /**
     * One entry in each person's audit trail: how many of their rows were read to train {@code
     * modelName}.
     */
    static void audit(Connection c, String[] subjectOfEachRow, int features, String modelName)
            throws SQLException {
        audit(
                c,
                subjectOfEachRow,
                modelName,
                "features for training (" + features + " features)",
                "model training: " + modelName);
    }

    /** The same for any read for a model's sake: "N rows of {@code what}", and why. */
    static void audit(
            Connection c, String[] subjectOfEachRow, String modelName, String what, String why)
            throws SQLException {
        Map<String, Integer> rows = new TreeMap<>();
        for (String s : subjectOfEachRow) {
            rows.merge(s, 1, Integer::sum);
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO audit_log (user_id, actor, action, what, why) "
                                + "VALUES (?, ?, 'read', ?, ?)")) {
            for (var e : rows.entrySet()) {
                ps.setInt(1, Integer.parseInt(e.getKey()));
                ps.setString(2, "job:train:" + modelName);
                ps.setString(3, e.getValue() + " rows of " + what);
                ps.setString(4, why + " (you opted in to model training)");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
