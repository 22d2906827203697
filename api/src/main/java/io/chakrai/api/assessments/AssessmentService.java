package io.chakrai.api.assessments;

import io.chakrai.models.assessment.RiskAssessment;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Risk assessments asked for: judged with what the platform knew when the answers were given,
 * stored, and told to the person with help when they escalate; the latest, and whether it is stale.
 */
public final class AssessmentService {
    /**
     * An assessment older than this is stale: the questionnaires ask about two weeks, the signals
     * about one.
     */
    static final Duration STALE_AFTER = Duration.ofDays(7);

    static final String SUPPORT =
            "Please talk to a mental-health professional soon. If you might act on thoughts of "
                    + "harming yourself, call your local emergency number now or go to the nearest emergency department.";

    private final AssessmentRepository repo;
    private final Clock clock;

    public AssessmentService(AssessmentRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /**
     * Assesses and stores answers (either may be null); {@code answeredAt} (null: now) dates
     * answers an app collected offline, which are judged with what was known then.
     */
    public Assessment.Result assess(int user, int[] phq9, int[] gad7, Instant answeredAt)
            throws SQLException {
        Instant at = answeredAt == null ? clock.instant() : answeredAt;
        RiskAssessment a =
                RiskAssessment.assess(
                        repo.context(
                                user,
                                phq9,
                                gad7,
                                LocalDate.ofInstant(at, ZoneOffset.UTC),
                                answeredAt));
        Assessment saved = repo.save(user, a, phq9, gad7, answeredAt);
        return new Assessment.Result(
                saved,
                a.phq9() == null
                        ? null
                        : new Assessment.Phq9(
                                a.phq9().total(), a.phq9().severity(), a.phq9().selfHarmPositive()),
                a.gad7() == null
                        ? null
                        : new Assessment.Gad7(a.gad7().total(), a.gad7().severity()),
                a.professionalEscalation() ? SUPPORT : null);
    }

    /** The caller's assessments, newest first. */
    public List<Assessment> list(int user, int limit) throws SQLException {
        return repo.list(user, limit);
    }

    public Assessment.Current current(int user) throws SQLException {
        List<Assessment> latest = repo.list(user, 1);
        if (latest.isEmpty()) {
            return new Assessment.Current(
                    null, true, "no assessment yet: POST /api/v2/prediction/assess");
        }
        Assessment a = latest.get(0);
        return new Assessment.Current(
                a, a.createdAt().isBefore(clock.instant().minus(STALE_AFTER)), null);
    }
}
