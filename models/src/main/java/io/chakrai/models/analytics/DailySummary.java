package io.chakrai.models.analytics;

import java.time.LocalDate;

/**
 * One person's day (NaN where there was no data).
 *
 * @param day the calendar day
 * @param sleepHours sleep in the night that ended this day, hours
 * @param stressEpisodes stress episodes detected that day
 * @param steps steps that day
 * @param hrvMedian median RMSSD that day, ms
 * @param restingHr resting heart rate (10th percentile) that day, bpm
 */
public record DailySummary(
        LocalDate day,
        double sleepHours,
        double stressEpisodes,
        double steps,
        double hrvMedian,
        double restingHr) {}
