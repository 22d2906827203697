package io.chakrai.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchResultsTest {
    @Test
    void eachRunIsOneLineWithItsCommitSettingsAndFiguresInOrder(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("bench/results.tsv");
        BenchResults.append(
                file,
                "bench",
                BenchResults.kv("clients", 4, "batch", 5000, "alongside", null),
                BenchResults.kv("durable_per_s", 54321.75, "lost", 0));
        BenchResults.append(
                file,
                "bench-stress",
                BenchResults.kv("probes", 30),
                BenchResults.kv("p99_ms", 352L));
        List<String> lines = Files.readAllLines(file);
        assertEquals(BenchResults.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        String[] run = lines.get(1).split("\t");
        assertEquals(5, run.length);
        assertTrue(run[1].matches("[0-9a-f]{12}(\\+dirty)?|unknown"), run[1]);
        assertEquals("bench", run[2]);
        assertEquals("clients=4;batch=5000", run[3]);
        assertEquals("durable_per_s=54321.750;lost=0", run[4]);
        assertEquals("p99_ms=352", lines.get(2).split("\t")[4]);
    }
}
