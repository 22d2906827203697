package io.chakrai.api.imports;

import io.chakrai.models.imports.ImportSink;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.Problem;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one import's reader finds, turned into readings with the checks live readings get (the
 * type's plausible range, whole numbers where the type counts, the timestamp's age and skew), each
 * filed under a device of the person's own for the source it came from, put in time order ({@link
 * TimeOrder}: exports list a type at a time, the stress job judges a minute with what reaches it
 * together) and handed on in batches once the file is read. What fails a check is counted by
 * reason, never kept. The same reading twice in a file (exports repeat records) is handed on once.
 * Batches are stored on a thread of their own while the next is built, at most {@link #IN_FLIGHT}
 * at a time (memory stays bounded).
 */
final class ImportRun implements ImportSink, AutoCloseable {
    /** Batches handed on and not yet stored, at most. */
    static final int IN_FLIGHT = 2;

    /** The person's device for a source named in the export (created the first time). */
    @FunctionalInterface
    interface Devices {
        int deviceFor(String source) throws Exception;
    }

    /** Makes a batch durable; says what of it was not sent, and why. */
    @FunctionalInterface
    interface Store {
        Published publish(List<BiometricReading> batch) throws Exception;
    }

    /**
     * What a batch left out: readings stored already (their natural key), and readings another of
     * the person's devices recorded in the same minute.
     */
    record Published(int stored, int elsewhere) {}

    /** The skip reason of a reading another of the person's devices recorded. */
    static final String ELSEWHERE =
            "recorded in the same minute by another of your devices (streamed live, or from another export)";

    /**
     * The store or the device registry failed; the import stops (what was published stays: a re-run
     * stores it once).
     */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(Exception cause) {
            super(cause);
        }
    }

    /** The import ran past {@link #MAX_NANOS}. */
    static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(
                    "the import has read for "
                            + java.time.Duration.ofNanos(MAX_NANOS).toHours()
                            + " hours; stopped");
        }
    }

    /** Keys of the readings handed on lately, to drop a file's repeats across batches. */
    static final int REMEMBERED = 200_000;

    /**
     * Sources (devices, apps) one export may name; the rest are skipped (each becomes a device of
     * the person's).
     */
    static final int MAX_SOURCES = 32;

    /**
     * The longest one import may read: the one worker is shared, so a file built to last for ever
     * is stopped.
     */
    static final long MAX_NANOS = java.time.Duration.ofHours(2).toNanos();

    private final long began = System.nanoTime();

    private final int user;
    private final String metadata;
    private final ReadingTiming timing;
    private final Instant now;
    private final int batchSize;
    private final Devices devices;
    private final Store store;
    private final Map<String, Integer> deviceIds = new HashMap<>();
    private final Map<String, Boolean> recent =
            new LinkedHashMap<>(1 << 16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            };

    /**
     * The minutes lately given a sleep stage, and by which device: a night several sources recorded
     * (a watch with stages, a phone or app without) counts once, the first source's.
     */
    private final Map<Long, Integer> sleptMinutes =
            new LinkedHashMap<>(1 << 12, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
                    return size() > REMEMBERED;
                }
            };

    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final java.util.concurrent.ExecutorService storing =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "import-store");
                        t.setDaemon(true);
                        return t;
                    });
    private final java.util.concurrent.Semaphore slots =
            new java.util.concurrent.Semaphore(IN_FLIGHT);
    private final java.util.concurrent.atomic.AtomicLong accepted =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stored =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong elsewhere =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile Exception failed;
    private List<BiometricReading> batch;
    private final TimeOrder order;
    private long records;
    private long duplicates;
    private Runnable tick = () -> {};
    private long lastTick = System.nanoTime();

    /**
     * @param spill where readings past the first {@link TimeOrder#RUN} are put in order (the
     *     upload's folder)
     */
    ImportRun(
            int user,
            long importId,
            ReadingTiming timing,
            Instant now,
            int batchSize,
            Devices devices,
            Store store,
            java.nio.file.Path spill) {
        this.order = new TimeOrder(spill, orderFilePrefix(importId));
        this.user = user;
        this.metadata = BiometricReading.importMetadata(importId);
        this.timing = timing;
        this.now = now;
        this.batchSize = batchSize;
        this.devices = devices;
        this.store = store;
        this.batch = new ArrayList<>(batchSize);
    }

    /** Runs {@code r} (progress) at most once a second, between records. */
    void everySecond(Runnable r) {
        this.tick = r;
    }

    private void ticked() {
        if ((records & 1023) == 0) {
            check(began);
        }
    }

    /** Stops a phase that began at {@code since} past {@link #MAX_NANOS}; progress each second. */
    private void check(long since) {
        long t = System.nanoTime();
        if (t - since > MAX_NANOS) {
            throw new TooLong();
        }
        if (t - lastTick >= 1_000_000_000L) {
            lastTick = t;
            tick.run();
        }
    }

    @Override
    public void sample(String source, DataType type, double value, Instant at) {
        records++;
        ticked();
        if (!ReadingCodec.plausible(type, value)) {
            skip(
                    type.wireName()
                            + " outside its plausible range ("
                            + num(type.min())
                            + " to "
                            + num(type.max())
                            + " "
                            + type.unit()
                            + (type.integral() ? ", whole numbers" : "")
                            + ")",
                    false);
            return;
        }
        Optional<Problem> late = timing.check(at, now);
        if (late.isPresent()) {
            skip("timestamp " + late.get().reason(), false);
            return;
        }
        int device = device(source);
        if (device < 0) {
            skip("from a source past the first " + MAX_SOURCES + " the export names", false);
            return;
        }
        if (type == DataType.SLEEP_STAGE) {
            Integer first =
                    sleptMinutes.putIfAbsent(Math.floorDiv(at.toEpochMilli(), 60_000L), device);
            if (first != null && first != device) {
                skip("a minute of sleep another source gave already", false);
                return;
            }
        }
        if (recent.put(device + "|" + type.wireName() + "|" + at.toEpochMilli(), Boolean.TRUE)
                != null) {
            duplicates++;
            return;
        }
        try {
            order.add(device, type, value, at.toEpochMilli());
        } catch (java.io.IOException e) {
            throw new Stopped(e);
        }
    }

    /** The names of an import's files of readings being put in time order start so. */
    static String orderFilePrefix(long importId) {
        return "import-" + importId + "-order-";
    }

    /**
     * Once the file is read: its readings in time order, into batches that are stored; as long as
     * {@link #MAX_NANOS} at most, as the reading was.
     */
    private void handOn() {
        long began = System.nanoTime();
        try {
            long[] handed = {0};
            order.drain(
                    (device, type, value, at) -> {
                        // an imported value is what the device recorded: full quality, the codec's
                        // default confidence
                        batch.add(
                                new BiometricReading(
                                        user,
                                        device,
                                        type.wireName(),
                                        value,
                                        type.unit(),
                                        ReadingCodec.DEFAULT_QUALITY,
                                        ReadingCodec.DEFAULT_CONFIDENCE,
                                        Instant.ofEpochMilli(at),
                                        metadata));
                        if (batch.size() >= batchSize) {
                            flush();
                        }
                        if ((++handed[0] & 1023) == 0) {
                            check(began);
                        }
                    });
        } catch (java.io.IOException e) {
            throw new Stopped(e);
        }
    }

    @Override
    public void skip(String reason) {
        skip(reason, true);
    }

    private void skip(String reason, boolean counted) {
        if (counted) {
            records++;
            ticked();
        }
        skipped.merge(reason, 1L, Long::sum);
    }

    private int device(String source) {
        Integer id = deviceIds.get(source);
        if (id == null && deviceIds.size() >= MAX_SOURCES) {
            return -1;
        }
        if (id == null) {
            try {
                id = devices.deviceFor(source);
            } catch (Exception e) {
                throw new Stopped(e);
            }
            deviceIds.put(source, id);
        }
        return id;
    }

    /**
     * Hands on what is batched, to be stored while reading goes on; waits while {@link #IN_FLIGHT}
     * are on their way.
     */
    void flush() {
        rethrow();
        if (batch.isEmpty()) {
            return;
        }
        List<BiometricReading> full = batch;
        batch = new ArrayList<>(batchSize);
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(e);
        }
        storing.execute(
                () -> {
                    try {
                        if (failed == null) {
                            Published p = store.publish(full);
                            stored.addAndGet(p.stored());
                            elsewhere.addAndGet(p.elsewhere());
                            accepted.addAndGet(full.size() - p.stored() - p.elsewhere());
                        }
                    } catch (Exception e) {
                        failed = e;
                    } finally {
                        slots.release();
                    }
                });
    }

    /**
     * Hands on the last batch and waits until every batch is stored; throws {@link Stopped} if one
     * was not.
     */
    void finish() {
        handOn();
        flush();
        try {
            slots.acquire(IN_FLIGHT);
            slots.release(IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(e);
        }
        rethrow();
    }

    private void rethrow() {
        if (failed != null) {
            throw new Stopped(failed);
        }
    }

    @Override
    public void close() {
        storing.shutdownNow();
        try {
            order.close();
        } catch (java.io.IOException e) {
            throw new Stopped(e);
        }
    }

    long records() {
        return records;
    }

    /** Readings read and checked, waiting to be handed on in time order. */
    long ordered() {
        return order.size();
    }

    /** Readings new to the store, handed on (so far: they are handed on once the file is read). */
    long accepted() {
        return accepted.get();
    }

    /** Readings stored already: in the store, or repeated in the file. */
    long duplicates() {
        return duplicates + stored.get();
    }

    Map<String, Long> skipped() {
        Map<String, Long> all = new LinkedHashMap<>(skipped);
        if (elsewhere.get() > 0) {
            all.put(ELSEWHERE, elsewhere.get());
        }
        return all;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
