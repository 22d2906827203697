package io.chakrai.lab.ml;

import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskFeatures;
import io.chakrai.models.ml.FeatureTable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The platform's own history as a risk dataset: one row per questionnaire a person answered (an
 * outcome), with the {@link RiskFeatures} the daily risk job stored for the day before it ({@code
 * risk_scores}: the fortnight up to that day's end and the answers carried forward from before —
 * never the answer itself) and the rule's score of that day, so a model and the rule are compared
 * on exactly the same answers. Only people who currently consent to model training; each one's
 * audit trail records the read.
 */
public final class RiskDataset {
    /** What is predicted from the day before an answer. */
    public enum Outcome {
        PHQ9_GE10(
                "phq9",
                10,
                RiskAssessment.LEARNED_MODEL,
                "PHQ-9 ≥ 10 (moderate depression or worse) at the next answer"),
        GAD7_GE10(
                "gad7",
                10,
                "risk_gad7",
                "GAD-7 ≥ 10 (moderate anxiety or worse) at the next answer");

        private final String questionnaire;
        private final int cutOff;
        public final String modelName;
        public final String description;

        Outcome(String questionnaire, int cutOff, String modelName, String description) {
            this.questionnaire = questionnaire;
            this.cutOff = cutOff;
            this.modelName = modelName;
            this.description = description;
        }

        public static Outcome forModel(String name) {
            return Arrays.stream(values())
                    .filter(o -> o.modelName.equals(name))
                    .findFirst()
                    .orElse(null);
        }

        /**
         * SQL: the rows of {@code mental_health_assessments a} that are this questionnaire answered
         * by a person.
         */
        String answered() {
            return "a.trigger = 'request' AND a." + questionnaire + "_answers IS NOT NULL";
        }

        /** SQL: the answer's total. */
        String total() {
            return "(SELECT sum(v) FROM unnest(a." + questionnaire + "_answers) v)::int";
        }

        /** Whether a total is the outcome predicted. */
        int label(int total) {
            return total >= cutOff ? 1 : 0;
        }
    }

    /**
     * SQL: the UTC day before the answer of {@code a}, whose stored features and scores predict it.
     */
    static final String DAY_BEFORE = "(a.created_at AT TIME ZONE 'UTC')::date - 1";

    /**
     * One answer: who, when, the label, its total, the rule's score of the day before, the
     * features.
     */
    public record Row(
            String subject,
            Instant answeredAt,
            int label,
            int total,
            double ruleScore,
            double[] x) {}

    public record Table(Outcome outcome, List<String> features, List<Row> rows, String dataHash) {
        public FeatureTable features(List<Row> subset) {
            return new FeatureTable(
                    features,
                    subset.stream().map(Row::x).toArray(double[][]::new),
                    subset.stream().mapToInt(Row::label).toArray(),
                    subset.stream().map(Row::subject).toArray(String[]::new),
                    dataHash);
        }

        public Instant lastAnswer() {
            return rows.stream().map(Row::answeredAt).max(Instant::compareTo).orElse(Instant.EPOCH);
        }
    }

    private RiskDataset() {}

    /**
     * The answers with their day-before features: every answer, or only those after {@code after}
     * (null: all). The day before is the UTC day before the answer's; an answer on a day the job
     * has not assessed the day before of (no readings then) has no row.
     */
    static String query(Outcome o) {
        StringBuilder cols = new StringBuilder();
        for (String f : RiskFeatures.NAMES) {
            cols.append(", (f.features->>'").append(f).append("')::float8 AS ").append(f);
        }
        return "SELECT a.user_id AS subject, a.created_at AS answered_at, "
                + o.total()
                + " AS total, "
                + "r.score::float8 AS rule_score"
                + cols
                + " FROM mental_health_assessments a "
                + "JOIN LATERAL (SELECT s.features FROM risk_scores s WHERE s.user_id = a.user_id "
                + "AND s.assessed_day = "
                + DAY_BEFORE
                + " ORDER BY (s.role = 'champion') DESC LIMIT 1) f ON true "
                + "LEFT JOIN risk_scores r ON r.user_id = a.user_id AND r.model_version = '"
                + RiskAssessment.MODEL_VERSION
                + "' "
                + "AND r.assessed_day = "
                + DAY_BEFORE
                + " WHERE "
                + o.answered();
    }

    /** Reads the consenting people's answers and records the read in each one's audit trail. */
    public static Table read(Connection c, Outcome o, String modelName) throws SQLException {
        List<Row> rows = new ArrayList<>();
        StringBuilder canonical = new StringBuilder(o.name()).append('\n');
        try (PreparedStatement ps =
                        c.prepareStatement(
                                TrainingData.consenting(query(o), "subject")
                                        + " ORDER BY answered_at, subject");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double[] x = new double[RiskFeatures.NAMES.size()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = rs.getDouble(5 + j);
                }
                int total = rs.getInt(3);
                double rule = rs.getDouble(4);
                if (rs.wasNull()) {
                    rule = Double.NaN;
                }
                Row r =
                        new Row(
                                rs.getString(1),
                                rs.getTimestamp(2).toInstant(),
                                o.label(total),
                                total,
                                rule,
                                x);
                rows.add(r);
                canonical
                        .append(r.subject())
                        .append(',')
                        .append(r.answeredAt())
                        .append(',')
                        .append(total)
                        .append(',')
                        .append(Arrays.toString(x))
                        .append('\n');
            }
        }
        TrainingData.audit(
                c,
                rows.stream().map(Row::subject).toArray(String[]::new),
                RiskFeatures.NAMES.size(),
                modelName);
        return new Table(
                o,
                RiskFeatures.NAMES,
                rows,
                FeatureTable.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static String describe(Table t) {
        long pos = t.rows().stream().filter(r -> r.label() == 1).count();
        return String.format(
                Locale.ROOT,
                "%s: %d answers of %d people, %d positive (%s)",
                t.outcome().name(),
                t.rows().size(),
                t.rows().stream().map(Row::subject).distinct().count(),
                pos,
                t.outcome().description);
    }
}
