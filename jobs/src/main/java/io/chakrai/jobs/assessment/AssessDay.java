package io.chakrai.jobs.assessment;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.models.Json;
import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskFeatures;
import io.chakrai.models.assessment.RiskInputs;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a closed day with what PostgreSQL knows as of the day's end — stress episodes per day
 * (written by the stress graph), the latest questionnaire answers of the two weeks before, the
 * latest voice score — and scores it: with {@link RiskAssessment} (the rule), and with the
 * registered risk model's production version (the champion, when there is one) and challenger (when
 * one is registered). The champion's assessment is the day's row; every version's score goes to the
 * side output with the day's {@link RiskFeatures}, the challenger's only there (it is shown to
 * nobody). Which versions run is read from the registry when the task starts and again every {@code
 * refreshSeconds} on a thread of its own, so a promotion or a new challenger takes effect in the
 * running job; gauges {@code riskChampion} / {@code riskChallenger} name them in the Flink UI. One
 * short query batch per person and day; a lost connection is reopened once, and a second failure
 * fails the task (it restarts from the last checkpoint).
 */
final class AssessDay extends ProcessFunction<RiskGraph.DayClosed, RiskGraph.Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AssessDay.class);

    /** Every version's score of a day (rule, champion, challenger), for {@code risk_scores}. */
    static final OutputTag<RiskGraph.Score> SCORES = new OutputTag<>("risk-scores") {};

    private static final String EPISODES =
            "SELECT (prediction_time AT TIME ZONE 'UTC')::date, count(*) FROM health_predictions "
                    + "WHERE user_id = ? AND prediction_type = 'stress_episode' AND prediction_time >= ? AND prediction_time < ? GROUP BY 1";
    private static final String ANSWERS =
            "SELECT phq9_answers, gad7_answers FROM mental_health_assessments WHERE user_id = ? "
                    + "AND (phq9_answers IS NOT NULL OR gad7_answers IS NOT NULL) AND created_at > ? AND created_at <= ? "
                    + "ORDER BY created_at DESC LIMIT 1";
    private static final String VOICE =
            "SELECT overall_mental_state_score FROM voice_health_analysis WHERE user_id = ? "
                    + "AND overall_mental_state_score IS NOT NULL AND created_at <= ? ORDER BY created_at DESC LIMIT 1";

    private final String url;
    private final String user;
    private final String password;
    private final String modelName;
    private final long refreshSeconds;
    private transient Connection db;
    private transient ModelRegistry registry;
    private transient volatile Loaded champion;
    private transient volatile Loaded challenger;
    private transient java.util.concurrent.ScheduledExecutorService refresher;

    /** A registered version in use, with its bytes loaded. */
    private record Loaded(int version, String label, TrainedModel model) {}

    AssessDay(String url, String user, String password, String modelName, long refreshSeconds) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.modelName = modelName;
        this.refreshSeconds = refreshSeconds;
    }

    @Override
    public void open(OpenContext ctx) throws SQLException {
        db = DriverManager.getConnection(url, user, password);
        registry = new ModelRegistry(SourceOptions.dataSource(url, user, password));
        if (modelName != null && !modelName.isBlank()) {
            refreshModels();
            // re-read on a clock of its own, so a promotion shows (gauges, next day) even while no
            // day closes
            refresher =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "risk-model-refresh");
                                t.setDaemon(true);
                                return t;
                            });
            refresher.scheduleWithFixedDelay(
                    this::refreshModels,
                    refreshSeconds,
                    refreshSeconds,
                    java.util.concurrent.TimeUnit.SECONDS);
        }
        getRuntimeContext()
                .getMetricGroup()
                .gauge(
                        "riskChampion",
                        (Gauge<String>)
                                () ->
                                        champion == null
                                                ? RiskAssessment.MODEL_VERSION
                                                : champion.label());
        getRuntimeContext()
                .getMetricGroup()
                .gauge(
                        "riskChallenger",
                        (Gauge<String>) () -> challenger == null ? "none" : challenger.label());
    }

    /** Re-reads which versions are production and challenger (every {@code refreshSeconds}). */
    private void refreshModels() {
        try {
            champion = load(registry.production(modelName), champion);
            challenger = load(registry.challenger(modelName), challenger);
        } catch (Exception e) {
            // the registry is unreadable for now: keep what runs (the rule at worst), try again
            // later
            LOG.warn("cannot read the model registry for {}: {}", modelName, e.toString());
        }
    }

    private Loaded load(Optional<Integer> version, Loaded current) throws Exception {
        if (version.isEmpty()) {
            return null;
        }
        if (current != null && current.version() == version.get()) {
            return current;
        }
        TrainedModel m = registry.load(modelName, version.get());
        RiskFeatures.requireKnown(m.features());
        String label = RiskAssessment.versionOf(modelName, version.get());
        LOG.info("risk: {} loaded", label);
        return new Loaded(version.get(), label, m);
    }

    @Override
    public void close() throws SQLException {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    public void processElement(RiskGraph.DayClosed d, Context ctx, Collector<RiskGraph.Row> out)
            throws Exception {
        try {
            assess(d, ctx, out);
        } catch (SQLException e) {
            db.close();
            db = DriverManager.getConnection(url, user, password);
            assess(d, ctx, out);
        }
    }

    private void assess(RiskGraph.DayClosed d, Context ctx, Collector<RiskGraph.Row> out)
            throws Exception {
        Timestamp end = Timestamp.from(Instant.ofEpochSecond((d.epochDay() + 1) * 86_400));
        Timestamp from =
                Timestamp.from(
                        Instant.ofEpochSecond(
                                (d.epochDay() + 1 - DailyFeaturesFunction.HISTORY_DAYS) * 86_400));
        Map<LocalDate, Integer> episodes = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement(EPISODES)) {
            ps.setInt(1, d.userId());
            ps.setTimestamp(2, from);
            ps.setTimestamp(3, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    episodes.put(rs.getObject(1, LocalDate.class), rs.getInt(2));
                }
            }
        }
        int[] phq9 = null;
        int[] gad7 = null;
        try (PreparedStatement ps = db.prepareStatement(ANSWERS)) {
            ps.setInt(1, d.userId());
            ps.setTimestamp(2, from);
            ps.setTimestamp(3, end);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    phq9 = ints(rs.getArray(1));
                    gad7 = ints(rs.getArray(2));
                }
            }
        }
        double voice = Double.NaN;
        try (PreparedStatement ps = db.prepareStatement(VOICE)) {
            ps.setInt(1, d.userId());
            ps.setTimestamp(2, end);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    voice = rs.getDouble(1);
                }
            }
        }
        List<DailySummary> days = summaries(d, episodes);
        LocalDate day = LocalDate.ofEpochDay(d.epochDay());
        RiskAssessment rule =
                RiskAssessment.assess(RiskInputs.fromDays(phq9, gad7, days, day, voice));
        Map<String, Double> features = RiskFeatures.of(phq9, gad7, days, day, voice);
        String featuresJson = Json.MAPPER.writeValueAsString(features);
        Loaded champ = champion;
        Loaded chall = challenger;
        RiskAssessment a =
                champ == null ? rule : rule.scoredBy(probability(champ, features), champ.label());
        String version = champ == null ? RiskAssessment.MODEL_VERSION : champ.label();
        out.collect(
                new RiskGraph.Row(
                        d.userId(),
                        d.epochDay(),
                        version,
                        a.assessmentType(),
                        a.riskLevel(),
                        a.score(),
                        a.confidence(),
                        a.primaryRiskFactors().toArray(String[]::new),
                        a.protectiveFactors().toArray(String[]::new),
                        a.professionalEscalation(),
                        Json.MAPPER.writeValueAsString(a.contributions())));
        ctx.output(
                SCORES,
                new RiskGraph.Score(
                        d.userId(),
                        d.epochDay(),
                        RiskAssessment.MODEL_VERSION,
                        champ == null ? "champion" : "reference",
                        rule.score(),
                        featuresJson));
        if (champ != null) {
            ctx.output(
                    SCORES,
                    new RiskGraph.Score(
                            d.userId(),
                            d.epochDay(),
                            champ.label(),
                            "champion",
                            a.score(),
                            featuresJson));
        }
        if (chall != null && (champ == null || chall.version() != champ.version())) {
            double p = probability(chall, features);
            ctx.output(
                    SCORES,
                    new RiskGraph.Score(
                            d.userId(),
                            d.epochDay(),
                            chall.label(),
                            "challenger",
                            Math.round(p * 10_000) / 100.0,
                            featuresJson));
        }
    }

    private static double probability(Loaded m, Map<String, Double> features) {
        return m.model()
                .probabilities(
                        new double[][] {RiskFeatures.vector(features, m.model().features())})[0];
    }

    /** The day rows as {@link DailySummary}s, each with its stress episodes from the table. */
    static List<DailySummary> summaries(RiskGraph.DayClosed d, Map<LocalDate, Integer> episodes) {
        List<DailySummary> out = new ArrayList<>();
        for (double[] r : d.days()) {
            LocalDate day = LocalDate.ofEpochDay((long) r[0]);
            out.add(new DailySummary(day, r[1], episodes.getOrDefault(day, 0), r[2], r[3], r[4]));
        }
        return out;
    }

    private static int[] ints(Array a) throws SQLException {
        if (a == null) {
            return null;
        }
        Object[] v = (Object[]) a.getArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = ((Number) v[i]).intValue();
        }
        return out;
    }
}
