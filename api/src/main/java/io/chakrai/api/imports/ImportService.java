package io.chakrai.api.imports;

import io.chakrai.api.devices.Device;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.privacy.AuditRepository;
import io.chakrai.api.readings.ReadingPublisher;
import io.chakrai.models.Json;
import io.chakrai.models.imports.ExportReader;
import io.chakrai.models.imports.ImportFormat;
import io.chakrai.models.imports.ImportRefused;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.ReadingTiming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports of a person's history. An upload is resumable: it is created with its size, then sent in
 * chunks at the offset the server holds ({@code received_bytes}), so a connection lost at 900 MB of
 * 1 GB resumes there. A whole file is read on one worker thread, a file at a time (imports are
 * background work on the cores live data needs), as a stream: readings are checked like live ones,
 * those stored already are counted as duplicates and not sent, those another of the person's
 * devices recorded in the same minute are skipped, the rest go to Kafka in batches like live
 * readings. Progress is stored every second and pushed to the owner's sockets as {@code
 * import_progress}. The file is deleted when its reading ends, however it ends. After an API
 * restart an import that was queued or running is read again from the start: what was published
 * already counts as duplicates.
 */
public final class ImportService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);

    /** The largest export taken (Apple Health exports of years run to several GB). */
    public static final long MAX_BYTES = 8L << 30;

    static final int BATCH = 10_000;

    /** Left free on the upload folder's disk whatever is uploaded. */
    static final long RESERVE_BYTES = 2L << 30;

    /** An upload with no chunk for this long is ended and its file deleted. */
    static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofHours(24);

    private final ImportRepository imports;
    private final DeviceRepository devices;
    private final AuditRepository audit;
    private final ReadingPublisher publisher;
    private final ReadingTiming timing;
    private final Clock clock;
    private final Path dir;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "imports");
                        t.setDaemon(true);
                        t.setPriority(Thread.MIN_PRIORITY);
                        return t;
                    });
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter elsewhere;
    private final java.util.Set<Long> writing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "imports-sweep");
                        t.setDaemon(true);
                        return t;
                    });
    private volatile BiConsumer<Integer, String> events = (user, json) -> {};

    public ImportService(
            ImportRepository imports,
            DeviceRepository devices,
            AuditRepository audit,
            ReadingPublisher publisher,
            ReadingTiming timing,
            Clock clock,
            Path dir,
            MeterRegistry metrics) {
        this.imports = imports;
        this.devices = devices;
        this.audit = audit;
        this.publisher = publisher;
        this.timing = timing;
        this.clock = clock;
        this.dir = dir;
        this.accepted =
                Counter.builder("chakrai_import_readings")
                        .tag("outcome", "accepted")
                        .description("readings of imported exports, by outcome")
                        .register(metrics);
        this.duplicates =
                Counter.builder("chakrai_import_readings")
                        .tag("outcome", "duplicate")
                        .description("readings of imported exports, by outcome")
                        .register(metrics);
        this.elsewhere =
                Counter.builder("chakrai_import_readings")
                        .tag("outcome", "recorded_elsewhere")
                        .description("readings of imported exports, by outcome")
                        .register(metrics);
    }

    /** Where {@code import_progress} events go: the owner's sockets. */
    public void onProgress(BiConsumer<Integer, String> sender) {
        this.events = sender;
    }

    /**
     * Picks up the imports an earlier run of the API did not finish, and starts the sweep of
     * abandoned uploads.
     */
    public void resume() {
        sweeper.scheduleWithFixedDelay(this::sweep, 0, 5, java.util.concurrent.TimeUnit.MINUTES);
        try {
            for (ImportRepository.Pending p : imports.interrupted()) {
                if (Files.exists(file(p.id()))) {
                    LOG.info(
                            "import {} was not finished before the API stopped; reading it again",
                            p.id());
                    worker.execute(() -> run(p.user(), p.id()));
                } else {
                    imports.finished(
                            p.id(),
                            Import.FAILED,
                            "the uploaded file was lost when the server restarted; upload it again");
                }
            }
        } catch (SQLException e) {
            LOG.warn("could not look for unfinished imports: {}", e.getSQLState());
        }
    }

    public Import create(int user, String fileName, long size, ImportFormat format, ZoneId zone)
            throws SQLException, IOException {
        if (imports.unfinished(user).isPresent()) {
            throw inProgress();
        }
        prepareDir();
        // the disk is promised to the uploads under way too: each may still send the rest of its
        // file
        long free = Files.getFileStore(dir).getUsableSpace() - imports.promisedBytes();
        if (size > free - RESERVE_BYTES) {
            // uploads share the disk with everything else the server keeps: refused up front, not
            // when it is full
            throw new ApiException(
                    507,
                    "insufficient_storage",
                    "the server cannot take a file of "
                            + size
                            + " bytes now; "
                            + "try again later or send a smaller export");
        }
        Import created;
        try {
            created =
                    imports.create(
                            user,
                            format == null ? null : format.wireName(),
                            fileName,
                            zone.getId(),
                            size);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw inProgress(); // a second start sent at the same moment: the partial unique
                // index stopped it
            }
            throw e;
        }
        try {
            Files.deleteIfExists(file(created.id()));
            Files.createFile(
                    file(created.id()),
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            // no file, no upload: the row must not hold the person's one open import
            imports.endUpload(
                    created.id(), "the server could not make room for the upload; try again later");
            throw e;
        }
        return created;
    }

    private static ApiException inProgress() {
        return new ApiException(
                409,
                "import_in_progress",
                "an import of yours is still uploading or being read; wait for it "
                        + "to end, or cancel an upload with DELETE /api/v2/biometric/imports/{id}, before starting another");
    }

    /** The upload folder, the owner's only (it holds health data until each file is read). */
    private void prepareDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        }
    }

    /**
     * Writes a chunk sent for {@code offset} at that position; the file is read once it is whole.
     * One chunk of an import at a time: a retry sent while the first is still being written is
     * answered 409, not interleaved with it.
     */
    public Import append(int user, long id, long offset, InputStream body, long declaredLength)
            throws SQLException, IOException {
        lock(id);
        try {
            return appendLocked(user, id, offset, body, declaredLength);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ApiException(
                    409,
                    "upload_lost",
                    "the partial upload is gone (cancelled or expired); start the import again");
        } finally {
            writing.remove(id);
        }
    }

    private Import appendLocked(
            int user, long id, long offset, InputStream body, long declaredLength)
            throws SQLException, IOException {
        // read under the lock: the state a chunk is judged by is the one no other chunk, cancel or
        // sweep can change
        Import i = imports.find(user, id).orElseThrow(() -> ApiException.notFound("import"));
        if (!Import.UPLOADING.equals(i.status())) {
            throw new ApiException(
                    409,
                    "upload_complete",
                    "the import is no longer uploading (status " + i.status() + ")");
        }
        if (offset != i.receivedBytes()) {
            throw new ApiException(
                    409,
                    "wrong_offset",
                    "the server holds "
                            + i.receivedBytes()
                            + " bytes of this file; "
                            + "send the chunk that starts there (offset="
                            + i.receivedBytes()
                            + ")");
        }
        Path f = file(id);
        long before = Files.exists(f) ? Files.size(f) : -1;
        if (before < offset) {
            // the file is gone or shorter than the row says (a disk wiped under it): this upload
            // cannot go on
            imports.finished(
                    id,
                    Import.FAILED,
                    "the partial upload was lost on the server; start the import again");
            throw new ApiException(
                    409,
                    "upload_lost",
                    "the partial upload was lost on the server; start the import again");
        }
        long written = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel out = FileChannel.open(f, StandardOpenOption.WRITE)) {
            // bytes past offset are a chunk written but never recorded (a failure between the two):
            // overwritten
            out.truncate(offset);
            out.position(offset);
            for (int n; (n = body.read(buf.array())) > 0; ) {
                written += n;
                if (offset + written > i.sizeBytes()) {
                    throw new ApiException(
                            400,
                            "chunk_too_long",
                            "the chunk goes past the file's declared size of "
                                    + i.sizeBytes()
                                    + " bytes");
                }
                buf.clear().limit(n);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        } catch (ApiException e) {
            truncate(f, offset);
            throw e;
        }
        if (written == 0) {
            throw ApiException.badRequest(
                    "empty_chunk",
                    "the chunk is empty; send the file's bytes from offset " + offset);
        }
        if (declaredLength >= 0 && written != declaredLength) {
            truncate(f, offset);
            throw ApiException.badRequest(
                    "incomplete_chunk",
                    "the chunk ended after "
                            + written
                            + " of its "
                            + declaredLength
                            + " bytes; send it again from offset "
                            + offset);
        }
        boolean complete = offset + written == i.sizeBytes();
        if (!imports.received(user, id, offset, offset + written, complete)) {
            truncate(f, offset);
            throw new ApiException(
                    409,
                    "wrong_offset",
                    "the import changed while the chunk arrived; ask for its state");
        }
        if (complete) {
            audit.append(
                    user,
                    "person:" + user,
                    "change",
                    "readings imported from "
                            + i.fileName()
                            + " (import "
                            + id
                            + ", "
                            + i.sizeBytes()
                            + " bytes)",
                    "history the person uploaded");
            worker.execute(() -> run(user, id));
        }
        return imports.find(user, id).orElseThrow();
    }

    /**
     * Takes the import's one chunk slot, or answers 409: a chunk, a cancel and the sweep never
     * overlap.
     */
    private void lock(long id) {
        if (!writing.add(id)) {
            throw new ApiException(
                    409,
                    "chunk_in_progress",
                    "a chunk of this import is being received; wait for its answer, "
                            + "then send the next from the received_bytes it gives");
        }
    }

    /**
     * Cancels an upload not yet whole: its file is deleted, the import ends as failed
     * ("cancelled").
     */
    public Import cancel(int user, long id) throws SQLException, IOException {
        imports.find(user, id).orElseThrow(() -> ApiException.notFound("import"));
        lock(id);
        try {
            if (!imports.endUpload(id, "cancelled")) {
                throw new ApiException(
                        409,
                        "not_uploading",
                        "only an upload not yet whole can be cancelled; this import is "
                                + imports.find(user, id).map(Import::status).orElse("gone"));
            }
            Files.deleteIfExists(file(id));
        } finally {
            writing.remove(id);
        }
        return imports.find(user, id).orElseThrow();
    }

    /**
     * Ends uploads nobody has added to for {@link #ABANDONED_AFTER} (their files deleted), and
     * deletes files no import row owns any more (an erased person's partial upload). Runs every few
     * minutes.
     */
    void sweep() {
        try {
            for (long id : imports.abandoned(ABANDONED_AFTER)) {
                if (!writing.add(id)) {
                    continue; // a chunk is arriving right now: not abandoned
                }
                try {
                    if (imports.endUpload(
                            id,
                            "abandoned: no chunk arrived for "
                                    + ABANDONED_AFTER.toHours()
                                    + " hours")) {
                        Files.deleteIfExists(file(id));
                        LOG.info("import {} abandoned; its partial file deleted", id);
                    }
                } finally {
                    writing.remove(id);
                }
            }
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String n = f.getFileName().toString();
                        // the upload and anything SQLite left beside it (-wal, -shm, -journal),
                        // and the files of readings being put in time order
                        if (n.matches(
                                        "import-\\d+(\\.upload(-wal|-shm|-journal)?|-order-\\d+\\.run)")
                                && !imports.live(
                                        Long.parseLong(
                                                n.replaceAll("^import-(\\d+)[.-].*$", "$1")))) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.warn("could not sweep the import uploads: {}", e.toString());
        }
    }

    private static void truncate(Path f, long size) throws IOException {
        try (var ch = Files.newByteChannel(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    public Import get(int user, long id) throws SQLException {
        return imports.find(user, id).orElseThrow(() -> ApiException.notFound("import"));
    }

    public List<Import> list(int user, int limit) throws SQLException {
        return imports.list(user, limit);
    }

    /**
     * An operator's import of a file on this machine for a person ({@code ./chakrai import}): the
     * same checks, the same Kafka path, run on the calling thread; the file is left where it is.
     * Returns the import as it ended.
     */
    public Import importLocal(int user, Path file, ImportFormat format, ZoneId zone)
            throws SQLException, IOException {
        Import created =
                imports.create(
                        user,
                        format == null ? null : format.wireName(),
                        file.getFileName().toString(),
                        zone.getId(),
                        Math.max(1, Files.size(file)));
        imports.received(user, created.id(), 0, created.sizeBytes(), true);
        audit.append(
                user,
                "operator",
                "change",
                "readings imported from "
                        + created.fileName()
                        + " (import "
                        + created.id()
                        + ", "
                        + created.sizeBytes()
                        + " bytes)",
                "history an operator imported from a file");
        run(user, created.id(), file, false);
        return imports.find(user, created.id()).orElseThrow();
    }

    private void run(int user, long id) {
        run(user, id, file(id), true);
    }

    /** Reads a whole file into readings; never throws (its outcome is the row's status). */
    private void run(int user, long id, Path f, boolean delete) {
        boolean keep = false;
        try {
            Import i = imports.find(user, id).orElseThrow();
            ImportFormat format =
                    i.format() != null
                            ? ImportFormat.fromWire(i.format()).orElseThrow()
                            : ExportReader.detect(f);
            if (!imports.started(id, format.wireName())) {
                LOG.info("import {} was ended before its reading began (cancelled or swept)", id);
                return;
            }
            deleteOrderFiles(id); // what a read cut short by a stop or a crash left
            ImportRepository.Elsewhere elsewhere = imports.elsewhere(user, vendorPrefix(format));
            ImportRun run =
                    new ImportRun(
                            user,
                            id,
                            timing,
                            clock.instant(),
                            BATCH,
                            source -> device(user, format, source),
                            batch -> publish(batch, elsewhere),
                            dir);
            try (run) {
                read(user, id, i, f, format, run);
            }
        } catch (ImportRefused e) {
            if (Thread.currentThread().isInterrupted()) {
                keep = true; // the API is stopping: a read cut short is no verdict on the file
            } else {
                fail(id, e.getMessage());
            }
        } catch (Throwable e) {
            if (Thread.currentThread().isInterrupted()
                    || e instanceof InterruptedException
                    || e.getCause() instanceof InterruptedException
                    || e instanceof java.nio.channels.ClosedByInterruptException) {
                // the API is stopping: the file and the row stay as they are, and the next start
                // reads it again
                keep = true;
                LOG.info(
                        "import {} interrupted by the API stopping; it is read again at the next start",
                        id);
            } else if (e instanceof ImportRun.TooLong) {
                fail(
                        id,
                        e.getMessage()
                                + "; what was read before is kept (an import run again stores nothing twice)");
            } else if (e instanceof ImportRun.Stopped && e.getCause() instanceof TimeOrder.NoRoom) {
                fail(
                        id,
                        "the server's disk has no room to put this import in time order now; upload it again later");
            } else if (e instanceof ImportRun.Stopped) {
                LOG.warn("import {} stopped: {}", id, e.getCause().toString());
                fail(
                        id,
                        "the readings could not be stored right now; upload the file again later (nothing is stored twice)");
            } else {
                LOG.warn("import {} failed: {}", id, e.toString());
                fail(
                        id,
                        "the file could not be read to the end; upload it again (nothing is stored twice)");
            }
            if (e instanceof Error err
                    && !(e instanceof OutOfMemoryError || e instanceof LinkageError)) {
                throw err;
            }
        } finally {
            try {
                if (delete && !keep) {
                    Files.deleteIfExists(f);
                    for (String sibling : new String[] {"-wal", "-shm", "-journal"}) {
                        Files.deleteIfExists(f.resolveSibling(f.getFileName() + sibling));
                    }
                }
            } catch (IOException e) {
                LOG.warn("could not delete the file of import {}: {}", id, e.toString());
            }
            if (!keep) {
                push(user, id);
            }
        }
    }

    /**
     * Reads the file through {@code run}; a file refused part way keeps what came before (say so in
     * its error).
     */
    private void read(int user, long id, Import i, Path f, ImportFormat format, ImportRun run)
            throws IOException, SQLException {
        LongSupplier[] read = {() -> 0L};
        run.everySecond(() -> progress(user, id, read[0].getAsLong(), run));
        try {
            try {
                ExportReader.read(
                        f, i.fileName(), format, ZoneId.of(i.timeZone()), run, s -> read[0] = s);
            } catch (IOException | RuntimeException broke) {
                // what was read before is kept, however the read ended (a stop of the API
                // aside: the file is read again from its start at the next)
                if (!(broke instanceof ImportRun.Stopped)
                        && !Thread.currentThread().isInterrupted()) {
                    try {
                        run.finish();
                        progress(user, id, read[0].getAsLong(), run);
                    } catch (RuntimeException also) {
                        broke.addSuppressed(also);
                    }
                }
                throw broke;
            }
            run.finish();
            progress(user, id, read[0].getAsLong(), run);
            imports.finished(id, Import.DONE, null);
            LOG.info(
                    "import {} done: {} records, {} readings accepted, {} duplicates",
                    id,
                    run.records(),
                    run.accepted(),
                    run.duplicates());
        } catch (ImportRefused e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ImportRun.Stopped(new InterruptedException("the API is stopping"));
            }
            run.finish();
            progress(user, id, read[0].getAsLong(), run);
            imports.finished(
                    id,
                    Import.FAILED,
                    e.getMessage()
                            + (run.accepted() > 0
                                    ? "; the "
                                            + run.accepted()
                                            + " readings before it were kept (an import run again stores nothing twice)"
                                    : ""));
        }
    }

    private void fail(long id, String why) {
        try {
            imports.finished(id, Import.FAILED, why);
        } catch (SQLException e) {
            LOG.warn("could not record the end of import {}: {}", id, e.getSQLState());
        }
    }

    private void progress(int user, long id, long read, ImportRun run) {
        try {
            imports.progress(
                    id, read, run.records(), run.accepted(), run.duplicates(), run.skipped());
        } catch (SQLException e) {
            LOG.warn("could not record the progress of import {}: {}", id, e.getSQLState());
        }
        push(user, id);
    }

    private void push(int user, long id) {
        try {
            imports.find(user, id)
                    .ifPresent(
                            i ->
                                    events.accept(
                                            user,
                                            Json.MAPPER
                                                    .createObjectNode()
                                                    .put("type", "import_progress")
                                                    .set(
                                                            "import",
                                                            ImportHandler.json(i, clock.instant()))
                                                    .toString()));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("no progress event for import {}: {}", id, e.toString());
        }
    }

    /**
     * The person's device for a source: one per export format and source, registered for every
     * type.
     */
    private int device(int user, ImportFormat format, String source) throws SQLException {
        String vendorId = clip(vendorPrefix(format) + source, 128);
        String type = format.deviceType().wireName();
        var existing = devices.findByVendorId(user, type, vendorId);
        List<String> all = Arrays.stream(DataType.values()).map(DataType::wireName).toList();
        if (existing.isPresent()) {
            Device d = existing.get();
            if (!d.isActive() || !d.dataTypes().containsAll(all)) {
                devices.update(
                        user,
                        d.id(),
                        new DeviceRepository.Fields(null, null, null, all, null, null, null, null),
                        true);
            }
            return d.id();
        }
        return devices.create(
                        user,
                        new DeviceRepository.Fields(
                                type,
                                vendorId,
                                clip(source + " (imported)", 100),
                                all,
                                86_400,
                                null,
                                null,
                                null))
                .id();
    }

    /** What the devices an import of {@code format} files readings under are named from. */
    private static String vendorPrefix(ImportFormat format) {
        return "import:" + format.wireName() + ":";
    }

    /**
     * Publishes what is not stored already, nor recorded in the same minute by another of the
     * person's devices (the watch that streamed it live: the same heartbeat, under another device);
     * says how many of each were left out.
     */
    private ImportRun.Published publish(
            List<BiometricReading> batch, ImportRepository.Elsewhere elsewhere)
            throws SQLException, ReadingPublisher.PublishException {
        BitSet stored = imports.stored(batch);
        List<BiometricReading> fresh = without(batch, stored);
        BitSet other = imports.recordedElsewhere(fresh, elsewhere);
        List<BiometricReading> sent = without(fresh, other);
        publisher.publish(sent);
        accepted.increment(sent.size());
        duplicates.increment(stored.cardinality());
        this.elsewhere.increment(other.cardinality());
        return new ImportRun.Published(stored.cardinality(), other.cardinality());
    }

    private static List<BiometricReading> without(List<BiometricReading> batch, BitSet left) {
        if (left.isEmpty()) {
            return batch;
        }
        List<BiometricReading> kept = new ArrayList<>(batch.size() - left.cardinality());
        for (int k = 0; k < batch.size(); k++) {
            if (!left.get(k)) {
                kept.add(batch.get(k));
            }
        }
        return kept;
    }

    /** The file of an import, on the API's disk while it is uploaded and read. */
    Path file(long id) {
        return dir.resolve("import-" + id + ".upload");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Deletes the files of an import's readings being put in time order. */
    private void deleteOrderFiles(long id) throws IOException {
        String prefix = ImportRun.orderFilePrefix(id);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith(prefix)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        worker.shutdownNow();
        try {
            // a moment for the read under way to stop and delete its files
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
