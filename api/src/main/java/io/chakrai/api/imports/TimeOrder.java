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
 * each run is written sorted to a file of its own (21 bytes a reading, owner-only, named for its
 * import so a sweep finds what a crash left, deleted on {@link #close}) and the runs are merged as
 * they are read back, at most {@link #FAN_IN} at a time (more are merged into longer runs first, so
 * memory stays bounded whatever the count). Readings at the same time keep the order they were
 * added in. A spill that would leave the disk less than {@link #RESERVE} free is refused.
 */
final class TimeOrder implements AutoCloseable {
    /** Readings sorted in memory at a time. */
    static final int RUN = 1 << 18;

    /** Runs merged at once: each holds an open file and a small buffer. */
    static final int FAN_IN = 64;

    /** Free disk a spill leaves, at least (the same the uploads keep). */
    static final long RESERVE = 2L << 30;

    /** The disk would be left fuller than {@link #RESERVE}. */
    static final class NoRoom extends IOException {
        private static final long serialVersionUID = 1L;

        NoRoom() {
            super("no room on the server's disk to put the import in time order");
        }
    }

    /** Times at or past this (in ms; the year 2527) cannot be packed with their index. */
    private static final long LATEST = 1L << 44;

    /** One reading, handed on in time order. */
    @FunctionalInterface
    interface Each {
        void accept(int device, DataType type, double value, long at) throws IOException;
    }

    private static final DataType[] TYPES = DataType.values();

    private final Path dir;
    private final String prefix;
    private final long reserve;
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
     * @param prefix their names' start (the import's)
     */
    TimeOrder(Path dir, String prefix) {
        this(dir, prefix, RUN, RESERVE);
    }

    TimeOrder(Path dir, String prefix, int run, long reserve) {
        if (run < 1 || run > RUN) {
            throw new IllegalArgumentException("a run of 1.." + RUN + " readings, not " + run);
        }
        this.dir = dir;
        this.prefix = prefix;
        this.reserve = reserve;
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
        try {
            spill();
            // too many runs to hold open at once: the first ones merged into longer runs
            while (runs.size() > FAN_IN) {
                List<Path> first = new ArrayList<>(runs.subList(0, FAN_IN));
                Path merged = newRun();
                try (DataOutputStream out = writer(merged)) {
                    merge(first, (d, t, v, at) -> write(out, at, d, (byte) t.ordinal(), v));
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(merged);
                    throw e;
                }
                runs.removeAll(first);
                runs.add(0, merged); // the earliest added first: equal times keep their order
                for (Path p : first) {
                    Files.delete(p);
                }
            }
            merge(runs, each);
        } finally {
            close();
        }
    }

    /** The readings of {@code files} (runs, each sorted) in time order; ties by file order. */
    private static void merge(List<Path> files, Each each) throws IOException {
        PriorityQueue<RunReader> heads =
                new PriorityQueue<>(
                        Comparator.comparingLong((RunReader r) -> r.at)
                                .thenComparingInt(r -> r.index));
        List<RunReader> open = new ArrayList<>();
        try {
            for (int k = 0; k < files.size(); k++) {
                RunReader r = new RunReader(files.get(k), k);
                open.add(r);
                if (r.next()) {
                    heads.add(r);
                }
            }
            while (!heads.isEmpty()) {
                RunReader r = heads.poll();
                each.accept(r.device, TYPES[r.type], r.value, r.at);
                if (r.next()) {
                    heads.add(r);
                }
            }
        } finally {
            for (RunReader r : open) {
                r.close();
            }
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
        if (Files.getFileStore(dir).getUsableSpace() - 21L * n < reserve) {
            throw new NoRoom();
        }
        Path file = newRun();
        runs.add(file);
        try (DataOutputStream out = writer(file)) {
            for (int i : sorted()) {
                write(out, at[i], device[i], type[i], value[i]);
            }
        }
        n = 0;
    }

    private Path newRun() throws IOException {
        Path file =
                Files.createTempFile(
                        dir,
                        prefix,
                        ".run",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
        return file;
    }

    private static DataOutputStream writer(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    private static void write(DataOutputStream out, long at, int device, byte type, double value)
            throws IOException {
        out.writeLong(at);
        out.writeInt(device);
        out.writeByte(type);
        out.writeDouble(value);
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
