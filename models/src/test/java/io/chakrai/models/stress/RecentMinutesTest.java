package io.chakrai.models.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentMinutesTest {
    static final EpisodeThresholds T = EpisodeThresholds.DEFAULT;

    static double[] x(double hrZ) {
        return PersonalModel.features(hrZ > 2, hrZ, 0.8, Double.NaN);
    }

    static MinuteEvaluation minute(long m, boolean stress) {
        return new MinuteEvaluation(
                1, m * 60_000L, 70, 40, 62, 45, 0, 1, false, stress, 0, 0.5, "", false);
    }

    /**
     * An episode's onset is its third stress minute in a row (the CEP rule); a long episode does
     * not push it out.
     */
    @Test
    void anEpisodeAnswerFindsItsOnsetMinuteDaysLaterAndOnlyOnce() {
        RecentMinutes r = new RecentMinutes();
        long m = 0;
        for (; m < 5; m++) {
            r.add(minute(m, false), x(0), T);
        }
        for (int i = 0; i < 40; i++, m++) { // a 40-minute episode, its onset at minute 7
            r.add(minute(m, true), x(3 + i / 100.0), T);
        }
        for (; m < 3_000; m++) { // two days, calm and a few short false starts
            r.add(minute(m, m % 97 == 0 || m % 97 == 1), x(0), T);
        }
        assertNull(r.take(5 * 60_000L, true, 0), "the first stress minute is not the onset");
        RecentMinutes.Found f = r.take(7 * 60_000L, true, 0);
        assertNotNull(f);
        assertTrue(f.judgedStress());
        assertEquals(3.02, f.features()[2], 1e-9);
        assertNull(r.take(7 * 60_000L, true, 0), "delivered twice, learned once");
    }

    @Test
    void aCheckInTakesTheLatestJudgedMinuteBeforeItWithinTheTolerance() {
        RecentMinutes r = new RecentMinutes();
        assertNull(r.take(0, false, 300_000));
        for (int m = 0; m < 30; m++) {
            r.add(minute(m, m == 29), m == 27 ? null : x(m / 4.0), T);
        }
        RecentMinutes.Found f = r.take(31 * 60_000L, false, 300_000);
        assertEquals(29 / 4.0, f.features()[2], 1e-9);
        assertTrue(f.judgedStress());
        assertTrue(r.seen(31 * 60_000L), "answered: a copy is known");
        RecentMinutes.Found g = r.take(28 * 60_000L, false, 300_000);
        assertEquals(28 / 4.0, g.features()[2], 1e-9);
        assertFalse(g.judgedStress());
        assertEquals(
                26 / 4.0,
                r.take(27 * 60_000L, false, 300_000).features()[2],
                1e-9,
                "a minute not judged is not kept");
        assertEquals(
                29 / 4.0,
                r.take(30 * 60_000L, false, 300_000).features()[2],
                1e-9,
                "two check-ins may speak of the same minute");
        assertNull(
                r.take(60 * 60_000L, false, 300_000), "nothing judged in the five minutes before");
        assertTrue(r.seen(60 * 60_000L), "remembered though nothing was found: counted once");
        assertNull(r.take(10 * 60_000L, false, 300_000), "older than the ring");
    }

    @Test
    void aCheckInAheadOfTheMinutesWaitsForThemAndTheOldestGivesWayWhenFull() {
        RecentMinutes r = new RecentMinutes();
        for (int m = 0; m < 10; m++) {
            r.add(minute(m, false), x(m / 4.0), T);
        }
        assertFalse(r.ahead(9 * 60_000L), "its minute is here: no wait");
        assertTrue(r.ahead(20 * 60_000L));
        assertEquals(-1, r.await(20 * 60_000L, 1, false));
        assertEquals(-1, r.await(20 * 60_000L, 1, false), "the same check-in again waits once");
        assertTrue(r.settle(300_000).isEmpty(), "its minute is not judged yet");
        for (int m = 10; m < 20; m++) {
            r.add(minute(m, false), x(m / 4.0), T);
        }
        assertTrue(r.settle(300_000).isEmpty(), "minute 19 is before it: a later one may come");
        r.add(minute(20, true), x(5), T);
        var settled = r.settle(300_000);
        assertEquals(1, settled.size());
        assertEquals(1, settled.get(0).label());
        assertEquals(5, settled.get(0).minute().features()[2], 1e-9, "its own minute");
        assertTrue(r.settle(300_000).isEmpty(), "settled once");
        assertTrue(r.seen(20 * 60_000L), "a copy delivered later is known as answered");
        assertFalse(r.seen(19 * 60_000L));

        for (int k = 0; k < RecentMinutes.WAITING; k++) {
            assertEquals(-1, r.await((100 + k) * 60_000L, k % 2, false));
        }
        assertEquals(0, r.await(200 * 60_000L, 1, false), "full: the oldest (label 0) gives way");
        assertEquals(RecentMinutes.WAITING, r.waitingAt.length);
    }

    /** After a restore the onset is judged again, and its answer may come first. */
    @Test
    void anEpisodeAnswerAheadOfItsOnsetWaitsForItAndTakesTheOnsetExactly() {
        RecentMinutes r = new RecentMinutes();
        for (int m = 0; m < 5; m++) {
            r.add(minute(m, false), x(0), T);
        }
        assertTrue(r.ahead(7 * 60_000L));
        assertEquals(-1, r.await(7 * 60_000L, 0, true));
        assertEquals(-1, r.await(7 * 60_000L, 0, true), "a copy waits once");
        assertEquals(-1, r.await(7 * 60_000L, 1, false), "a check-in at that minute is another");
        assertEquals(2, r.waiting());
        assertFalse(r.seen(6 * 60_000L));
        r.add(minute(5, true), x(3.0), T);
        r.add(minute(6, true), x(3.1), T);
        assertTrue(r.settle(300_000).isEmpty());
        r.add(minute(7, true), x(3.2), T); // the third stress minute: the onset
        var settled = r.settle(300_000);
        assertEquals(2, settled.size());
        assertEquals(0, settled.get(0).label());
        assertEquals(3.2, settled.get(0).minute().features()[2], 1e-9, "the onset itself");
        assertEquals(3.2, settled.get(1).minute().features()[2], 1e-9, "the check-in's own");
        assertNull(r.take(7 * 60_000L, true, 0), "the onset was taken by the waiting answer");
    }

    @Test
    void answersWaitingTooLongAreGivenUpAndACopyOfACheckInDoesNotWaitAgain() {
        RecentMinutes r = new RecentMinutes();
        r.add(minute(0, false), x(0), T);
        r.await(10 * 60_000L, 1, false);
        r.await(20 * 60_000L, 0, true);
        r.await(30 * 60_000L, 1, false);
        assertEquals(0, r.expire(10 * 60_000L), "none before minute 10");
        assertEquals(2, r.expire(30 * 60_000L), "the two before minute 30");
        assertEquals(1, r.waiting());
        assertEquals(30 * 60_000L, r.waitingAt[0]);
        assertFalse(r.waitingEpisode[0]);
        assertTrue(r.seen(10 * 60_000L), "a check-in given up on is known: a copy waits not");
        for (int m = 1; m <= 30; m++) {
            r.add(minute(m, false), x(m / 4.0), T);
        }
        var settled = r.settle(300_000);
        assertEquals(1, settled.size(), "only the one still waiting");
        assertEquals(7.5, settled.get(0).minute().features()[2], 1e-9, "its own minute");
    }

    @Test
    void stateKeptBeforeEpisodeAnswersWaitedReadsAsCheckIns() {
        RecentMinutes r = new RecentMinutes();
        r.waitingAt = new long[] {10 * 60_000L, 20 * 60_000L};
        r.waitingLabel = new int[] {1, 0};
        r.waitingEpisode = null; // a field Flink's POJO serializer fills with null on restore
        assertTrue(r.seen(10 * 60_000L));
        r.await(30 * 60_000L, 1, true);
        assertEquals(3, r.waiting());
        assertFalse(r.waitingEpisode[0]);
        assertTrue(r.waitingEpisode[2]);
        assertEquals(1, r.expire(20 * 60_000L));
        assertEquals(2, r.waitingEpisode.length);
    }
}
