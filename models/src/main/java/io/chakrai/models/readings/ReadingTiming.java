package io.chakrai.models.readings;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks of a reading's timestamp against the receiving server's clock, done once, where the
 * reading enters the platform (the API). The ingestion job does not repeat them: a replay hours
 * later must accept exactly what was accepted the first time.
 *
 * @param maxFutureSkew how far ahead of the server's clock a device clock may run
 * @param maxAge how old a reading may be (history imports included)
 */
public record ReadingTiming(Duration maxFutureSkew, Duration maxAge) {
    public static final ReadingTiming DEFAULT =
            new ReadingTiming(Duration.ofMinutes(5), Duration.ofDays(730));

    public Optional<Problem> check(Instant timestamp, Instant now) {
        if (timestamp.isAfter(now.plus(maxFutureSkew))) {
            return Optional.of(
                    new Problem(
                            "timestamp",
                            "is in the future (more than "
                                    + maxFutureSkew.toSeconds()
                                    + " s ahead of the server clock)"));
        }
        if (timestamp.isBefore(now.minus(maxAge))) {
            return Optional.of(
                    new Problem("timestamp", "is older than " + maxAge.toDays() + " days"));
        }
        return Optional.empty();
    }
}
