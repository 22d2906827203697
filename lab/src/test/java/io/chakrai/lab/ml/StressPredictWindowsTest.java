package io.chakrai.lab.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.ml.FeatureTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The windows match the data README's own anchor computation (3,460 windows, 34 people, 32.1 %
 * stress).
 */
class StressPredictWindowsTest {
    static final Path DATA = Path.of("..", "..", "shared", "data", "stress-predict");

    @Test
    void windowsMatchThePublishedAnchor() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(DATA), "shared data not beside the checkout");
        FeatureTable t = StressPredictWindows.load(DATA);
        assertEquals(3_460, t.y().length);
        assertEquals(34, t.subjectIds().size());
        assertEquals(0.321, Arrays.stream(t.y()).average().orElseThrow(), 0.001);
        long withHrv = Arrays.stream(t.x()).filter(r -> Double.isFinite(r[2])).count();
        assertTrue(
                withHrv > 0 && withHrv < t.y().length,
                "HRV is there for some windows only: " + withHrv);
        assertTrue(
                Arrays.stream(t.x()).allMatch(r -> r[0] > 40 && r[0] < 160),
                "mean heart rates are plausible");
    }
}
