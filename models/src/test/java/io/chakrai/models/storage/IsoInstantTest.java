package io.chakrai.models.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path agrees with {@code OffsetDateTime.parse} on every text: same instant, or both
 * refuse.
 */
class IsoInstantTest {
    @Test
    void agreesWithTheJdkOnRandomTextsInAndAroundTheFastShape() {
        Random random = new Random(42);
        int fast = 0;
        for (int i = 0; i < 300_000; i++) {
            String s = text(random);
            Instant expected;
            try {
                expected = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                expected = null;
            }
            Instant quick = IsoInstant.fast(s);
            if (quick != null) {
                fast++;
                assertEquals(expected, quick, s);
            }
            Instant got;
            try {
                got = IsoInstant.parse(s);
            } catch (DateTimeParseException e) {
                got = null;
            }
            assertEquals(expected, got, s);
        }
        // most texts take the fast path (it is not a fallback that always defers)
        assertEquals(true, fast > 100_000, fast + " of 300,000 on the fast path");
    }

    @Test
    void writesEveryInstantAsTheJdkDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            // any second from year -2000 to 12000 (the fast range and either side of it), any of
            // the fraction shapes
            long seconds = -125_000_000_000L + (long) (random.nextDouble() * 445_000_000_000L);
            int nanos =
                    switch (random.nextInt(5)) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(t.toString(), IsoInstant.format(t));
        }
        for (Instant edge :
                new Instant[] {
                    Instant.EPOCH,
                    Instant.MIN,
                    Instant.MAX,
                    Instant.parse("0000-01-01T00:00:00Z"),
                    Instant.parse("9999-12-31T23:59:59.999999999Z"),
                    Instant.parse("+10000-01-01T00:00:00Z"),
                    Instant.parse("-0001-12-31T23:59:59Z"),
                    Instant.parse("1969-12-31T23:59:59.000000001Z")
                }) {
            assertEquals(edge.toString(), IsoInstant.format(edge));
        }
    }

    @Test
    void theShapesReadingsCarry() {
        assertEquals(
                Instant.parse("2026-01-31T08:15:00Z"), IsoInstant.fast("2026-01-31T08:15:00Z"));
        assertEquals(
                Instant.parse("2026-01-31T07:15:00.123Z"),
                IsoInstant.fast("2026-01-31T08:15:00.123+01:00"));
        assertEquals(
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                IsoInstant.fast("2024-02-29T23:59:59.999999999Z"));
        assertNotNull(IsoInstant.fast(Instant.now().toString()));
        assertNull(IsoInstant.fast("2025-02-29T08:15:00Z"), "no 29 February in 2025");
        assertNull(IsoInstant.fast("2026-01-31T08:15Z"), "no seconds: the JDK decides");
        assertNull(IsoInstant.fast("2026-01-31t08:15:00z"), "lower case: the JDK decides");
    }

    /** Mostly the fast shape with fields in and out of range, sometimes mangled. */
    static String text(Random r) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "%04d-%02d-%02dT%02d:%02d:%02d",
                        r.nextInt(10_000),
                        r.nextInt(14),
                        r.nextInt(33),
                        r.nextInt(26),
                        r.nextInt(62),
                        r.nextInt(62)));
        switch (r.nextInt(4)) {
            case 0 -> {}
            case 1 -> {
                b.append('.');
                int digits = r.nextInt(11);
                for (int k = 0; k < digits; k++) {
                    b.append(r.nextInt(10));
                }
            }
            default -> b.append('.').append(String.format("%03d", r.nextInt(1000)));
        }
        switch (r.nextInt(5)) {
            case 0, 1 -> b.append('Z');
            case 2 ->
                    b.append(r.nextBoolean() ? '+' : '-')
                            .append(String.format("%02d:%02d", r.nextInt(20), r.nextInt(61)));
            case 3 -> b.append(r.nextBoolean() ? "+05:30" : "-00:00");
            default ->
                    b.append(
                            new String[] {"", "z", "+0100", "+01", "Z ", "UTC", "+01:00:00"}
                                    [r.nextInt(7)]);
        }
        if (r.nextInt(20) == 0) {
            int at = r.nextInt(b.length());
            b.setCharAt(at, MANGLE.charAt(r.nextInt(9)));
        }
        return b.toString();
    }

    private static final String MANGLE = "x9-:.T+Z ";
}
