package io.chakrai.api.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportTest {
    static final Instant STARTED = Instant.parse("2026-12-01T12:00:00Z");

    static Import running(long size, long read) {
        return new Import(
                1,
                Import.RUNNING,
                "apple_health",
                "export.zip",
                "UTC",
                size,
                size,
                read,
                0,
                0,
                0,
                Map.of(),
                null,
                STARTED,
                STARTED,
                null);
    }

    @Test
    void theTimeLeftIsTheReadersWhileItReadsAndUnknownWhileTheReadingsAreHandedOn() {
        // a quarter read in 10 s: 30 s left
        assertEquals(30L, running(1_000, 250).etaSeconds(STARTED.plusSeconds(10)));
        assertNull(
                running(1_000, 1_000).etaSeconds(STARTED.plusSeconds(40)),
                "read whole, handed on at the store's pace: no honest estimate from the bytes");
        assertNull(running(1_000, 0).etaSeconds(STARTED.plusSeconds(1)), "no rate yet");
    }
}
