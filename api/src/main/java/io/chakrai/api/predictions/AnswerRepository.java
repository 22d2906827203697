package io.chakrai.api.predictions;

import io.chakrai.models.stress.StressAnswers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code stress_answers}: what people said of their own stress, always scoped to the caller. The
 * stress job learns each person's own model from the change stream of this table.
 */
public final class AnswerRepository {
    private static final String COLUMNS =
            "id, kind, prediction_id, answer, stress_level, minute_start, created_at";
    private final DataSource db;

    public AnswerRepository(DataSource db) {
        this.db = db;
    }

    /**
     * The onset minute of one of the caller's stress episodes (the job stamps an episode's
     * prediction at the end of that minute); empty when no such prediction is theirs; {@code
     * NOT_AN_EPISODE} of another kind.
     */
    public java.util.Optional<Instant> episodeOnset(int user, long predictionId)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT prediction_type, prediction_time FROM health_predictions WHERE id = ? AND user_id = ?")) {
            ps.setLong(1, predictionId);
            ps.setInt(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(
                        "stress_episode".equals(rs.getString(1))
                                ? rs.getTimestamp(2).toInstant().minusSeconds(60)
                                : NOT_AN_EPISODE);
            }
        }
    }

    /** Marks a prediction of another kind than a stress episode in {@link #episodeOnset}. */
    public static final Instant NOT_AN_EPISODE = Instant.EPOCH;

    /** One answer as stored (the schema's {@code StressAnswer}). */
    public record StressAnswer(
            long id,
            String kind,
            Long predictionId,
            String answer,
            Integer stressLevel,
            Instant minuteStart,
            Instant createdAt) {}

    /** How often the detector agreed with the caller's answers (the schema's answers summary). */
    public record Summary(
            long episodesAnswered,
            long yes,
            long no,
            long notSure,
            long checkIns,
            long labelled,
            Double agreement,
            boolean personalModel) {}

    /** The caller's answers, newest first, with their {@link Summary}. */
    public record Answers(Summary summary, List<StressAnswer> answers) {}

    /** "Was this stress?" on an episode: one answer each, final; null when it has one already. */
    public StressAnswer answerEpisode(int user, long predictionId, Instant onset, String answer)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO stress_answers (user_id, "
                                        + "kind, prediction_id, answer, minute_start) VALUES (?, 'episode', ?, ?, ?) ON CONFLICT (prediction_id) DO NOTHING "
                                        + "RETURNING "
                                        + COLUMNS)) {
            ps.setInt(1, user);
            ps.setLong(2, predictionId);
            ps.setString(3, answer);
            ps.setTimestamp(4, Timestamp.from(onset));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    /**
     * A 0–10 check-in for the minute {@code at} falls in; null when the caller checked in during
     * that minute already.
     */
    public StressAnswer checkIn(int user, int level, Instant at) throws SQLException {
        Instant minute = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 60) * 60);
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO stress_answers "
                                        + "(user_id, kind, stress_level, minute_start) VALUES (?, 'check_in', ?, ?) ON CONFLICT DO NOTHING RETURNING "
                                        + COLUMNS)) {
            ps.setInt(1, user);
            ps.setInt(2, level);
            ps.setTimestamp(3, Timestamp.from(minute));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    /**
     * The caller's answers, newest first, and how often the detector agreed: an episode answered
     * yes, or a check-in whose minute the detector judged as the person did — stress when one of
     * their episodes covered it (its first minutes to its 15-minute outlook: an approximation of
     * the minute's own verdict, which only the job has).
     */
    public Answers answers(int user, int limit) throws SQLException {
        List<StressAnswer> rows = new ArrayList<>();
        Summary summary;
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT "
                                    + COLUMNS
                                    + " FROM stress_answers WHERE user_id = ? "
                                    + "ORDER BY minute_start DESC, id DESC LIMIT ?")) {
                ps.setInt(1, user);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "WITH a AS (SELECT a.kind, a.answer, a.stress_level, "
                                    + "CASE WHEN a.kind = 'episode' THEN a.answer = 'yes' WHEN a.stress_level >= ? OR a.stress_level <= ? THEN "
                                    + "(a.stress_level >= ?) = EXISTS (SELECT 1 FROM health_predictions p WHERE p.user_id = a.user_id "
                                    + "AND p.prediction_type = 'stress_episode' AND p.prediction_time > a.minute_start - interval '18 minutes' "
                                    + "AND a.minute_start >= p.prediction_time - interval '3 minutes' AND a.minute_start < p.target_time) END "
                                    + "AS agreed, "
                                    + "a.answer IN ('yes', 'no') OR a.stress_level >= ? OR a.stress_level <= ? AS labelled "
                                    + "FROM stress_answers a WHERE a.user_id = ?) "
                                    + "SELECT count(*) FILTER (WHERE kind = 'episode'), count(*) FILTER (WHERE answer = 'yes'), "
                                    + "count(*) FILTER (WHERE answer = 'no'), count(*) FILTER (WHERE answer = 'not_sure'), "
                                    + "count(*) FILTER (WHERE kind = 'check_in'), count(*) FILTER (WHERE labelled), "
                                    + "count(*) FILTER (WHERE labelled AND agreed) FROM a")) {
                // what counts as an answer to learn from is the job's rule (StressAnswers), bound
                // here, not restated
                int[] bounds = {
                    StressAnswers.STRESS_FROM,
                    StressAnswers.CALM_AT_MOST,
                    StressAnswers.STRESS_FROM,
                    StressAnswers.STRESS_FROM,
                    StressAnswers.CALM_AT_MOST
                };
                for (int i = 0; i < bounds.length; i++) {
                    ps.setInt(i + 1, bounds[i]);
                }
                ps.setInt(bounds.length + 1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long labelled = rs.getLong(6);
                    summary =
                            new Summary(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    labelled,
                                    labelled == 0 ? null : (double) rs.getLong(7) / labelled,
                                    labelled > 0);
                }
            }
        }
        return new Answers(summary, rows);
    }

    private static StressAnswer row(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        String kind = rs.getString(2);
        long prediction = rs.getLong(3);
        Long predictionId = rs.wasNull() ? null : prediction;
        String answer = rs.getString(4);
        int level = rs.getInt(5);
        Integer stressLevel = rs.wasNull() ? null : level;
        return new StressAnswer(
                id,
                kind,
                predictionId,
                answer,
                stressLevel,
                rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7).toInstant());
    }
}
