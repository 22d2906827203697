package io.chakrai.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.models.stress.EpisodeThresholds;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StressOptionsTest {
    @Test
    void withoutFlagsTheJobRunsTheDetectorsOwnDefaults() {
        StressOptions c = new StressOptions();
        new CommandLine(c).parseArgs();
        assertEquals(EpisodeThresholds.DEFAULT, c.thresholds());
    }

    @Test
    void eachFlagOverridesOneThreshold() {
        StressOptions c = new StressOptions();
        new CommandLine(c).parseArgs("--hr-z", "2.0", "--within-minutes", "7");
        assertEquals(2.0, c.thresholds().hrZ());
        assertEquals(Duration.ofMinutes(7), c.thresholds().within());
        assertEquals(EpisodeThresholds.DEFAULT.hrvRatio(), c.thresholds().hrvRatio());
    }
}
