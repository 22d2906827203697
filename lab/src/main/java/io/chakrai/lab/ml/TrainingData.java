package io.chakrai.lab.ml;

import io.chakrai.models.ml.FeatureTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The platform's own people as training data, only with their consent and never unseen: a query's rows
 * are kept only for people who currently opt in to model training ({@code current_consents}), and every
 * person whose rows were read gets an entry in their audit trail naming the model it was read for.
 */
public final class TrainingData {
    private TrainingData() {
    }

    /** {@code query} restricted to the rows of people (by {@code subjectColumn}, their user id) who consent. */
    static String consenting(String query, String subjectColumn) {
        String col = "\"" + subjectColumn.replace("\"", "\"\"") + "\"";
        return "SELECT q.* FROM (" + query + ") q WHERE q." + col + "::text IN (SELECT user_id::text FROM current_consents "
                + "WHERE kind = 'model_training' AND granted)";
    }

    /** Reads the table from the consenting people's rows and records the read in each one's audit trail. */
    public static FeatureTable read(Connection c, String query, String subject, String label, Set<String> positive,
                                    Set<String> exclude, String modelName) throws SQLException {
        FeatureTable t = FeatureTable.query(c, consenting(query, subject), subject, label, positive, exclude);
        Map<String, Integer> rows = new TreeMap<>();
        for (String s : t.subjects()) {
            rows.merge(s, 1, Integer::sum);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (user_id, actor, action, what, why) "
                + "VALUES (?, ?, 'read', ?, ?)")) {
            for (var e : rows.entrySet()) {
                ps.setInt(1, Integer.parseInt(e.getKey()));
                ps.setString(2, "job:train:" + modelName);
                ps.setString(3, e.getValue() + " rows of features for training (" + t.features().size() + " features)");
                ps.setString(4, "model training: " + modelName + " (you opted in to model training)");
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return t;
    }
}
