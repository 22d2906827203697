package io.chakrai.jobs.content;

import java.io.Serializable;

/**
 * What a session did to the body: mean heart rate and RMSSD in the minutes after completion minus
 * the same span before the start, and the body's part of effectiveness in [0, 1] (0.5: no change).
 */
public record Measured(long usageId, int userId, double hrChange, double rmssdChange, double body)
        implements Serializable {
    /**
     * Calmer after (heart rate down, RMSSD up) scores above 0.5; 10 bpm or 10 ms is a large change.
     */
    public static double body(double hrChange, double rmssdChange) {
        double x =
                0.5
                        - 0.25 * Math.max(-1, Math.min(1, hrChange / 10))
                        + 0.25 * Math.max(-1, Math.min(1, rmssdChange / 10));
        return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000.0;
    }

    /**
     * The effect from each window's {heart-rate mean, RMSSD mean, minutes with heart rate} (before
     * the start, after completion), or null while either window has fewer than {@code coverage}
     * such minutes.
     */
    public static Measured compare(
            long usageId, int userId, double[] before, double[] after, int coverage) {
        if (before[2] < coverage || after[2] < coverage) {
            return null;
        }
        double hrChange = after[0] - before[0];
        double rmssdChange =
                Double.isNaN(before[1]) || Double.isNaN(after[1]) ? 0 : after[1] - before[1];
        return new Measured(
                usageId, userId, round(hrChange), round(rmssdChange), body(hrChange, rmssdChange));
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
