package io.chakrai.models.storage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * ISO-8601 date-times with an offset, as {@link OffsetDateTime#parse} reads them, with a fast path
 * for the one shape every reading carries ({@code 2026-01-31T08:15:00Z}, {@code …:00.123+01:00}:
 * four-digit year, seconds, up to nine fraction digits, {@code Z} or {@code ±HH:MM}). The JDK's
 * formatter costs about a microsecond a call, which every job pays for every reading; the fast path
 * reads the digits directly. Anything else, and every text the fast path refuses, goes to {@code
 * OffsetDateTime.parse}, so the two agree on what is accepted and what each instant is ({@code
 * IsoInstantTest} holds them to it). {@link #format} writes an instant exactly as {@link
 * Instant#toString} does (the API writes one for every reading it accepts), with the same kind of
 * fast path for years 0–9999.
 */
public final class IsoInstant {
    private IsoInstant() {}

    /**
     * The instant, or a {@link java.time.format.DateTimeParseException} from the JDK's parser for
     * what it refuses.
     */
    public static Instant parse(String s) {
        Instant fast = fast(s);
        return fast != null ? fast : OffsetDateTime.parse(s).toInstant();
    }

    /**
     * The fast path: the instant, or null when the text is not in its shape or not a valid
     * date-time.
     */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20
                || n > 35
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6
                && (s.charAt(i) == '+' || s.charAt(i) == '-')
                && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(
                epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /**
     * Exactly {@link Instant#toString}: {@code 2026-01-31T08:15:00Z}, a fraction in groups of three
     * digits when there is one.
     */
    public static String format(Instant t) {
        long seconds = t.getEpochSecond();
        // 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: four-digit years without a sign; the JDK
        // writes the others
        if (seconds < -62_167_219_200L || seconds > 253_402_300_799L) {
            return t.toString();
        }
        long day = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nanos = t.getNano();
        char[] c = new char[30];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3_600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        int n = 19;
        if (nanos != 0) {
            c[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(c, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1_000 == 0) {
                put(c, n, nanos / 1_000, 6);
                n += 6;
            } else {
                put(c, n, nanos, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        return new String(c, 0, n);
    }

    /** {@code v} as {@code len} digits, zero-padded, at {@code at}. */
    private static void put(char[] c, int at, int v, int len) {
        for (int k = at + len - 1; k >= at; k--) {
            c[k] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number {@code len} digits at {@code from} spell, or -1 if one is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
