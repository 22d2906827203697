package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.ml.ModelRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The champion and a challenger of a risk model on the outcomes that arrived since the challenger
 * was trained: every questionnaire answered after its training data ends, by a person who consents
 * to model training, scored by both versions on the day before (their {@code risk_scores} rows,
 * written by the running job). The challenger is better when, on at least {@link #MIN_OUTCOMES}
 * such answers with both outcomes present, its ROC AUC is higher.
 */
final class ShadowComparison {
    static final int MIN_OUTCOMES = 20;

    record Result(
            String champion,
            String challenger,
            Instant since,
            RiskComparison comparison,
            boolean better,
            String why) {}

    private ShadowComparison() {}

    private static double threshold(String metricsJson) {
        try {
            return Json.MAPPER.readTree(metricsJson).path("decision_threshold").asDouble(0.5);
        } catch (Exception e) {
            return 0.5;
        }
    }

    static Result of(DataSource db, String name, int version) throws SQLException {
        ModelRegistry registry = new ModelRegistry(db);
        ModelRegistry.Version v =
                registry.list(name).stream()
                        .filter(x -> x.version() == version)
                        .findFirst()
                        .orElseThrow(() -> new SQLException("no model " + name + " v" + version));
        JsonNode metrics;
        try {
            metrics = Json.MAPPER.readTree(v.metricsJson());
        } catch (Exception e) {
            throw new SQLException(name + " v" + version + " has no readable training report", e);
        }
        RiskDataset.Outcome outcome =
                RiskDataset.Outcome.valueOf(metrics.path("outcome").asText("PHQ9_GE10"));
        Instant since =
                Instant.parse(metrics.path("trained_until").asText(v.createdAt().toString()));
        Optional<Integer> production = registry.production(name).filter(p -> p != version);
        String champion =
                production
                        .map(p -> RiskAssessment.versionOf(name, p))
                        .orElse(RiskAssessment.MODEL_VERSION);
        double championCut = 0.25;
        if (production.isPresent()) {
            int pv = production.get();
            championCut =
                    registry.list(name).stream()
                            .filter(x -> x.version() == pv)
                            .findFirst()
                            .map(x -> threshold(x.metricsJson()))
                            .orElse(0.5);
        }
        String challenger = RiskAssessment.versionOf(name, version);
        String sql =
                TrainingData.consenting(
                                "SELECT a.user_id AS subject, a.created_at, "
                                        + outcome.total()
                                        + " AS total, "
                                        + "c.score::float8 AS champion, s.score::float8 AS challenger FROM mental_health_assessments a "
                                        + "JOIN risk_scores c ON c.user_id = a.user_id AND c.model_version = ? AND c.assessed_day = "
                                        + RiskDataset.DAY_BEFORE
                                        + " JOIN risk_scores s ON s.user_id = a.user_id AND s.model_version = ? "
                                        + "AND s.assessed_day = c.assessed_day WHERE "
                                        + outcome.answered()
                                        + " AND a.created_at > ?",
                                "subject")
                        + " ORDER BY created_at";
        List<String> subjects = new ArrayList<>();
        List<int[]> y = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, champion);
            ps.setString(2, challenger);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    subjects.add(rs.getString(1));
                    y.add(new int[] {outcome.label(rs.getInt(3))});
                    p.add(new double[] {rs.getDouble(4) / 100, rs.getDouble(5) / 100});
                }
            }
            TrainingData.audit(
                    c,
                    subjects.toArray(String[]::new),
                    name,
                    "risk scores and answers for comparing " + champion + " with " + challenger,
                    "model evaluation: " + name);
        }
        int[] labels = y.stream().mapToInt(a -> a[0]).toArray();
        RiskComparison cmp =
                new RiskComparison(
                        "Shadowed: answers since " + since + " (" + outcome.description + ")",
                        labels,
                        List.of(
                                new RiskComparison.Scorer(
                                        champion + " (champion)",
                                        p.stream().mapToDouble(a -> a[0]).toArray(),
                                        championCut),
                                new RiskComparison.Scorer(
                                        challenger + " (challenger)",
                                        p.stream().mapToDouble(a -> a[1]).toArray(),
                                        metrics.path("decision_threshold").asDouble(0.5))));
        long pos = cmp.positives();
        double a0 = cmp.scorers().get(0).metrics(labels).auc();
        double a1 = cmp.scorers().get(1).metrics(labels).auc();
        String why;
        boolean better = false;
        if (labels.length < MIN_OUTCOMES || pos == 0 || pos == labels.length) {
            why =
                    String.format(
                            Locale.ROOT,
                            "%d outcomes since %s (%d positive): at least %d with both kinds are needed to "
                                    + "judge",
                            labels.length,
                            since,
                            pos,
                            MIN_OUTCOMES);
        } else if (a1 > a0) {
            better = true;
            why =
                    String.format(
                            Locale.ROOT,
                            "%s is better: ROC AUC %.3f vs %.3f on %d outcomes",
                            challenger,
                            a1,
                            a0,
                            labels.length);
        } else {
            why =
                    String.format(
                            Locale.ROOT,
                            "%s is not better: ROC AUC %.3f vs %.3f on %d outcomes",
                            challenger,
                            a1,
                            a0,
                            labels.length);
        }
        return new Result(champion, challenger, since, cmp, better, why);
    }
}
