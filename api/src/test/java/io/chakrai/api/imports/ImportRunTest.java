package io.chakrai.api.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.ReadingTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportRunTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final java.nio.file.Path TMP =
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));

    final List<List<BiometricReading>> published = new ArrayList<>();
    final Map<String, Integer> devices = new HashMap<>();

    ImportRun run(int batch) {
        return new ImportRun(
                7,
                42,
                ReadingTiming.DEFAULT,
                NOW,
                batch,
                source -> devices.computeIfAbsent(source, s -> 100 + devices.size()),
                b -> {
                    published.add(List.copyOf(b));
                    return new ImportRun.Published(0, 0);
                },
                TMP);
    }

    @Test
    void datesFrom1900Or2100AndImplausibleValuesAreSkippedByReasonNeverStored() {
        ImportRun r = run(10);
        r.sample("Watch", DataType.HEART_RATE, 60, Instant.parse("1900-01-01T00:00:00Z"));
        r.sample("Watch", DataType.HEART_RATE, 61, Instant.parse("2100-01-01T00:00:00Z"));
        r.sample("Watch", DataType.HEART_RATE, 900, NOW.minusSeconds(60));
        r.sample("Watch", DataType.STEPS, 12.5, NOW.minusSeconds(60));
        r.sample("Watch", DataType.HEART_RATE, 62, NOW.minusSeconds(60));
        r.finish();
        assertEquals(5, r.records());
        assertEquals(1, r.accepted());
        assertEquals(
                4,
                r.skipped().values().stream().mapToLong(Long::longValue).sum(),
                r.skipped().toString());
        assertTrue(
                r.skipped().keySet().stream().anyMatch(k -> k.contains("older than")),
                r.skipped().toString());
        assertTrue(
                r.skipped().keySet().stream().anyMatch(k -> k.contains("future")),
                r.skipped().toString());
        assertTrue(
                r.skipped().keySet().stream().anyMatch(k -> k.startsWith("heart_rate outside")),
                r.skipped().toString());
        assertTrue(
                r.skipped().keySet().stream().anyMatch(k -> k.contains("whole numbers")),
                r.skipped().toString());
        BiometricReading kept = published.get(0).get(0);
        assertEquals(62, kept.value());
        assertEquals(7, kept.userId());
        assertEquals("{\"import\":42}", kept.metadata());
    }

    /** A night a watch (with stages) and a phone app (without) both recorded counts once. */
    @Test
    void aNightSeveralSourcesRecordedIsSleptOnce() {
        ImportRun r = run(100);
        Instant night = NOW.minusSeconds(12 * 3600);
        for (int m = 0; m < 30; m++) {
            r.sample("Watch", DataType.SLEEP_STAGE, 2, night.plusSeconds(60L * m));
        }
        for (int m = 20; m < 40; m++) { // overlaps the watch's last ten minutes
            r.sample(
                    "Sleep app",
                    DataType.SLEEP_STAGE,
                    DataType.ASLEEP_UNSTAGED,
                    night.plusSeconds(60L * m + 15));
        }
        r.sample("Watch", DataType.HEART_RATE, 55, night); // other types are not affected
        r.sample("Sleep app", DataType.HEART_RATE, 56, night);
        r.finish();
        assertEquals(30 + 20 + 2 - 10, r.accepted());
        assertEquals(
                10L,
                r.skipped().get("a minute of sleep another source gave already"),
                r.skipped().toString());
    }

    @Test
    void eachSourceGetsItsOwnDeviceAndARepeatedRecordIsSentOnce() {
        ImportRun r = run(3);
        Instant t = NOW.minusSeconds(3600);
        for (int i = 0; i < 4; i++) {
            r.sample("Watch", DataType.HEART_RATE, 60 + i, t.plusSeconds(60L * i));
            r.sample("Phone", DataType.STEPS, 10, t.plusSeconds(60L * i));
        }
        r.sample("Watch", DataType.HEART_RATE, 60, t);
        r.finish();
        assertEquals(8, r.accepted());
        assertEquals(1, r.duplicates());
        assertEquals(
                List.of(3, 3, 2),
                published.stream().map(List::size).toList(),
                "batches of three, then the rest");
        assertEquals(2, devices.size());
        assertTrue(
                published.stream()
                        .flatMap(List::stream)
                        .allMatch(
                                b ->
                                        b.deviceId()
                                                == devices.get(
                                                        DataType.STEPS.is(b.dataType())
                                                                ? "Phone"
                                                                : "Watch")));
    }

    @Test
    void anExportListingATypeAtATimeIsHandedOnInTimeOrder() {
        ImportRun r = run(4);
        for (DataType t : List.of(DataType.HEART_RATE, DataType.HRV)) {
            for (int m = 5; m >= 1; m--) {
                r.sample("Watch", t, 50, NOW.minusSeconds(60L * m));
            }
        }
        assertEquals(10, r.ordered());
        assertTrue(published.isEmpty(), "nothing handed on before the file is read");
        r.finish();
        List<BiometricReading> all = published.stream().flatMap(List::stream).toList();
        assertEquals(10, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(NOW.minusSeconds(60L * (5 - i / 2)), all.get(i).timestamp());
            assertEquals(i % 2 == 0 ? "heart_rate" : "hrv", all.get(i).dataType());
        }
    }

    /** A run whose every source is device 1, stored by {@code store}. */
    static ImportRun oneDevice(int batch, ImportRun.Store store) {
        return new ImportRun(7, 1, ReadingTiming.DEFAULT, NOW, batch, s -> 1, store, TMP);
    }

    @Test
    void whatTheStoreHeldAlreadyCountsAsDuplicatesAndAStoreFailureStopsTheRun() {
        ImportRun r = oneDevice(2, b -> new ImportRun.Published(1, 0));
        r.sample("Watch", DataType.HEART_RATE, 60, NOW.minusSeconds(120));
        r.sample("Watch", DataType.HEART_RATE, 61, NOW.minusSeconds(60));
        r.finish();
        assertEquals(1, r.accepted());
        assertEquals(1, r.duplicates());
        assertTrue(r.skipped().isEmpty(), r.skipped().toString());
        ImportRun elsewhere = oneDevice(3, b -> new ImportRun.Published(0, 2));
        for (int i = 1; i <= 3; i++) {
            elsewhere.sample("Watch", DataType.HEART_RATE, 60, NOW.minusSeconds(60L * i));
        }
        elsewhere.finish();
        assertEquals(1, elsewhere.accepted());
        assertEquals(0, elsewhere.duplicates());
        assertEquals(
                Map.of(ImportRun.ELSEWHERE, 2L),
                elsewhere.skipped(),
                "what another device recorded is skipped by reason, not a duplicate");
        ImportRun failing =
                oneDevice(
                        1,
                        b -> {
                            throw new IllegalStateException("broker down");
                        });
        failing.sample("Watch", DataType.HEART_RATE, 60, NOW.minusSeconds(60));
        assertThrows(
                ImportRun.Stopped.class,
                failing::finish,
                "the batch was stored on another thread; its failure stops the run");
    }
}
