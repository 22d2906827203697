package io.chakrai.models.imports;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Enumeration;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * An uploaded export: what it is ({@link #detect}) and what it holds ({@link #read}), from a ZIP
 * archive or a single file, as a stream with bounded memory whatever its size. Archives are read,
 * never unpacked to disk; an entry name that climbs out of the archive ({@code ..}, an absolute
 * path) refuses the whole archive, and so does an entry that inflates to more than {@link
 * #MAX_RATIO} times its compressed size (a zip bomb).
 *
 * <p>An export of many files (Fitbit's day files, Oura's documents, Garmin's FIT files) is read
 * file by file: one that cannot be read to its end is read up to where it fails, named among the
 * skipped (the first {@link #NAMED_DAMAGED}, each with its position), and the files beside it are
 * read. An export that is one file (Apple Health's {@code export.xml}, Health Connect's database)
 * stops where it fails. Garmin Connect's account export nests ZIPs of FIT files inside its ZIP:
 * those are read one level deep, with the same guards.
 */
public final class ExportReader {
    /** DEFLATE reaches ~1,000×; real exports (XML, JSON) 10–30×. */
    static final long MAX_RATIO = 200;

    /**
     * What all entries of one archive may inflate to, together (a real export of years: a few GB).
     */
    static final long MAX_INFLATED = 40L << 30;

    /** The largest Health Connect database copied out of an archive. */
    static final long MAX_DATABASE_BYTES = 4L << 30;

    /**
     * Below this, an entry's ratio is not judged (a tiny compressed entry may inflate a lot and
     * mean nothing).
     */
    static final long RATIO_FREE_BYTES = 1L << 20;

    /** Damaged files of an archive named one by one among the skipped; the rest are counted. */
    static final int NAMED_DAMAGED = 5;

    /** The skip reason of damaged files past the first {@link #NAMED_DAMAGED}. */
    static final String MORE_DAMAGED =
            "more files of the archive that could not be read to their end (each read up to where it fails)";

    /** The skip reason of an archive nested two levels deep (Garmin nests one). */
    static final String TOO_DEEP = "an archive inside an archive inside the export (not read)";

    private ExportReader() {}

    /** What the file is; refused when it is none of the formats. */
    public static ImportFormat detect(Path file) throws IOException, ImportRefused {
        if (zip(file)) {
            try (ZipFile z = new ZipFile(file.toFile())) {
                boolean apple = false;
                boolean fitbit = false;
                boolean oura = false;
                boolean healthConnect = false;
                boolean garmin = false;
                // every name is checked: one unsafe name refuses the archive, wherever it stands
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = safeName(entry.getName());
                    apple |= wanted(ImportFormat.APPLE_HEALTH, name);
                    fitbit |= FitbitReader.imports(name);
                    oura |=
                            name.toLowerCase(Locale.ROOT).contains("oura")
                                    && name.endsWith(".json");
                    healthConnect |= wanted(ImportFormat.HEALTH_CONNECT, name);
                    garmin = garmin || fit(name) || (nested(name) && holdsFit(z, entry, name));
                }
                if (apple) {
                    return ImportFormat.APPLE_HEALTH;
                }
                if (fitbit) {
                    return ImportFormat.FITBIT;
                }
                if (oura) {
                    return ImportFormat.OURA;
                }
                if (healthConnect) {
                    return ImportFormat.HEALTH_CONNECT;
                }
                if (garmin) {
                    return ImportFormat.GARMIN_FIT;
                }
                throw new ImportRefused(
                        "the archive holds no export this platform reads (Apple Health's export.xml, "
                                + "Fitbit's per-day files in a Takeout, Oura's JSON, Health Connect's database, "
                                + "Garmin's .fit files)");
            } catch (ZipException e) {
                throw new ImportRefused(
                        "the file looks like a ZIP archive but cannot be read as one");
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (GarminFitReader.isFit(in.readNBytes(12))) {
                return ImportFormat.GARMIN_FIT;
            }
        }
        String head = head(file);
        if (head.startsWith("SQLite format 3\0")) {
            return ImportFormat.HEALTH_CONNECT;
        }
        if (head.startsWith("<")) {
            return ImportFormat.APPLE_HEALTH;
        }
        if (head.startsWith("[") || head.toLowerCase(Locale.ROOT).startsWith("timestamp,rmssd")) {
            return ImportFormat.FITBIT;
        }
        if (head.startsWith("{")) {
            return ImportFormat.OURA;
        }
        throw new ImportRefused(
                "not an export this platform reads: expected Apple Health (export.zip or export.xml), "
                        + "Fitbit (a Takeout ZIP, or a per-day JSON / CSV file), Oura (JSON), Health Connect (its .db, or the ZIP) "
                        + "or Garmin (a .fit file, or a ZIP of them)");
    }

    /**
     * Reads every record of {@code file} as {@code format} into {@code sink}; {@code name} is the
     * uploaded file's name (Fitbit's single files say what they hold by it). {@code progress}
     * receives a supplier of the file's bytes read so far, before reading starts.
     */
    public static void read(
            Path file,
            String name,
            ImportFormat format,
            ZoneId zone,
            ImportSink sink,
            java.util.function.Consumer<LongSupplier> progress)
            throws IOException, ImportRefused {
        try (InputStream raw = Files.newInputStream(file)) {
            BoundedInputStream counted = BoundedInputStream.builder().setInputStream(raw).get();
            progress.accept(counted::getCount);
            InputStream in = new BufferedInputStream(counted, 1 << 16);
            if (zip(file)) {
                // every name is checked before anything is read: an archive refused is refused
                // whole
                checkNames(file);
                // the compressed bytes the archive reader took, for the ratio (the buffer below
                // reads ahead)
                BoundedInputStream packed = BoundedInputStream.builder().setInputStream(in).get();
                readZip(packed, format, zone, sink);
            } else if (format == ImportFormat.HEALTH_CONNECT) {
                HealthConnectReader.read(file, sink); // SQLite reads the upload where it is
            } else {
                entry(name == null ? "" : name, in, format, zone, sink);
            }
        }
    }

    private static void readZip(
            BoundedInputStream packed, ImportFormat format, ZoneId zone, ImportSink sink)
            throws IOException, ImportRefused {
        Archive top = new Archive(format, zone, sink);
        try {
            top.read(packed, packed::getCount, 0);
        } catch (ZipException e) {
            throw new ImportRefused("the ZIP archive is damaged");
        }
        if (!top.any) {
            throw new ImportRefused("the archive holds no " + format.wireName() + " export");
        }
    }

    /** One archive's reading: its entries, the ZIPs nested in it, what all of them inflated to. */
    private static final class Archive {
        private final ImportFormat format;
        private final ZoneId zone;
        private final ImportSink sink;
        private final long[] inflated = {0};
        private boolean any;
        private int damaged;

        /** Why a guard stopped the reading, at any depth: the whole archive is refused. */
        private String bomb;

        Archive(ImportFormat format, ZoneId zone, ImportSink sink) {
            this.format = format;
            this.zone = zone;
            this.sink = sink;
        }

        /**
         * The entries of the ZIP in {@code in}; {@code packed} counts the bytes taken from it (for
         * the ratio), {@code depth} how deep it is nested.
         */
        void read(InputStream in, LongSupplier packed, int depth)
                throws IOException, ImportRefused {
            ZipInputStream z = new ZipInputStream(in, StandardCharsets.UTF_8);
            for (ZipEntry e = next(z); e != null; e = next(z)) {
                String name;
                try {
                    name = safeName(e.getName());
                } catch (ImportRefused unsafe) {
                    if (depth == 0) {
                        throw unsafe;
                    }
                    // a nested archive's names are met as it is read: an unsafe one ends that
                    // archive, as damage would (nothing is ever unpacked by name)
                    throw new ImportRefused(
                            "it holds an entry with an unsafe name (an absolute path or ..)");
                }
                RatioGuard guard = new RatioGuard(z, packed, name, inflated);
                boolean archive = format == ImportFormat.GARMIN_FIT && nested(name);
                if (e.isDirectory() || !(archive || wanted(format, name))) {
                    drain(guard);
                    continue;
                }
                if (archive && depth > 0) {
                    sink.skip(TOO_DEEP);
                    drain(guard);
                    continue;
                }
                try {
                    if (archive) {
                        // a nested entry's ratio is judged against what was uploaded, so ratios
                        // do not multiply with depth
                        read(guard, packed, depth + 1);
                    } else {
                        any = true;
                        entry(name, guard, format, zone, sink);
                    }
                    // a parser may stop before its entry ends (a JSON document's last bracket,
                    // a nested archive's central directory): the rest inflates through the guard
                    // too, never unguarded as the next entry is found
                    drain(guard);
                } catch (ImportRefused | IOException ex) {
                    // a parser reports the guard's stop as its own read error; the bomb is the
                    // reason, and it refuses the whole archive from however deep it is nested
                    if (guard.tripped != null) {
                        bomb = guard.tripped;
                    }
                    if (bomb != null) {
                        throw new ImportRefused(bomb);
                    }
                    if (!manyFiles(format) || ex instanceof IOException && !archive) {
                        throw ex;
                    }
                    // one file of many (or a nested archive) that cannot be read to its end: what
                    // it gave is kept, the files beside it are read
                    damaged(name, ex);
                    drain(guard);
                }
            }
        }

        /** The next entry; a name that is not UTF-8 is the archive's damage, as ZIP's own is. */
        private static ZipEntry next(ZipInputStream z) throws IOException {
            try {
                return z.getNextEntry();
            } catch (IllegalArgumentException e) {
                throw new ZipException("an entry's name cannot be read");
            }
        }

        private void damaged(String name, Exception ex) {
            if (++damaged > NAMED_DAMAGED) {
                sink.skip(MORE_DAMAGED);
                return;
            }
            String file = AppleHealthReader.clip(name);
            String why =
                    ex instanceof ImportRefused && ex.getMessage() != null
                            ? ex.getMessage()
                            : "a damaged ZIP archive";
            sink.skip(
                    (why.contains(file.substring(file.lastIndexOf('/') + 1))
                                    ? why
                                    : file + ": " + why)
                            + " (read up to there; the archive's other files were read)");
        }

        /**
         * Moves past the rest of an entry: it inflates anyway, so through the guard, and a bomb
         * among the skipped is stopped too.
         */
        private void drain(RatioGuard guard) throws IOException, ImportRefused {
            try {
                guard.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ex) {
                if (guard.tripped != null) {
                    bomb = guard.tripped;
                    throw new ImportRefused(bomb);
                }
                throw ex;
            }
        }
    }

    /** Exports of many files, each read on its own: one damaged file does not end the rest. */
    private static boolean manyFiles(ImportFormat format) {
        return format == ImportFormat.FITBIT
                || format == ImportFormat.OURA
                || format == ImportFormat.GARMIN_FIT;
    }

    private static boolean fit(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".fit");
    }

    private static boolean nested(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /**
     * Whether a ZIP inside the archive is Garmin's: under Garmin Connect's uploaded files, or its
     * first entry a FIT file (read from its local header only, nothing inflated).
     */
    private static boolean holdsFit(ZipFile z, ZipEntry entry, String name) throws IOException {
        if (name.contains("DI-Connect-Uploaded-Files/")) {
            return true;
        }
        try (ZipInputStream inner =
                new ZipInputStream(z.getInputStream(entry), StandardCharsets.UTF_8)) {
            ZipEntry first = inner.getNextEntry();
            return first != null && fit(first.getName());
        } catch (ZipException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean wanted(ImportFormat format, String name) {
        return switch (format) {
            case APPLE_HEALTH -> name.endsWith("export.xml") && !name.endsWith("_cda.xml");
            case FITBIT -> FitbitReader.imports(name);
            case OURA -> name.endsWith(".json");
            case HEALTH_CONNECT -> name.endsWith(".db");
            case GARMIN_FIT -> fit(name);
        };
    }

    private static void entry(
            String name, InputStream in, ImportFormat format, ZoneId zone, ImportSink sink)
            throws IOException, ImportRefused {
        InputStream unclosable =
                new FilterInputStream(in) {
                    @Override
                    public void close() {
                        // the archive's stream is closed by its owner, after the last entry
                    }
                };
        switch (format) {
            case APPLE_HEALTH -> AppleHealthReader.read(unclosable, sink);
            case FITBIT -> {
                if (!FitbitReader.imports(name) && !name.isEmpty()) {
                    throw new ImportRefused(
                            "a single Fitbit file must be named as in the export (heart_rate-YYYY-MM-DD.json, "
                                    + "steps-…, sleep-…, Heart Rate Variability Details - YYYY-MM-DD.csv), not "
                                    + AppleHealthReader.clip(name));
                }
                FitbitReader.read(name, unclosable, zone, sink);
            }
            case OURA -> OuraReader.read(unclosable, sink);
            case GARMIN_FIT -> GarminFitReader.read(unclosable, sink);
            case HEALTH_CONNECT -> {
                // SQLite reads a file: the zipped database is copied out (owner-only, at most
                // MAX_DATABASE_BYTES) to one
                // deleted after
                Path db =
                        Files.createTempFile(
                                "chakrai-health-connect",
                                ".db",
                                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                        java.nio.file.attribute.PosixFilePermissions.fromString(
                                                "rw-------")));
                try {
                    try (OutputStream out = Files.newOutputStream(db)) {
                        unclosable.transferTo(
                                new java.io.FilterOutputStream(out) {
                                    private long written;

                                    @Override
                                    public void write(byte[] b, int off, int len)
                                            throws IOException {
                                        written += len;
                                        if (written > MAX_DATABASE_BYTES) {
                                            throw new IOException(
                                                    "the Health Connect database in the archive is larger than "
                                                            + (MAX_DATABASE_BYTES >> 30)
                                                            + " GiB");
                                        }
                                        out.write(b, off, len);
                                    }
                                });
                    } catch (IOException e) {
                        if (e.getMessage() != null
                                && e.getMessage().startsWith("the Health Connect database")) {
                            throw new ImportRefused(e.getMessage());
                        }
                        throw e;
                    }
                    HealthConnectReader.read(db, sink);
                } finally {
                    Files.deleteIfExists(db);
                }
            }
        }
    }

    private static void checkNames(Path file) throws IOException, ImportRefused {
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                safeName(e.nextElement().getName());
            }
        } catch (ZipException e) {
            throw new ImportRefused("the file looks like a ZIP archive but cannot be read as one");
        }
    }

    /** The entry's name, or refused when it would climb out of the archive. */
    static String safeName(String name) throws ImportRefused {
        String n = name.replace('\\', '/');
        if (n.startsWith("/")
                || n.matches("^[A-Za-z]:.*")
                || ("/" + n + "/").contains("/../")
                || n.indexOf('\0') >= 0) {
            throw new ImportRefused(
                    "the archive holds an entry with an unsafe name (an absolute path or ..); nothing was read");
        }
        return n;
    }

    private static boolean zip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        }
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String s = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return s.replace("\uFEFF", "").stripLeading();
        }
    }

    /** Counts what an entry inflates to against the compressed bytes read; refuses a zip bomb. */
    private static final class RatioGuard extends FilterInputStream {
        private final LongSupplier compressed;
        private final long compressedAtStart;
        private final String name;
        private final long[] total;
        private long inflated;
        private String tripped;

        RatioGuard(InputStream in, LongSupplier compressed, String name, long[] total) {
            super(in);
            this.compressed = compressed;
            this.compressedAtStart = compressed.getAsLong();
            this.name = name;
            this.total = total;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            inflated += n;
            total[0] += n;
            if (total[0] > MAX_INFLATED) {
                tripped =
                        "the archive inflates to more than "
                                + (MAX_INFLATED >> 30)
                                + " GiB; import stopped";
                throw new IOException(tripped);
            }
            long packed = Math.max(1, compressed.getAsLong() - compressedAtStart);
            if (inflated > RATIO_FREE_BYTES && inflated > MAX_RATIO * packed) {
                tripped =
                        "the archive entry "
                                + AppleHealthReader.clip(name)
                                + " inflates more than "
                                + MAX_RATIO
                                + " times its compressed size (a zip bomb); import stopped";
                throw new IOException(tripped);
            }
        }
    }
}
