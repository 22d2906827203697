package io.chakrai.models.readings;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Six hours after its timestamp a reading is still live; a millisecond later it is history. */
class ArrivalTest {
    @Test
    void historyBeginsSixHoursAfterTheReading() {
        long arrived = Instant.parse("2026-12-06T12:00:00Z").toEpochMilli();
        long six = Arrival.LIVE.toMillis();
        assertFalse(Arrival.isHistory(arrived, arrived));
        assertFalse(Arrival.isHistory(arrived + 60_000, arrived), "a clock a little ahead");
        assertFalse(Arrival.isHistory(arrived - six, arrived));
        assertTrue(Arrival.isHistory(arrived - six - 1, arrived));
        assertTrue(Arrival.isHistory(arrived - 365L * 86_400_000L, arrived));
        BiometricReading r =
                new BiometricReading(
                        1, 2, "heart_rate", 60, "bpm", 1, 1, Instant.ofEpochMilli(arrived), null);
        assertFalse(r.history());
        assertTrue(r.asHistory().history());
        assertTrue(r.asHistory().asHistory().history());
        assertFalse(r.asHistory().equals(r), "the mark is part of the reading in the jobs");
    }
}
