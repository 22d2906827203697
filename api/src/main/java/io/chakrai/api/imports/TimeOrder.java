package io.chakrai.api.imports;

import io.chakrai.models.readings.DataType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An import's readings put in time order, whatever order the export lists them in: Apple Health,
 * Fitbit and Oura list a type at a time (all heart rate, then all HRV, …), and the stress job
 * judges a minute with the readings that reach it before it closes, so a minute's heart rate and
 * HRV must come together. Up to {@link #RUN} readings are sorted in memory (about 7 MB); past that,
 * each run is written sorted to a file of its own (21 bytes a reading, owner-only, deleted on
 * {@link #close}) and the runs are merged as they are read back. Readings at the same time keep the
 * order they were added in.
 */
final class TimeOrder implements AutoCloseable {
    /** Readings sorted in memory at a time. */
    static final int RUN = 1 << 18;

    /** Times at or past this (in ms; the year 2527) cannot be packed with their index. */
    private static final long LATEST = 1L << 44;

    /** One reading, handed on in time order. */
    @FunctionalInterface
    interface Each {
        void accept(int device, DataType type, double value, long at) throws IOException;
    }

    private static final DataType[] TYPES = DataType.values();

    private final Path dir;
    private final int run;
    private final long[] at;
    private final int[] device;
    private final byte[] type;
    private final double[] value;
    private final long[] keys;
    private int n;
    private long size;
    private final List<Path> runs = new ArrayList<>();

    /**
     * @param dir where runs past the first are written
     */
    TimeOrder(Path dir) {
        this(dir, RUN);
    }

    TimeOrder(Path dir, int run) {
        this.dir = dir;
        this.run = run;
        this.at = new long[run];
        this.device = new int[run];
        this.type = new byte[run];
        this.value = new double[run];
        this.keys = new long[run];
    }

    void add(int deviceId, DataType t, double v, long atMillis) throws IOException {
        if (atMillis < 0 || atMillis >= LATEST) {
            throw new IllegalArgumentException("a time outside 1970..2527: " + atMillis);
        }
        if (n == run) {
            spill();
        }
        at[n] = atMillis;
        device[n] = deviceId;
        type[n] = (byte) t.ordinal();
        value[n] = v;
        n++;
        size++;
    }

    /** Readings added. */
    long size() {
        return size;
    }

    /** Hands every reading on in time order, once; the order is empty after. */
    void drain(Each each) throws IOException {
        if (runs.isEmpty()) {
            int[] order = sorted();
            for (int i : order) {
                each.accept(device[i], TYPES[type[i]], value[i], at[i]);
            }
            n = 0;
            return;
        }
        spill();
        PriorityQueue<RunReader> heads =
                new PriorityQueue<>(
                        Comparator.comparingLong((RunReader r) -> r.at)
                                .thenComparingInt(r -> r.index));
        try {
            for (int k = 0; k < runs.size(); k++) {
                RunReader r = new RunReader(runs.get(k), k);
                if (r.next()) {
                    heads.add(r);
                } else {
                    r.close();
                }
            }
            while (!heads.isEmpty()) {
                RunReader r = heads.poll();
                each.accept(r.device, TYPES[r.type], r.value, r.at);
                if (r.next()) {
                    heads.add(r);
                } else {
                    r.close();
                }
            }
        } finally {
            for (RunReader r : heads) {
                r.close();
            }
            close();
        }
    }

    /** The indexes of the readings in memory, in time order (stable). */
    private int[] sorted() {
        for (int i = 0; i < n; i++) {
            keys[i] = at[i] * run + i;
        }
        Arrays.sort(keys, 0, n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] % run);
        }
        return order;
    }

    /** Writes the readings in memory, sorted, to a run file of their own. */
    private void spill() throws IOException {
        if (n == 0) {
            return;
        }
        Path file =
                Files.createTempFile(
                        dir,
                        "import-order-",
                        ".run",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
        runs.add(file);
        try (DataOutputStream out =
                new DataOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (int i : sorted()) {
                out.writeLong(at[i]);
                out.writeInt(device[i]);
                out.writeByte(type[i]);
                out.writeDouble(value[i]);
            }
        }
        n = 0;
    }

    /** Deletes the run files. */
    @Override
    public void close() throws IOException {
        for (Path p : runs) {
            Files.deleteIfExists(p);
        }
        runs.clear();
        n = 0;
    }

    /** A run file read back a reading at a time. */
    private static final class RunReader implements AutoCloseable {
        final int index;
        private final DataInputStream in;
        long at;
        int device;
        byte type;
        double value;

        RunReader(Path file, int index) throws IOException {
            this.index = index;
            this.in =
                    new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        boolean next() throws IOException {
            try {
                at = in.readLong();
            } catch (EOFException end) {
                return false;
            }
            device = in.readInt();
            type = in.readByte();
            value = in.readDouble();
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
