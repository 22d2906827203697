package io.chakrai.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.models.imports.SampleExport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportTruthTest {
    private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

    private static Instant at(int minute) {
        return T.plusSeconds(60L * minute);
    }

    private static SampleExport.Period period(int from, int to) {
        return new SampleExport.Period(at(from), at(to));
    }

    @Test
    void anEpisodeCountsForThePeriodItBeganInOrFiveMinutesAfterNeverForOneLaterOrEarlier() {
        List<SampleExport.Period> periods =
                List.of(period(10, 20), period(60, 70), period(200, 230));
        List<Instant> onsets =
                List.of(
                        at(5), // before the first: a false alarm
                        at(12), // in the first
                        at(24), // four minutes after the first ended: still its
                        at(25), // five after: no longer
                        at(59), // a minute before the second
                        at(203), // in the third
                        at(229)); // its last minute
        ImportBenchmark.Truth t = ImportBenchmark.truth(onsets, periods);
        assertEquals(7, t.episodes());
        assertEquals(4, t.inside());
        assertEquals(3, t.periods());
        assertEquals(2, t.found());
    }

    @Test
    void noEpisodesFindNoPeriods() {
        ImportBenchmark.Truth t = ImportBenchmark.truth(List.of(), List.of(period(1, 2)));
        assertEquals(new ImportBenchmark.Truth(0, 0, 1, 0, Double.NaN), t);
    }
}
