package io.chakrai.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench-all's pure parts: the stack it starts, the progress it shows, the benchmarks its summary
 * has rows for.
 */
class BenchAllCommandTest {
    @Test
    void theFreshStackIsPinnedToThePortsThatAreCheckedAndMeasured() {
        List<String> args = BenchAllCommand.runArgs(Path.of("/tmp/d"));
        assertEquals(List.of("run", "--data-dir", "/tmp/d"), args.subList(0, 3));
        BenchAllCommand.PORTS.forEach(
                (option, port) -> {
                    int i = args.indexOf(option);
                    assertTrue(i > 0, option);
                    assertEquals(Integer.toString(port), args.get(i + 1), option);
                });
    }

    @Test
    void progressIsTheNewestStepOfTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("stack.log");
        assertEquals("starting", BenchAllCommand.lastStep(log));
        Files.writeString(
                log,
                "10:00:00.000 INFO  EmbeddedStack - [1/6] starting PostgreSQL\nnoise\n"
                        + "10:00:05.000 INFO  EmbeddedStack - [2/6] starting Kafka (KRaft)\n10:00:06.000 INFO  Other - ready\n");
        assertEquals("[2/6] starting Kafka (KRaft)", BenchAllCommand.lastStep(log));
    }

    @Test
    void theSummaryKnowsEveryBenchmarkOfTheSet() {
        assertEquals(
                List.of(
                        "bench-groups",
                        "bench-content",
                        "bench-assess",
                        "bench-stress",
                        "bench",
                        "bench-import",
                        "bench-failover"),
                BenchAllCommand.STEP_NAMES);
    }

    @Test
    void quietNeedsTheWindowsRunningAndAnUnreadableShareIsNotQuiet() throws Exception {
        double[] cpu = {0};
        assertTrue(
                BenchGroupsCommand.waitUntilQuiet(
                        () -> cpu[0], 0.5, 2, 1, Duration.ofSeconds(10), "test"),
                "a process using nothing is quiet");
        assertFalse(
                BenchGroupsCommand.waitUntilQuiet(
                        () -> Double.NaN, 0.5, 2, 1, Duration.ofMillis(50), "test"),
                "NaN (the process gone) never counts as quiet");
    }
}
