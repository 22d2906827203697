package io.chakrai.models.storage;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Doubles as text, exactly as Jackson's Schubfach writer spells them ({@code
 * NumberOutput.toString(d, true)}, which is what {@link Double#toString} gives from JDK 19 on: the
 * shortest decimal that reads back as the same double), with a fast path for the numbers readings
 * carry: a whole number or one to three decimals, between 0.001 and 10^7 in size ({@code 72.0},
 * {@code 45.3}, {@code 0.9}). Schubfach spends most of its time on such numbers stripping the
 * trailing zeros of a 17-digit significand, once per number in every record the API writes and
 * every row the sink copies.
 *
 * <p>Why the fast path gives the same text: for the smallest {@code k} for which {@code m / 10^k}
 * (one correctly rounded division of two exactly representable numbers) is {@code d} again, {@code
 * m} with {@code k} decimals is a shortest decimal that reads back as {@code d}; below 10^7 two
 * decimals 0.001 apart cannot read back as the same double (its spacing there is under 2·10^-9), so
 * it is the only one, the one Schubfach picks, in the plain notation Schubfach uses between 10^-3
 * and 10^7. Anything else goes to Schubfach. {@code DecimalsTest} holds the two to it.
 */
public final class Decimals {
    private static final double[] POWERS = {1, 10, 100, 1_000};

    private Decimals() {}

    /** {@code d} as Schubfach writes it. */
    public static String format(double d) {
        int k = decimals(d);
        return k < 0
                ? NumberOutput.toString(d, true)
                : plain(d < 0, Math.round(Math.abs(d) * POWERS[k]), k);
    }

    /** Whether {@link #format} spells {@code d} itself (for tests). */
    static boolean fastPathTakes(double d) {
        return decimals(d) >= 0;
    }

    /**
     * The fewest decimals (0–3) that spell {@code d}, or -1 when the fast path does not take it.
     */
    private static int decimals(double d) {
        double size = Math.abs(d);
        if (size >= 1e-3 && size < 1e7) {
            for (int k = 0; k < POWERS.length; k++) {
                if (Math.round(size * POWERS[k]) / POWERS[k] == size) {
                    return k;
                }
            }
        }
        return -1;
    }

    /** {@code m / 10^k} in plain notation, at least one digit after the point. */
    private static String plain(boolean negative, long m, int k) {
        char[] out = new char[24];
        int end = out.length;
        int at = end;
        if (k == 0) {
            out[--at] = '0';
        } else {
            for (int i = 0; i < k; i++, m /= 10) {
                out[--at] = (char) ('0' + m % 10);
            }
        }
        out[--at] = '.';
        do {
            out[--at] = (char) ('0' + m % 10);
            m /= 10;
        } while (m > 0);
        if (negative) {
            out[--at] = '-';
        }
        return new String(out, at, end - at);
    }
}
