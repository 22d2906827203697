package io.chakrai.lab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WesadMinutesTest {
    @Test
    void eachBlockAfterTheBaselineIsScoredOnItsSecondHalfAndAGapEndsABlock() {
        List<String> condition =
                List.of("1", "1", "1", "2", "2", "2", "2", "4", "4", "4", "4", "4");
        List<Long> minute = List.of(0L, 1L, 2L, 5L, 6L, 7L, 8L, 10L, 11L, 20L, 21L, 22L);
        boolean[] scored = WesadMinutes.scored(condition, minute);
        assertArrayEquals(
                new boolean[] {
                    false,
                    false,
                    false, // the baseline: never scored
                    false,
                    false,
                    true,
                    true, // stress: its second half
                    false,
                    true, // meditation, then a gap of eight minutes:
                    false,
                    true,
                    true // a block of its own (odd: the middle minute scored)
                },
                scored);
    }

    @Test
    void theMinuteBeforeAScoredStretchIsNotAnswered() {
        boolean[] scored = {false, false, false, true, true, false, false, true};
        assertArrayEquals(
                new boolean[] {true, true, false, false, false, true, false, false},
                WesadMinutes.answerable(scored));
    }
}
