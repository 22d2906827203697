package io.chakrai.api.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupMoodServiceTest {
    static List<GroupMoodRepository.Window> windows(double... sentiment) {
        List<GroupMoodRepository.Window> out = new ArrayList<>();
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (double s : sentiment) {
            out.add(new GroupMoodRepository.Window(t, t.plusSeconds(300), 4, 3, s, 5, 0.1));
            t = t.plusSeconds(300);
        }
        return out;
    }

    @Test
    void theTrendIsTheSlopeOverTheLastTwelveWindows() {
        GroupMoodService.Trend t = GroupMoodService.Trend.of(windows(0.9, 0.9, 0.1, 0.2, 0.3));
        assertEquals(5, t.windows());
        assertEquals("falling", t.direction(), "the early high windows pull it down");
        double[] rising = new double[20];
        for (int i = 0; i < 20; i++) {
            rising[i] = i < 8 ? 0.9 : -0.5 + 0.05 * (i - 8); // the last twelve climb
        }
        GroupMoodService.Trend r = GroupMoodService.Trend.of(windows(rising));
        assertEquals(12, r.windows());
        assertEquals("rising", r.direction());
        assertEquals(0.05, r.slopePerWindow(), 1e-9);
        assertEquals("steady", GroupMoodService.Trend.of(windows(0.2, 0.21, 0.2)).direction());
    }

    @Test
    void fewerThanTwoWindowsHaveNoTrend() {
        GroupMoodService.Trend t = GroupMoodService.Trend.of(windows(0.4));
        assertEquals("unknown", t.direction());
        assertNull(t.slopePerWindow());
        assertEquals(1, t.windows());
    }
}
