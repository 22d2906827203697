package io.chakrai.api.analytics;

import io.chakrai.models.analytics.Correlations;
import io.chakrai.models.analytics.DailySummary;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * When a person's stress episodes cluster, how they slept before heavy days, and what goes with
 * what.
 */
public final class PatternsService {
    /** A heavy day: this many stress episodes or more. */
    static final int HIGH_STRESS_EPISODES = 2;

    /**
     * @param peakHour the local hour with most episodes, null without any
     * @param meanSleepBefore mean hours slept the night before heavy days (NaN without such days)
     * @param meanSleepOther the same before the other days
     */
    public record Patterns(
            int days,
            String zone,
            int[] byHour,
            int[] byWeekday,
            int episodes,
            Integer peakHour,
            long highStressDays,
            double meanSleepBefore,
            double meanSleepOther) {}

    private final AnalyticsRepository repository;

    public PatternsService(AnalyticsRepository repository) {
        this.repository = repository;
    }

    public Patterns patterns(int user, int days, String zone) throws SQLException {
        AnalyticsRepository.EpisodeTimes t = repository.episodeTimes(user, days, zone);
        int total = Arrays.stream(t.byHour()).sum();
        int peak = 0;
        for (int h = 1; h < 24; h++) {
            peak = t.byHour()[h] > t.byHour()[peak] ? h : peak;
        }
        List<DailySummary> daily = repository.days(user, days, zone);
        return new Patterns(
                days,
                zone,
                t.byHour(),
                t.byWeekday(),
                total,
                total == 0 ? null : peak,
                daily.stream().filter(d -> d.stressEpisodes() >= HIGH_STRESS_EPISODES).count(),
                meanSleep(daily, true),
                meanSleep(daily, false));
    }

    public List<Correlations.Result> correlations(int user, int days, String zone)
            throws SQLException {
        return Correlations.compute(repository.days(user, days, zone));
    }

    private static double meanSleep(List<DailySummary> days, boolean highStress) {
        return days.stream()
                .filter(
                        d ->
                                (d.stressEpisodes() >= HIGH_STRESS_EPISODES) == highStress
                                        && Double.isFinite(d.sleepHours()))
                .mapToDouble(DailySummary::sleepHours)
                .average()
                .orElse(Double.NaN);
    }
}
