package io.chakrai.api.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeOrderTest {
    @TempDir Path dir;

    record R(int device, DataType type, double value, long at) {}

    private static List<R> drained(TimeOrder o) throws Exception {
        List<R> out = new ArrayList<>();
        o.drain((d, t, v, at) -> out.add(new R(d, t, v, at)));
        return out;
    }

    private long files() throws Exception {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void readingsComeOutInTimeOrderStableAcrossRunsOnDiskWhichAreDeletedAfter() throws Exception {
        Random rnd = new Random(5);
        List<R> added = new ArrayList<>();
        // an export a type at a time: each type's times in order, the types one after another,
        // with equal times across types
        for (DataType t : List.of(DataType.HEART_RATE, DataType.HRV, DataType.STEPS)) {
            for (int i = 0; i < 100; i++) {
                added.add(new R(1 + rnd.nextInt(3), t, i, 1_700_000_000_000L + 60_000L * (i / 2)));
            }
        }
        // in memory; a few runs on disk; more runs than are merged at once
        for (int run : new int[] {TimeOrder.RUN, 7, 2}) {
            try (TimeOrder o = new TimeOrder(dir, "import-5-order-", run, 0)) {
                for (R r : added) {
                    o.add(r.device(), r.type(), r.value(), r.at());
                }
                if (run == 2) {
                    try (var files = Files.list(dir)) {
                        List<Path> spilled = files.toList();
                        assertTrue(
                                spilled.size() > TimeOrder.FAN_IN,
                                "runs written: " + spilled.size());
                        assertTrue(
                                spilled.stream()
                                        .allMatch(
                                                f ->
                                                        f.getFileName()
                                                                .toString()
                                                                .startsWith("import-5-order-")),
                                "named for their import, for the sweep");
                        assertEquals(
                                Set.of(
                                        PosixFilePermission.OWNER_READ,
                                        PosixFilePermission.OWNER_WRITE),
                                Files.getPosixFilePermissions(spilled.get(0)));
                    }
                }
                assertEquals(added.size(), o.size());
                List<R> out = drained(o);
                List<R> expected = new ArrayList<>(added);
                expected.sort(Comparator.comparingLong(R::at)); // stable: order of adding kept
                assertEquals(expected, out, "run of " + run);
                assertEquals(0, files(), "no run file left");
            }
        }
    }

    @Test
    void runFilesGoWithCloseOrAFailureMidDrainAndAFullDiskIsRefused() throws Exception {
        try (TimeOrder o = new TimeOrder(dir, "import-6-order-", 3, 0)) {
            for (int i = 0; i < 10; i++) {
                o.add(1, DataType.HEART_RATE, 60, 1_700_000_000_000L - i * 1000L);
            }
        }
        assertEquals(0, files(), "never drained, closed");

        TimeOrder failing = new TimeOrder(dir, "import-7-order-", 3, 0);
        for (int i = 0; i < 10; i++) {
            failing.add(1, DataType.HEART_RATE, 60, 1_700_000_000_000L + i * 1000L);
        }
        int[] seen = {0};
        assertThrows(
                IllegalStateException.class,
                () ->
                        failing.drain(
                                (d, t, v, at) -> {
                                    if (++seen[0] == 4) {
                                        throw new IllegalStateException("the store is down");
                                    }
                                }));
        assertEquals(0, files(), "a failure mid-drain leaves no file");

        TimeOrder full = new TimeOrder(dir, "import-8-order-", 3, Long.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            full.add(1, DataType.HEART_RATE, 60, 1_700_000_000_000L);
        }
        assertThrows(
                TimeOrder.NoRoom.class,
                () -> full.add(1, DataType.HEART_RATE, 60, 1_700_000_000_000L),
                "a spill that would leave the disk too full");
        TimeOrder o = new TimeOrder(dir, "import-9-order-", 3, 0);
        assertThrows(IllegalArgumentException.class, () -> o.add(1, DataType.HEART_RATE, 60, -1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TimeOrder(dir, "x", TimeOrder.RUN + 1, 0),
                "a run whose indexes would not pack with the time");
    }
}
