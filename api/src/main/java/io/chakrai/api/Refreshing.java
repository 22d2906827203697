package io.chakrai.api;

import java.util.function.Supplier;

/**
 * A value behind a gauge, read again at most every {@code everyMs}, so a metrics scrape never waits
 * on more than one query; when a read fails the last known value stays.
 */
final class Refreshing<T> implements Supplier<T> {
    /** Reads the value anew, given the last known one. */
    @FunctionalInterface
    interface Read<T> {
        T read(T last) throws Exception;
    }

    private final long everyMs;
    private final Read<T> read;
    private T last;
    private long readAt;

    Refreshing(long everyMs, T initial, Read<T> read) {
        this.everyMs = everyMs;
        this.last = initial;
        this.read = read;
    }

    @Override
    public synchronized T get() {
        if (System.currentTimeMillis() - readAt > everyMs) {
            readAt = System.currentTimeMillis();
            try {
                last = read.read(last);
            } catch (Exception e) {
                // keep the last known value
            }
        }
        return last;
    }
}
