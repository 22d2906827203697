package io.chakrai.api.auth;

import java.time.Duration;

/**
 * How long sign-in is refused after failures: nothing for the first {@code free} failures, then a
 * lock that doubles with every further failure (1 s, 2 s, 4 s, …) up to {@code max}. Failures older
 * than {@code forgetAfter} are forgotten. Pure, so the numbers are tested without a database.
 */
public record ThrottleRule(int free, Duration max, Duration forgetAfter) {
    /** Per account: five tries, then doubling locks up to 15 minutes; a quiet hour forgets. */
    public static final ThrottleRule ACCOUNT =
            new ThrottleRule(5, Duration.ofMinutes(15), Duration.ofHours(1));

    /** Per client address (many people may share one): twenty tries, then the same doubling. */
    public static final ThrottleRule ADDRESS =
            new ThrottleRule(20, Duration.ofMinutes(15), Duration.ofHours(1));

    /** The lock after the {@code failures}-th failure in a row (zero while still free). */
    public Duration lockAfter(int failures) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        long seconds = 1L << doublings;
        return seconds >= max.toSeconds() ? max : Duration.ofSeconds(seconds);
    }
}
