package io.chakrai.models.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Decimals#format} spells every double exactly as Jackson's Schubfach writer does. */
class DecimalsTest {
    private static void same(double d) {
        String expected = NumberOutput.toString(d, true);
        assertEquals(
                expected,
                Decimals.format(d),
                () -> "bits " + Long.toHexString(Double.doubleToRawLongBits(d)));
        if (!Double.isNaN(d)) {
            assertEquals(
                    Double.doubleToRawLongBits(d),
                    Double.doubleToRawLongBits(Double.parseDouble(Decimals.format(d))),
                    expected);
        }
    }

    @Test
    void readingShapedNumbersAgree() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            int k = random.nextInt(6);
            long n = random.nextLong(i % 2 == 0 ? 100_000 : 100_000_000_000L);
            double d = n / Math.pow(10, k);
            same(d);
            same(-d);
        }
        for (int v = 0; v <= 20_000; v++) {
            same(v);
            same(v / 10.0);
            same(v / 100.0);
            same(v / 1_000.0);
        }
    }

    @Test
    void anyDoubleAgrees() {
        Random random = new Random(11);
        for (int i = 0; i < 1_000_000; i++) {
            same(Double.longBitsToDouble(random.nextLong()));
            // every size the fast path takes, and around it
            same(Math.pow(10, random.nextDouble() * 14 - 5) * (random.nextBoolean() ? 1 : -1));
        }
    }

    @Test
    void edgesAgree() {
        double[] edges = {
            0.0,
            -0.0,
            1e-3,
            1e7,
            9_999_999.999,
            0.1 + 0.2,
            0.3,
            1.0 / 3,
            2.0 / 3,
            4.35,
            0.005,
            0.0015,
            1e-4,
            Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            72.0,
            45.3,
            0.9,
            1.0,
            9_007_199_254_740_993.0
        };
        for (double e : edges) {
            same(e);
            same(-e);
            same(Math.nextUp(e));
            same(Math.nextDown(e));
        }
    }

    @Test
    void theFastPathTakesTheCommonShapes() {
        // not a fallback that always defers: these are spelled without Schubfach
        for (double d : new double[] {72.0, 45.3, 0.9, 0.001, 9_999_999.5, 33.25, -4.125}) {
            assertTrue(Decimals.fastPathTakes(d), Double.toString(d));
        }
        for (double d : new double[] {1e7, 0.0005, 0.0, 1.0 / 3, Double.NaN}) {
            assertTrue(!Decimals.fastPathTakes(d), Double.toString(d));
        }
    }
}
