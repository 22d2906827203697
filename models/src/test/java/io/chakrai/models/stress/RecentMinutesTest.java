package io.chakrai.models.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentMinutesTest {
    static double[] x(double hrZ) {
        return PersonalModel.features(hrZ > 2, hrZ, 0.8, Double.NaN);
    }

    @Test
    void anEpisodeAnswerFindsItsOnsetMinuteHoursLaterAndOnlyOnce() {
        RecentMinutes r = new RecentMinutes();
        r.add(60_000, x(3), true);
        for (int m = 2; m < 300; m++) {
            r.add(m * 60_000L, x(0), false);
        }
        RecentMinutes.Found f = r.take(60_000, true, 0);
        assertNotNull(f);
        assertTrue(f.judgedStress());
        assertEquals(3, f.features()[2], 1e-9);
        assertNull(r.take(60_000, true, 0), "delivered twice, learned once");
        assertNull(r.take(5 * 60_000, true, 0), "a calm minute is no episode's onset");
    }

    @Test
    void aCheckInTakesTheLatestJudgedMinuteBeforeItWithinTheTolerance() {
        RecentMinutes r = new RecentMinutes();
        assertNull(r.take(0, false, 300_000));
        for (int m = 0; m < 30; m++) {
            r.add(m * 60_000L, x(m / 4.0), m == 29);
        }
        RecentMinutes.Found f = r.take(31 * 60_000L, false, 300_000);
        assertEquals(29 / 4.0, f.features()[2], 1e-9);
        assertTrue(f.judgedStress());
        assertNull(r.take(29 * 60_000L, true, 0), "the same minute is not taken again by an episode answer");
        RecentMinutes.Found g = r.take(31 * 60_000L, false, 300_000);
        assertEquals(28 / 4.0, g.features()[2], 1e-9);
        assertFalse(g.judgedStress());
        assertNull(r.take(60 * 60_000L, false, 300_000), "nothing judged in the five minutes before");
        assertNull(r.take(10 * 60_000L, false, 300_000), "older than the ring");
    }
}
