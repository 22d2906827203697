package io.chakrai.models.readings;

import java.time.Duration;

/**
 * When a reading reached the platform, as against when it was measured: a reading that arrives more
 * than {@link #LIVE} after its timestamp (a history import, a phone that synced days late, a
 * simulated wearer's history) is <em>history</em>. The API decides it once, by its clock, as it
 * publishes the reading, and marks the Kafka record with header {@link #HISTORY_HEADER}; the mark
 * travels with the record, so a replay of the topic decides the same. The jobs still compute
 * everything from history (minutes, baselines, episodes, risk days), but the stress job offers no
 * intervention for an episode found in it (and the API pushes no prediction more than {@link #LIVE}
 * behind its clock): nobody is helped by a breathing exercise for last month's episode. Records
 * published before the mark existed carry none: a job that reads them again without its state (a
 * new consumer group from the topic's start) treats them as live.
 */
public final class Arrival {
    private Arrival() {}

    /** How long after its timestamp a reading may arrive and still be live. */
    public static final Duration LIVE = Duration.ofHours(6);

    /** The Kafka header present (value {@code 1}) on a readings record that arrived as history. */
    public static final String HISTORY_HEADER = "chakrai-history";

    /**
     * Whether a reading measured at {@code measuredMs} that arrived at {@code arrivedMs} is
     * history.
     */
    public static boolean isHistory(long measuredMs, long arrivedMs) {
        return measuredMs < arrivedMs - LIVE.toMillis();
    }
}
