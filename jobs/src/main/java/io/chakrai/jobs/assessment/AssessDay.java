package io.chakrai.jobs.assessment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.analytics.DailySummary;
import io.chakrai.models.assessment.RiskAssessment;
import io.chakrai.models.assessment.RiskInputs;
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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Completes a closed day with what PostgreSQL knows as of the day's end — stress episodes per day (written by
 * the stress job), the latest questionnaire answers of the two weeks before, the latest voice score — and
 * scores it with {@link RiskAssessment}. One short query batch per person and day; a lost connection is
 * reopened once, and a second failure fails the task (it restarts from the last checkpoint).
 */
final class AssessDay extends RichMapFunction<RiskAssessmentJob.DayClosed, RiskAssessmentJob.Row> {
    private static final long serialVersionUID = 1L;
    private static final String EPISODES = "SELECT (prediction_time AT TIME ZONE 'UTC')::date, count(*) FROM health_predictions "
            + "WHERE user_id = ? AND prediction_type = 'stress_episode' AND prediction_time >= ? AND prediction_time < ? GROUP BY 1";
    private static final String ANSWERS = "SELECT phq9_answers, gad7_answers FROM mental_health_assessments WHERE user_id = ? "
            + "AND (phq9_answers IS NOT NULL OR gad7_answers IS NOT NULL) AND created_at > ? AND created_at <= ? "
            + "ORDER BY created_at DESC LIMIT 1";
    private static final String VOICE = "SELECT overall_mental_state_score FROM voice_health_analysis WHERE user_id = ? "
            + "AND overall_mental_state_score IS NOT NULL AND created_at <= ? ORDER BY created_at DESC LIMIT 1";

    private final String url;
    private final String user;
    private final String password;
    private transient Connection db;
    private transient ObjectMapper json;

    AssessDay(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public void open(OpenContext ctx) throws SQLException {
        json = new ObjectMapper();
        db = DriverManager.getConnection(url, user, password);
    }

    @Override
    public void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Override
    public RiskAssessmentJob.Row map(RiskAssessmentJob.DayClosed d) throws Exception {
        try {
            return assess(d);
        } catch (SQLException e) {
            close();
            db = DriverManager.getConnection(url, user, password);
            return assess(d);
        }
    }

    private RiskAssessmentJob.Row assess(RiskAssessmentJob.DayClosed d) throws Exception {
        Timestamp end = Timestamp.from(Instant.ofEpochSecond((d.epochDay() + 1) * 86_400));
        Timestamp from = Timestamp.from(Instant.ofEpochSecond((d.epochDay() + 1 - DailyFeaturesFunction.HISTORY_DAYS) * 86_400));
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
        RiskAssessment a = RiskAssessment.assess(RiskInputs.fromDays(phq9, gad7, summaries(d, episodes),
                LocalDate.ofEpochDay(d.epochDay()), voice));
        return new RiskAssessmentJob.Row(d.userId(), d.epochDay(), a.assessmentType(), a.riskLevel(), a.score(),
                a.confidence(), a.primaryRiskFactors().toArray(String[]::new), a.protectiveFactors().toArray(String[]::new),
                a.professionalEscalation(), json.writeValueAsString(a.contributions()));
    }

    /** The day rows as {@link DailySummary}s, each with its stress episodes from the table. */
    static List<DailySummary> summaries(RiskAssessmentJob.DayClosed d, Map<LocalDate, Integer> episodes) {
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
