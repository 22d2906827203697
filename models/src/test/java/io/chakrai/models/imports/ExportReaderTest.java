package io.chakrai.models.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportReaderTest {
    static final Instant END = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir Path dir;

    /** What a read delivered: samples by type, skips by reason. */
    static final class Collected implements ImportSink {
        final Map<DataType, List<Double>> values = new EnumMap<>(DataType.class);
        final Map<DataType, List<Instant>> times = new EnumMap<>(DataType.class);
        final Map<String, Integer> skipped = new TreeMap<>();
        final List<String> sources = new ArrayList<>();

        @Override
        public void sample(String source, DataType type, double value, Instant at) {
            values.computeIfAbsent(type, t -> new ArrayList<>()).add(value);
            times.computeIfAbsent(type, t -> new ArrayList<>()).add(at);
            if (!sources.contains(source)) {
                sources.add(source);
            }
        }

        @Override
        public void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        int count(DataType t) {
            return values.getOrDefault(t, List.of()).size();
        }
    }

    private Collected read(Path file, String name) throws Exception {
        Collected c = new Collected();
        ExportReader.read(file, name, ExportReader.detect(file), ZoneOffset.UTC, c, p -> {});
        return c;
    }

    @Test
    void theStressPeriodsOfAnExportAreTheMinutesItsHeartRateRoseIn() throws Exception {
        Path zip = dir.resolve("export.zip");
        SampleExport.write(ImportFormat.APPLE_HEALTH, zip, 17, END, 10);
        List<SampleExport.Period> periods = SampleExport.stressPeriods(17, END, 10);
        assertTrue(periods.size() >= 10, "periods in ten days: " + periods.size());
        Instant previous = END.minus(java.time.Duration.ofDays(10));
        for (SampleExport.Period p : periods) {
            assertFalse(p.from().isBefore(previous), "in order, apart, in the window: " + p);
            assertTrue(p.to().isAfter(p.from()), "not empty: " + p);
            previous = p.to();
        }
        assertFalse(previous.isAfter(END), "ends by the export's end");
        Collected c = read(zip, "export.zip");
        // each period's heart rate (after its first three minutes: the rate climbs) against the
        // half hour before it
        java.util.NavigableMap<Instant, Double> hr = new java.util.TreeMap<>();
        for (int i = 0; i < c.count(DataType.HEART_RATE); i++) {
            hr.put(
                    c.times.get(DataType.HEART_RATE).get(i),
                    c.values.get(DataType.HEART_RATE).get(i));
        }
        double rise = 0;
        int counted = 0;
        for (SampleExport.Period p : periods) {
            var during = hr.subMap(p.from().plusSeconds(180), true, p.to(), false).values();
            var before = hr.subMap(p.from().minusSeconds(1800), true, p.from(), false).values();
            if (!during.isEmpty() && !before.isEmpty()) {
                rise += mean(during) - mean(before);
                counted++;
            }
        }
        rise /= counted;
        // the same person as the export's (7.5 bpm here); another seed's periods rise 2.4
        assertTrue(rise > 5, "heart rate in the periods above the half hour before, bpm: " + rise);
    }

    private static double mean(java.util.Collection<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void anAppleHealthExportGivesEachMinutesHeartRateSleepStagesAndSdnnKeptApartFromRmssd()
            throws Exception {
        Path zip = dir.resolve("export.zip");
        SampleExport.write(ImportFormat.APPLE_HEALTH, zip, 3, END, 2);
        assertEquals(ImportFormat.APPLE_HEALTH, ExportReader.detect(zip));
        Collected c = read(zip, "export.zip");
        assertEquals(2 * 1440, c.count(DataType.HEART_RATE));
        assertTrue(
                c.count(DataType.HRV_SDNN) >= 2 * 1440 / 5 - 1,
                "an SDNN every five minutes: " + c.count(DataType.HRV_SDNN));
        assertEquals(0, c.count(DataType.HRV), "Apple's SDNN is not relabelled RMSSD");
        assertTrue(
                c.count(DataType.SLEEP_STAGE) > 300,
                "two nights of sleep minutes: " + c.count(DataType.SLEEP_STAGE));
        assertTrue(c.values.get(DataType.SLEEP_STAGE).stream().allMatch(v -> v >= 0 && v <= 3));
        assertTrue(
                c.times.get(DataType.HEART_RATE).stream()
                        .allMatch(
                                t -> !t.isBefore(END.minusSeconds(2 * 86_400)) && t.isBefore(END)));
        assertEquals(List.of("Apple Watch"), c.sources);
    }

    @Test
    void fitbitAndOuraExportsAreRecognisedAndRead() throws Exception {
        Path fitbit = dir.resolve("takeout.zip");
        SampleExport.write(ImportFormat.FITBIT, fitbit, 4, END, 2);
        assertEquals(ImportFormat.FITBIT, ExportReader.detect(fitbit));
        Collected f = read(fitbit, "takeout.zip");
        assertEquals(2 * 1440, f.count(DataType.HEART_RATE));
        assertTrue(
                f.count(DataType.STEPS) >= 2 * 1440 - 1,
                "steps a minute, from the first whole minute");
        assertTrue(
                f.count(DataType.HRV) > 500 && f.count(DataType.SLEEP_STAGE) > 300,
                f.values.keySet().toString());

        Path oura = dir.resolve("oura.zip");
        SampleExport.write(ImportFormat.OURA, oura, 5, END, 2);
        assertEquals(ImportFormat.OURA, ExportReader.detect(oura));
        Collected o = read(oura, "oura.zip");
        assertEquals(2 * 1440 / 5, o.count(DataType.HEART_RATE));
        assertTrue(o.count(DataType.ACTIVITY) >= 2 * 1440 - 1, "a MET a minute");
    }

    @Test
    void aGarminExportGivesEachMinutesHeartRateSleepStagesAndStepsFromItsTotals() throws Exception {
        Path zip = dir.resolve("garmin.zip");
        SampleExport.write(ImportFormat.GARMIN_FIT, zip, 7, END, 2);
        assertEquals(ImportFormat.GARMIN_FIT, ExportReader.detect(zip));
        Collected c = read(zip, "garmin.zip");
        assertEquals(2 * 1440, c.count(DataType.HEART_RATE));
        List<Instant> hr = new ArrayList<>(c.times.get(DataType.HEART_RATE));
        java.util.Collections.sort(hr);
        for (int i = 1; i < hr.size(); i++) {
            assertEquals(
                    60,
                    hr.get(i).getEpochSecond() - hr.get(i - 1).getEpochSecond(),
                    "short timestamps resolved against the last full one: " + hr.get(i));
        }
        assertEquals(END.minusSeconds(2 * 86_400), hr.get(0));
        assertTrue(
                c.count(DataType.SLEEP_STAGE) > 300
                        && c.values.get(DataType.SLEEP_STAGE).stream()
                                .allMatch(v -> v >= 0 && v <= 3),
                "two nights of sleep minutes: " + c.count(DataType.SLEEP_STAGE));
        // steps: each quarter hour's walking since the one before, from the day's running totals
        assertTrue(c.count(DataType.STEPS) > 50, "step readings: " + c.count(DataType.STEPS));
        for (Instant t : c.times.get(DataType.STEPS)) {
            assertEquals(0, t.getEpochSecond() % 900, "at a total's time: " + t);
        }
        assertTrue(
                c.values.get(DataType.STEPS).stream().allMatch(v -> v > 0 && v <= 20_000),
                c.values.get(DataType.STEPS).toString());
        assertEquals(List.of("Garmin"), c.sources);
        // each minute asleep has the stage the simulated person slept in (deep is 2, REM 3);
        // awake after a night counts for at most an hour
        java.util.Map<Instant, Double> stages = new java.util.HashMap<>();
        for (int i = 0; i < c.count(DataType.SLEEP_STAGE); i++) {
            stages.put(
                    c.times.get(DataType.SLEEP_STAGE).get(i),
                    c.values.get(DataType.SLEEP_STAGE).get(i));
        }
        io.chakrai.models.simulation.SimulatedPerson p =
                new io.chakrai.models.simulation.SimulatedPerson(
                        7, 0.2, END.minusSeconds(2 * 86_400));
        int asleep = 0;
        // the steps the person took up to each day's last quarter hour (the watch's last total)
        java.util.Map<java.time.LocalDate, Double> byDay = new java.util.TreeMap<>();
        double today = 0;
        java.time.LocalDate day = null;
        for (Instant t = END.minusSeconds(2 * 86_400); t.isBefore(END); t = t.plusSeconds(60)) {
            java.time.LocalDate d = java.time.LocalDate.ofInstant(t, ZoneOffset.UTC);
            if (!d.equals(day)) {
                day = d;
                today = 0;
            }
            for (var sample : p.step(t)) {
                if (sample.type() == DataType.SLEEP_STAGE && stages.containsKey(t)) {
                    assertEquals(sample.value(), stages.get(t), 0, "the stage at " + t);
                    asleep++;
                }
                if (sample.type() == DataType.STEPS) {
                    today += Math.round(sample.value());
                }
            }
            if (t.getEpochSecond() % 900 == 0) {
                byDay.put(d, today);
            }
        }
        double walked = byDay.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(walked > 1_000, "steps simulated: " + walked);
        assertEquals(
                walked,
                c.values.get(DataType.STEPS).stream().mapToDouble(Double::doubleValue).sum(),
                0,
                "every step up to each day's last total, once");
        assertTrue(asleep > 300, "minutes compared: " + asleep);
        long awake = c.values.get(DataType.SLEEP_STAGE).stream().filter(v -> v == 0).count();
        assertTrue(awake <= 3 * 60, "awake minutes, at most an hour a night: " + awake);
    }

    /**
     * A watch's running totals of steps, per activity, in one file that spans a day's end: each
     * total less the one before of its activity; a total smaller than the one before (the new
     * day's) starts every activity from zero; cycling's cycles are no steps.
     */
    @Test
    void stepTotalsBecomeTheStepsSinceTheTotalBeforeOfTheSameActivity() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T23:00:00Z");
        Object[][] totals = {
            {0, com.garmin.fit.ActivityType.WALKING, 100L},
            {900, com.garmin.fit.ActivityType.RUNNING, 40L},
            {1800, com.garmin.fit.ActivityType.WALKING, 300L},
            {2700, com.garmin.fit.ActivityType.CYCLING, 77L},
            {3600, com.garmin.fit.ActivityType.WALKING, 50L}, // past midnight: a new count
            {4500, com.garmin.fit.ActivityType.RUNNING, 60L},
            {5400, com.garmin.fit.ActivityType.WALKING, 80L},
            {6300, com.garmin.fit.ActivityType.WALKING, 80L}, // no steps since: no reading
        };
        List<com.garmin.fit.Mesg> messages = new ArrayList<>();
        for (Object[] row : totals) {
            com.garmin.fit.MonitoringMesg m = new com.garmin.fit.MonitoringMesg();
            m.setTimestamp(com.garmin.fit.DateTime.from(t0.plusSeconds((Integer) row[0])));
            m.setActivityType((com.garmin.fit.ActivityType) row[1]);
            if (row[1] == com.garmin.fit.ActivityType.CYCLING) {
                m.setCycles(((Long) row[2]).floatValue());
            } else {
                m.setSteps((Long) row[2]);
            }
            messages.add(m);
        }
        Collected c =
                readGarmin(
                        java.util.Map.of("garmin/day_WELLNESS.fit", SampleExport.fit(messages, t0)),
                        "steps.zip");
        // running's 60 after midnight counts whole: walking's fall began the new day
        assertEquals(List.of(100.0, 40.0, 200.0, 50.0, 60.0, 30.0), c.values.get(DataType.STEPS));
        assertEquals(
                List.of(0, 900, 1800, 3600, 4500, 5400),
                c.times.get(DataType.STEPS).stream()
                        .map(t -> (int) (t.getEpochSecond() - t0.getEpochSecond()))
                        .toList());
        assertEquals(1, c.skipped.size(), c.skipped.toString());
    }

    @Test
    void aSingleFitFileIsKnownByItsHeaderAndADamagedOneStopsWhereItIsDamaged() throws Exception {
        Path zip = dir.resolve("garmin.zip");
        SampleExport.write(ImportFormat.GARMIN_FIT, zip, 8, END, 1);
        Path fit = dir.resolve("day.fit");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            var e = z.entries().nextElement();
            try (var in = z.getInputStream(e)) {
                Files.write(fit, in.readAllBytes());
            }
        }
        assertEquals(ImportFormat.GARMIN_FIT, ExportReader.detect(fit));
        Collected whole = read(fit, "day.fit");
        assertTrue(whole.count(DataType.HEART_RATE) > 600, "" + whole.count(DataType.HEART_RATE));

        byte[] bytes = Files.readAllBytes(fit);
        Path cut = dir.resolve("cut.fit");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Collected before = new Collected();
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        cut,
                                        "cut.fit",
                                        ImportFormat.GARMIN_FIT,
                                        ZoneOffset.UTC,
                                        before,
                                        p -> {}));
        assertTrue(e.getMessage().startsWith("the FIT file is damaged"), e.getMessage());
        assertTrue(
                before.count(DataType.HEART_RATE) > 0
                        && before.count(DataType.HEART_RATE) < whole.count(DataType.HEART_RATE),
                "what came before the damage is kept: " + before.count(DataType.HEART_RATE));

        Path notFit = dir.resolve("notes.fit");
        Files.writeString(notFit, "these are my running notes, not a watch file");
        ImportRefused notRead =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        notFit,
                                        "notes.fit",
                                        ImportFormat.GARMIN_FIT,
                                        ZoneOffset.UTC,
                                        new Collected(),
                                        p -> {}));
        assertTrue(notRead.getMessage().startsWith("not a FIT file"), notRead.getMessage());
    }

    /** The flat sample's FIT files, each a name and its bytes, in the archive's order. */
    private java.util.LinkedHashMap<String, byte[]> fitFiles(long seed, int days) throws Exception {
        Path zip = dir.resolve("flat-" + seed + ".zip");
        SampleExport.write(ImportFormat.GARMIN_FIT, zip, seed, END, days);
        return entries(zip);
    }

    /** A ZIP's entries, each a name and its bytes, in the archive's order. */
    private static java.util.LinkedHashMap<String, byte[]> entries(Path zip) throws Exception {
        java.util.LinkedHashMap<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            for (var e = z.entries(); e.hasMoreElements(); ) {
                var entry = e.nextElement();
                try (var in = z.getInputStream(entry)) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** What a ZIP of {@code files}, named {@code name}, gives as Garmin's. */
    private Collected readGarmin(java.util.Map<String, byte[]> files, String name)
            throws Exception {
        Path zip = dir.resolve(name);
        Files.write(zip, zipOf(files));
        Collected c = new Collected();
        ExportReader.read(zip, name, ImportFormat.GARMIN_FIT, ZoneOffset.UTC, c, p -> {});
        return c;
    }

    /** Every reading as type, time and value, sorted: what was read whatever the order. */
    private static List<String> pairs(Collected c) {
        List<String> out = new ArrayList<>();
        c.values.forEach(
                (type, values) -> {
                    for (int i = 0; i < values.size(); i++) {
                        out.add(type + " " + c.times.get(type).get(i) + " " + values.get(i));
                    }
                });
        java.util.Collections.sort(out);
        return out;
    }

    private static byte[] zipOf(java.util.Map<String, byte[]> files) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aGarminConnectAccountExportIsReadThroughTheZipsNestedInIt() throws Exception {
        var files = fitFiles(12, 2);
        Collected flat = readGarmin(files, "flat.zip");
        // Garmin Connect's "export your data": JSON summaries beside ZIPs of the uploaded FIT
        // files, split in parts
        java.util.Map<String, byte[]> part1 = new java.util.LinkedHashMap<>();
        java.util.Map<String, byte[]> part2 = new java.util.LinkedHashMap<>();
        int k = 0;
        for (var f : files.entrySet()) {
            (k++ % 2 == 0 ? part1 : part2)
                    .put("user_" + k + "_" + f.getKey().replace("garmin/", ""), f.getValue());
        }
        java.util.Map<String, byte[]> account = new java.util.LinkedHashMap<>();
        account.put(
                "DI_CONNECT/DI-Connect-Fitness/user_0_summarizedActivities.json",
                "[{\"summarizedActivitiesExport\":[]}]".getBytes());
        account.put(
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", zipOf(part1));
        account.put(
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip", zipOf(part2));
        Path export = dir.resolve("account.zip");
        Files.write(export, zipOf(account));

        assertEquals(ImportFormat.GARMIN_FIT, ExportReader.detect(export));
        Collected nested = read(export, "account.zip");
        assertEquals(2 * 1440, nested.count(DataType.HEART_RATE));
        assertTrue(pairs(flat).equals(pairs(nested)), "each reading of the flat export, no other");
        assertEquals(flat.skipped, nested.skipped);

        // elsewhere than Garmin's folder, a ZIP is known as Garmin's by its first entry
        java.util.Map<String, byte[]> elsewhere = new java.util.LinkedHashMap<>();
        elsewhere.put("watch/activities.zip", zipOf(part1));
        Path other = dir.resolve("other.zip");
        Files.write(other, zipOf(elsewhere));
        assertEquals(ImportFormat.GARMIN_FIT, ExportReader.detect(other));

        // a ZIP in the nested ZIP is not read (Garmin nests one level)
        java.util.Map<String, byte[]> deeper = new java.util.LinkedHashMap<>();
        deeper.put(
                "DI_CONNECT/DI-Connect-Uploaded-Files/a.zip", zipOf(Map.of("b.zip", zipOf(part1))));
        deeper.put("DI_CONNECT/DI-Connect-Uploaded-Files/c.zip", zipOf(part2));
        Path deep = dir.resolve("deep.zip");
        Files.write(deep, zipOf(deeper));
        Collected d = read(deep, "deep.zip");
        assertEquals(1, d.skipped.get(ExportReader.TOO_DEEP), d.skipped.toString());
        assertTrue(
                d.count(DataType.HEART_RATE) > 0
                        && d.count(DataType.HEART_RATE) < nested.count(DataType.HEART_RATE),
                "part 2 alone: " + d.count(DataType.HEART_RATE));
    }

    @Test
    void aBombInsideANestedZipRefusesTheWholeArchive() throws Exception {
        byte[] zeros = new byte[64 << 20];
        java.util.Map<String, byte[]> inner = new java.util.LinkedHashMap<>();
        inner.put("day.fit", zeros);
        java.util.Map<String, byte[]> outer = new java.util.LinkedHashMap<>();
        outer.put("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", zipOf(inner));
        Path bomb = dir.resolve("bomb.zip");
        Files.write(bomb, zipOf(outer));
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        bomb,
                                        "bomb.zip",
                                        ImportFormat.GARMIN_FIT,
                                        ZoneOffset.UTC,
                                        new Collected(),
                                        p -> {}));
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
    }

    @Test
    void whatAParserLeavesOfItsEntryStillInflatesThroughTheGuard() throws Exception {
        // a day file whose JSON ends at once, then 64 MB of padding that deflates to almost
        // nothing: the parser stops at the bracket, the rest must not inflate unguarded
        byte[] padded = new byte[64 << 20];
        java.util.Arrays.fill(padded, (byte) ' ');
        padded[0] = '[';
        padded[1] = ']';
        Path zip = dir.resolve("padded.zip");
        Files.write(
                zip,
                zipOf(
                        Map.of(
                                "Takeout/Fitbit/Global Export Data/heart_rate-2026-11-30.json",
                                padded)));
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        zip,
                                        "padded.zip",
                                        ImportFormat.FITBIT,
                                        ZoneOffset.UTC,
                                        new Collected(),
                                        p -> {}));
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
    }

    @Test
    void aStreamFailingUnderAFitFileIsNotReportedAsTheFilesDamage() throws Exception {
        byte[] day = fitFiles(15, 1).values().iterator().next();
        // what a ZIP entry does when its bytes fail their checksum or cannot inflate, mid-file
        InputStream failing =
                new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream(day, 0, day.length / 2),
                        new InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new java.util.zip.ZipException("invalid entry CRC");
                            }
                        });
        Collected c = new Collected();
        java.util.zip.ZipException e =
                assertThrows(
                        java.util.zip.ZipException.class, () -> GarminFitReader.read(failing, c));
        assertEquals("invalid entry CRC", e.getMessage(), "the archive's failure, passed on");
        assertTrue(c.count(DataType.HEART_RATE) > 0, "what came before is kept");
    }

    @Test
    void aDamagedFileAmongManyIsReadUpToItsDamageAndTheOthersAreRead() throws Exception {
        var files = fitFiles(13, 3);
        Collected whole = readGarmin(files, "good.zip");

        // the second day cut in half, the third day's checksum wrong, one file not FIT at all
        var names = new ArrayList<>(files.keySet());
        byte[] second = files.get(names.get(1));
        files.put(names.get(1), java.util.Arrays.copyOf(second, second.length / 2));
        byte[] third = files.get(names.get(2)).clone();
        third[third.length - 1] ^= 0x5A;
        files.put(names.get(2), third);
        files.put("garmin/notes.fit", "my notes".getBytes());
        Path damaged = dir.resolve("damaged.zip");
        Files.write(damaged, zipOf(files));
        Collected c = read(damaged, "damaged.zip");

        int lost = whole.count(DataType.HEART_RATE) - c.count(DataType.HEART_RATE);
        assertTrue(
                lost > 0 && lost < 1440,
                "half a day lost at most; the bad checksum's readings came before it: " + lost);
        assertEquals(whole.count(DataType.SLEEP_STAGE), c.count(DataType.SLEEP_STAGE));
        List<String> named =
                c.skipped.keySet().stream()
                        .filter(r -> r.contains("other files were read"))
                        .toList();
        assertEquals(3, named.size(), c.skipped.toString());
        assertTrue(
                named.stream()
                                .anyMatch(
                                        r ->
                                                r.startsWith(
                                                        names.get(1) + ": the FIT file is damaged"))
                        && named.stream()
                                .anyMatch(
                                        r ->
                                                r.startsWith(
                                                        names.get(2) + ": the FIT file is damaged"))
                        && named.stream()
                                .anyMatch(r -> r.startsWith("garmin/notes.fit: not a FIT file")),
                named.toString());
        assertTrue(named.stream().noneMatch(r -> r.contains("Exception")), named.toString());

        // past the first few, damaged files are counted under one reason
        java.util.Map<String, byte[]> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ExportReader.NAMED_DAMAGED + 3; i++) {
            many.put("garmin/broken-" + i + ".fit", java.util.Arrays.copyOf(second, 40));
        }
        many.put(names.get(0), files.get(names.get(0)));
        Path lots = dir.resolve("lots.zip");
        Files.write(lots, zipOf(many));
        Collected m = read(lots, "lots.zip");
        assertEquals(3, m.skipped.get(ExportReader.MORE_DAMAGED), m.skipped.toString());
        assertTrue(m.count(DataType.HEART_RATE) > 600, "the good day is read after the broken");

        // a Fitbit day file malformed among the Takeout's others: the same
        Path takeout = dir.resolve("takeout.zip");
        SampleExport.write(ImportFormat.FITBIT, takeout, 4, END, 2);
        Collected fitbit = read(takeout, "takeout.zip");
        var entries = entries(takeout);
        String day =
                entries.keySet().stream()
                        .filter(n -> n.contains("heart_rate-"))
                        .findFirst()
                        .orElseThrow();
        entries.put(day, java.util.Arrays.copyOf(entries.get(day), entries.get(day).length / 2));
        Path broken = dir.resolve("broken-takeout.zip");
        Files.write(broken, zipOf(entries));
        Collected b = read(broken, "broken-takeout.zip");
        assertTrue(
                b.count(DataType.HEART_RATE) < fitbit.count(DataType.HEART_RATE)
                        && b.count(DataType.STEPS) == fitbit.count(DataType.STEPS)
                        && b.count(DataType.SLEEP_STAGE) == fitbit.count(DataType.SLEEP_STAGE),
                "the day file cut short loses its rest; steps and sleep are all read: "
                        + b.skipped);
    }

    /**
     * A FIT file written byte by byte (the SDK's encoder writes only valid ones): the 14-byte
     * header, {@code records}, the file's checksum.
     */
    private static byte[] rawFit(byte[]... records) {
        var body = new java.io.ByteArrayOutputStream();
        for (byte[] r : records) {
            body.writeBytes(r);
        }
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(14 + body.size() + 2)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 14).put((byte) 0x20).putShort((short) 2194).putInt(body.size());
        b.put(".FIT".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
        b.put(body.toByteArray());
        int crc = 0;
        for (int i = 0; i < b.position(); i++) {
            crc = com.garmin.fit.CRC.get16(crc, b.get(i));
        }
        b.putShort((short) crc);
        return b.array();
    }

    /** A definition of local message 0 as global {@code global}: fields of (number, size, type). */
    private static byte[] definition(int global, int[][] fields, int[][] developerFields) {
        var d = new java.io.ByteArrayOutputStream();
        d.write(developerFields == null ? 0x40 : 0x60);
        d.write(0); // reserved
        d.write(0); // little-endian
        d.write(global & 0xFF);
        d.write(global >> 8);
        d.write(fields.length);
        for (int[] f : fields) {
            d.write(f[0]);
            d.write(f[1]);
            d.write(f[2]);
        }
        if (developerFields != null) {
            d.write(developerFields.length);
            for (int[] f : developerFields) {
                d.write(f[0]);
                d.write(f[1]);
                d.write(f[2]);
            }
        }
        return d.toByteArray();
    }

    /** A data message of local message 0: a FIT timestamp of {@code at}, then {@code rest}. */
    private static byte[] data(Instant at, int... rest) {
        long fit = at.getEpochSecond() - 631_065_600L;
        byte[] m = new byte[1 + 4 + rest.length];
        m[0] = 0;
        for (int i = 0; i < 4; i++) {
            m[1 + i] = (byte) (fit >> (8 * i));
        }
        for (int i = 0; i < rest.length; i++) {
            m[5 + i] = (byte) rest[i];
        }
        return m;
    }

    @Test
    void malformedFitDefinitionsAreTheirFilesDamageNotTheImports() throws Exception {
        Instant t = END.plusSeconds(86_400); // after the good file's day
        int monitoring = com.garmin.fit.MesgNum.MONITORING;
        int timestamp = 253;
        int heartRate = 27;
        // first, that the bytes are written right: a well-formed file gives its one reading
        byte[] wellFormed =
                rawFit(
                        definition(
                                monitoring,
                                new int[][] {{timestamp, 4, 0x86}, {heartRate, 1, 0x02}},
                                null),
                        data(t, 71));
        Path one = dir.resolve("one.fit");
        Files.write(one, wellFormed);
        Collected c = read(one, "one.fit");
        assertEquals(List.of(71.0), c.values.get(DataType.HEART_RATE), c.skipped.toString());
        assertEquals(List.of(t), c.times.get(DataType.HEART_RATE));

        java.util.Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        // a field of size zero
        hostile.put(
                "zero.fit",
                rawFit(
                        definition(
                                monitoring,
                                new int[][] {{timestamp, 4, 0x86}, {heartRate, 0, 0x02}},
                                null),
                        data(t)));
        // a developer field whose developer index was never described
        hostile.put(
                "developer.fit",
                rawFit(
                        definition(
                                monitoring,
                                new int[][] {{timestamp, 4, 0x86}, {heartRate, 1, 0x02}},
                                new int[][] {{0, 2, 7}}),
                        data(t.plusSeconds(60), 72, 1, 2)));
        // a 16-bit heart rate field three bytes wide
        hostile.put(
                "width.fit",
                rawFit(
                        definition(
                                monitoring,
                                new int[][] {{timestamp, 4, 0x86}, {heartRate, 3, 0x84}},
                                null),
                        data(t.plusSeconds(120), 1, 2, 3)));
        // a data message of a local type never defined
        byte[] undefined = data(t.plusSeconds(180), 73);
        undefined[0] = 5;
        hostile.put("undefined.fit", rawFit(undefined));
        var files = fitFiles(14, 1);
        hostile.putAll(files);
        Path archive = dir.resolve("hostile.zip");
        Files.write(archive, zipOf(hostile));
        Collected h = read(archive, "hostile.zip");

        Collected good = readGarmin(files, "good-14.zip");
        // each hostile file gives a reading of its own time or none, never one at another time;
        // the good file beside them is read whole
        List<Instant> extra = new ArrayList<>(h.times.get(DataType.HEART_RATE));
        extra.removeAll(good.times.get(DataType.HEART_RATE));
        assertTrue(
                List.of(t.plusSeconds(60), t.plusSeconds(120)).containsAll(extra),
                "readings of the hostile files: " + extra);
        assertEquals(good.count(DataType.HEART_RATE) + extra.size(), h.count(DataType.HEART_RATE));
        assertTrue(
                h.skipped.keySet().stream()
                        .filter(r -> r.startsWith("undefined.fit"))
                        .anyMatch(r -> r.contains("the FIT file is damaged")),
                h.skipped.toString());
        assertTrue(
                h.skipped.keySet().stream()
                        .noneMatch(r -> r.contains("Exception") || r.contains("java.")),
                h.skipped.toString());
    }

    @Test
    void fitSleepLevelsGoingBackInTimeOrLastingDaysCannotMultiplyIntoReadings() throws Exception {
        List<com.garmin.fit.Mesg> levels = new ArrayList<>();
        Instant t = END.minusSeconds(86_400);
        for (int i = 0; i < 200; i++) {
            com.garmin.fit.SleepLevelMesg a = new com.garmin.fit.SleepLevelMesg();
            a.setTimestamp(com.garmin.fit.DateTime.from(t));
            a.setSleepLevel(com.garmin.fit.SleepLevel.LIGHT);
            com.garmin.fit.SleepLevelMesg b = new com.garmin.fit.SleepLevelMesg();
            b.setTimestamp(com.garmin.fit.DateTime.from(t.plusSeconds(86_000)));
            b.setSleepLevel(com.garmin.fit.SleepLevel.LIGHT);
            levels.add(a);
            levels.add(b);
        }
        Path fit = dir.resolve("levels.fit");
        Files.write(fit, SampleExport.fit(levels, t));
        Collected c = new Collected();
        ExportReader.read(fit, "levels.fit", ImportFormat.GARMIN_FIT, ZoneOffset.UTC, c, p -> {});
        assertTrue(
                c.count(DataType.SLEEP_STAGE) <= 1,
                "the last level's minute at most: " + c.count(DataType.SLEEP_STAGE));
        assertEquals(
                200,
                c.skipped.getOrDefault("FIT sleep level earlier than the one before it", 0)
                        + c.skipped.getOrDefault("FIT sleep level longer than 4 hours", 0),
                c.skipped.toString());
    }

    @Test
    void aHealthConnectDatabaseZippedOrAloneIsReadPerAppWithItsStagesMapped() throws Exception {
        Path zip = dir.resolve("Health Connect.zip");
        SampleExport.write(ImportFormat.HEALTH_CONNECT, zip, 6, END, 2);
        assertEquals(ImportFormat.HEALTH_CONNECT, ExportReader.detect(zip));
        Collected c = read(zip, "Health Connect.zip");
        assertEquals(2 * 1440, c.count(DataType.HEART_RATE));
        assertTrue(
                c.count(DataType.HRV) >= 2 * 1440 / 5 - 1,
                "Health Connect's HRV is RMSSD: " + c.count(DataType.HRV));
        assertTrue(
                c.count(DataType.SLEEP_STAGE) > 300
                        && c.values.get(DataType.SLEEP_STAGE).stream()
                                .allMatch(v -> v >= 0 && v <= 3),
                "the sample's sessions all have stages");
        assertEquals(List.of("Example Watch"), c.sources);

        Path db = dir.resolve("health_connect_export.db");
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            Files.copy(z.getInputStream(z.getEntry("Health Connect/health_connect_export.db")), db);
        }
        assertEquals(ImportFormat.HEALTH_CONNECT, ExportReader.detect(db));
        assertEquals(
                c.count(DataType.HEART_RATE),
                read(db, "health_connect_export.db").count(DataType.HEART_RATE));

        Path other = dir.resolve("other.db");
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
                var st = conn.createStatement()) {
            st.executeUpdate("CREATE TABLE notes (id INTEGER, text TEXT)");
        }
        ImportRefused e = assertThrows(ImportRefused.class, () -> read(other, "other.db"));
        assertTrue(e.getMessage().contains("none of Health Connect's tables"), e.getMessage());
    }

    @Test
    void entityExpansionIsRefusedNotExpanded() throws Exception {
        StringBuilder laughs =
                new StringBuilder(
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">\n");
        }
        laughs.append(
                "]>\n<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&lol9;\" "
                        + "startDate=\"2026-11-30 10:00:00 +0000\" value=\"60\"/></HealthData>\n");
        Path xml = write("export.xml", laughs.toString());
        ImportRefused e = assertThrows(ImportRefused.class, () -> read(xml, "export.xml"));
        assertTrue(
                e.getMessage().contains("entities are not accepted")
                        && !e.getMessage().contains("ParseError"),
                e.getMessage());
    }

    @Test
    void anExternalEntityIsNeverRead() throws Exception {
        Path secret = write("secret.txt", "TOP-SECRET-CONTENT");
        Path xml =
                write(
                        "export.xml",
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [<!ENTITY x SYSTEM \""
                                + secret.toUri()
                                + "\">]>\n<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&x;\" "
                                + "startDate=\"2026-11-30 10:00:00 +0000\" value=\"60\"/></HealthData>\n");
        Collected c = new Collected();
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        xml,
                                        "export.xml",
                                        ImportFormat.APPLE_HEALTH,
                                        ZoneOffset.UTC,
                                        c,
                                        p -> {}));
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
        assertFalse(c.sources.stream().anyMatch(s -> s.contains("TOP-SECRET")));
    }

    @Test
    void malformedXmlMidFileNamesItsPositionAfterDeliveringWhatCameBefore() throws Exception {
        Path xml =
                write(
                        "export.xml",
                        "<HealthData>\n"
                                + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2026-11-30 10:00:00 +0000\" value=\"61\"/>\n"
                                + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2026-11-30 10:01:00 +0000\" value=\"62\"/>\n"
                                + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2026-11-30 10:02:00 +0000\" value=\"63\"\n"
                                + "</HealthData>\n");
        Collected c = new Collected();
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () ->
                                ExportReader.read(
                                        xml,
                                        "export.xml",
                                        ImportFormat.APPLE_HEALTH,
                                        ZoneOffset.UTC,
                                        c,
                                        p -> {}));
        assertTrue(
                e.getMessage().startsWith("the XML is malformed at line 5")
                        && !e.getMessage().contains("ParseError"),
                e.getMessage());
        assertEquals(List.of(61.0, 62.0), c.values.get(DataType.HEART_RATE));
    }

    @Test
    void anotherDocumentOrAnUnknownFileIsRefusedByName() throws Exception {
        Path html = write("export.xml", "<html><body>hello</body></html>");
        ImportRefused e = assertThrows(ImportRefused.class, () -> read(html, "export.xml"));
        assertTrue(e.getMessage().contains("not an Apple Health export"), e.getMessage());
        Path png = dir.resolve("photo.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertTrue(
                assertThrows(ImportRefused.class, () -> ExportReader.detect(png))
                        .getMessage()
                        .contains("not an export"));
        Path json =
                write(
                        "heart_rate-2026-11-30.json",
                        "[{\"dateTime\":\"11/30/26 10:00:00\",\"value\":{\"bpm\":60}},\n{\"dateTime\":");
        ImportRefused j =
                assertThrows(ImportRefused.class, () -> read(json, "heart_rate-2026-11-30.json"));
        assertTrue(j.getMessage().contains("line 2"), j.getMessage());
    }

    @Test
    void aZipBombIsStoppedBeforeItInflates() throws Exception {
        Path zip = dir.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            z.write("<HealthData>".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 64; i++) {
                z.write(spaces);
            }
            z.write("</HealthData>".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertTrue(Files.size(zip) < 1 << 20);
        ImportRefused e = assertThrows(ImportRefused.class, () -> read(zip, "bomb.zip"));
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
    }

    @Test
    void aBombAmongTheEntriesSkippedIsStoppedToo() throws Exception {
        Path zip = dir.resolve("skipped-bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("apple_health_export/export_cda.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                z.write(zeros);
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            z.write("<HealthData></HealthData>".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ImportRefused e = assertThrows(ImportRefused.class, () -> read(zip, "skipped-bomb.zip"));
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
    }

    @Test
    void anUnsafeNameRefusesTheArchiveBeforeAnythingIsReadEvenWithTheFormatGiven()
            throws Exception {
        Path zip = dir.resolve("late-traversal.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            z.write(
                    ("<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2026-11-30 10:00:00 +0000\" "
                                    + "value=\"61\"/></HealthData>")
                            .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("../outside"));
            z.write(1);
            z.closeEntry();
        }
        Collected c = new Collected();
        assertThrows(
                ImportRefused.class,
                () ->
                        ExportReader.read(
                                zip,
                                "x.zip",
                                ImportFormat.APPLE_HEALTH,
                                ZoneOffset.UTC,
                                c,
                                p -> {}));
        assertTrue(c.values.isEmpty(), "nothing delivered before the refusal: " + c.values);
    }

    @Test
    void fitbitSleepAcrossTheNightClocksGoBackKeepsEveryMinute() throws Exception {
        // Europe/Berlin, 2026-10-25: 03:00 local comes twice; 02:30..03:30 local is two hours of
        // sleep
        Path json =
                write(
                        "sleep-2026-10-25.json",
                        "[{\"levels\":{\"data\":["
                                + "{\"dateTime\":\"2026-10-25T02:30:00.000\",\"level\":\"light\",\"seconds\":3600},"
                                + "{\"dateTime\":\"2026-10-25T02:30:00.000\",\"level\":\"deep\",\"seconds\":3600}]}}]");
        Collected c = new Collected();
        ExportReader.read(
                json,
                "sleep-2026-10-25.json",
                ImportFormat.FITBIT,
                java.time.ZoneId.of("Europe/Berlin"),
                c,
                p -> {});
        assertEquals(120, c.count(DataType.SLEEP_STAGE));
        assertEquals(
                120,
                new java.util.HashSet<>(c.times.get(DataType.SLEEP_STAGE)).size(),
                "no minute twice");
    }

    @Test
    void malformedCsvNamesTheRecordNotTheParser() throws Exception {
        Path csv =
                write(
                        "Heart Rate Variability Details - 2026-11-30.csv",
                        "timestamp,rmssd,coverage\n2026-11-30T01:00:00,40.1,0.9\n\"2026-11-30T01:05:00,41\n");
        ImportRefused e =
                assertThrows(
                        ImportRefused.class,
                        () -> read(csv, "Heart Rate Variability Details - 2026-11-30.csv"));
        assertTrue(
                e.getMessage().contains("malformed CSV after record 1")
                        && !e.getMessage().contains("Exception")
                        && !e.getMessage().contains("org.apache"),
                e.getMessage());
    }

    @Test
    void anEntryClimbingOutOfTheArchiveRefusesTheArchive() throws Exception {
        for (String name :
                List.of(
                        "../../etc/cron.d/x",
                        "/etc/passwd",
                        "apple_health_export/../../export.xml",
                        "C:\\export.xml")) {
            Path zip = dir.resolve("traversal.zip");
            try (OutputStream os = Files.newOutputStream(zip);
                    ZipOutputStream z = new ZipOutputStream(os)) {
                z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
                z.write("<HealthData></HealthData>".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
                z.putNextEntry(new ZipEntry(name));
                z.write(1);
                z.closeEntry();
            }
            assertTrue(
                    assertThrows(ImportRefused.class, () -> ExportReader.detect(zip))
                            .getMessage()
                            .contains("unsafe name"),
                    name);
            assertThrows(
                    ImportRefused.class,
                    () ->
                            ExportReader.read(
                                    zip,
                                    "x.zip",
                                    ImportFormat.APPLE_HEALTH,
                                    ZoneOffset.UTC,
                                    new Collected(),
                                    p -> {}),
                    name);
        }
    }

    @Test
    void recordsWithoutAStageOrAValueAreCountedAsSkippedWithTheirReason() throws Exception {
        Path xml =
                write(
                        "export.xml",
                        "<HealthData>\n"
                                + "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" startDate=\"2026-11-30 01:00:00 +0000\" "
                                + "endDate=\"2026-11-30 02:00:00 +0000\" value=\"HKCategoryValueSleepAnalysisInBed\"/>\n"
                                + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"yesterday\" value=\"61\"/>\n"
                                + "<Record type=\"HKQuantityTypeIdentifierBodyMass\" startDate=\"2026-11-30 10:00:00 +0000\" value=\"70\"/>\n"
                                + "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" startDate=\"2026-11-30 02:00:00 +0000\" "
                                + "endDate=\"2026-11-30 02:10:00 +0000\" value=\"HKCategoryValueSleepAnalysisAsleepDeep\"/>\n"
                                + "</HealthData>\n");
        Collected c = read(xml, "export.xml");
        assertEquals(
                10,
                c.count(DataType.SLEEP_STAGE),
                "a deep-sleep value each minute of [02:00, 02:10)");
        assertEquals(3, c.skipped.size(), c.skipped.toString());
        assertEquals(1, c.skipped.get("in bed, not asleep"), c.skipped.toString());
    }

    /**
     * Sleep its tracker gave no stage is still sleep: Apple Health before iOS 16 (every tracker's
     * "asleep", the Apple Watch's too) and after ("unspecified"), a Fitbit classic log, Health
     * Connect's "sleeping" stage and a session without stages.
     */
    @Test
    void sleepWithNoStageRecordedIsAsleepInEveryFormat() throws Exception {
        Path xml =
                write(
                        "export.xml",
                        "<HealthData>\n"
                                + "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" startDate=\"2019-06-15 01:00:00 -0400\" "
                                + "endDate=\"2019-06-15 01:30:00 -0400\" value=\"HKCategoryValueSleepAnalysisAsleep\"/>\n"
                                + "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" startDate=\"2026-11-30 01:00:00 +0000\" "
                                + "endDate=\"2026-11-30 01:20:00 +0000\" value=\"HKCategoryValueSleepAnalysisAsleepUnspecified\"/>\n"
                                + "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" startDate=\"2026-11-30 01:00:00 +0000\" "
                                + "endDate=\"2026-11-30 01:20:00 +0000\" value=\"HKCategoryValueSleepAnalysisNapping\"/>\n"
                                + "</HealthData>\n");
        Collected apple = read(xml, "export.xml");
        assertEquals(50, apple.count(DataType.SLEEP_STAGE), "30 + 20 minutes asleep");
        assertTrue(
                apple.values.get(DataType.SLEEP_STAGE).stream()
                        .allMatch(v -> v == DataType.ASLEEP_UNSTAGED));
        assertEquals(1, apple.skipped.get("sleep value not known"), apple.skipped.toString());

        Path json =
                write(
                        "sleep-2026-11-29.json",
                        "[{\"type\":\"classic\",\"levels\":{\"data\":["
                                + "{\"dateTime\":\"2026-11-29T23:00:00.000\",\"level\":\"asleep\",\"seconds\":3600},"
                                + "{\"dateTime\":\"2026-11-30T00:00:00.000\",\"level\":\"restless\",\"seconds\":600},"
                                + "{\"dateTime\":\"2026-11-30T00:10:00.000\",\"level\":\"awake\",\"seconds\":300}]}}]");
        Collected fitbit = read(json, "sleep-2026-11-29.json");
        List<Double> levels = fitbit.values.get(DataType.SLEEP_STAGE);
        assertEquals(75, levels.size());
        assertEquals(60, levels.stream().filter(v -> v == DataType.ASLEEP_UNSTAGED).count());
        assertEquals(15, levels.stream().filter(v -> v == 0).count(), "restless and awake");
        assertTrue(fitbit.skipped.isEmpty(), fitbit.skipped.toString());

        Path db = dir.resolve("health_connect_export.db");
        long night = Instant.parse("2026-11-29T23:00:00Z").toEpochMilli();
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var st = conn.createStatement()) {
            st.executeUpdate(
                    "CREATE TABLE sleep_session_record_table (row_id INTEGER PRIMARY KEY, "
                            + "app_info_id INTEGER, start_time INTEGER, end_time INTEGER)");
            st.executeUpdate(
                    "CREATE TABLE sleep_stages_table (parent_key INTEGER, stage_start_time INTEGER, "
                            + "stage_end_time INTEGER, stage_type INTEGER)");
            // session 1 staged: 10 minutes "sleeping" (2), 10 deep (5); session 2 has no stages
            st.executeUpdate(
                    "INSERT INTO sleep_session_record_table VALUES (1, 1, "
                            + night
                            + ", "
                            + (night + 1_200_000)
                            + "), (2, 1, "
                            + (night + 86_400_000)
                            + ", "
                            + (night + 86_400_000 + 1_800_000)
                            + ")");
            st.executeUpdate(
                    "INSERT INTO sleep_stages_table VALUES (1, "
                            + night
                            + ", "
                            + (night + 600_000)
                            + ", 2), (1, "
                            + (night + 600_000)
                            + ", "
                            + (night + 1_200_000)
                            + ", 5)");
        }
        Collected hc = read(db, "health_connect_export.db");
        List<Double> stages = hc.values.get(DataType.SLEEP_STAGE);
        assertEquals(10 + 10 + 30, stages.size(), "the staged session once, not again as a whole");
        assertEquals(10, stages.stream().filter(v -> v == 2).count(), "deep");
        assertEquals(40, stages.stream().filter(v -> v == DataType.ASLEEP_UNSTAGED).count());

        Path sessionsOnly = dir.resolve("sessions_only.db");
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sessionsOnly);
                var st = conn.createStatement()) {
            st.executeUpdate(
                    "CREATE TABLE sleep_session_record_table (row_id INTEGER PRIMARY KEY, "
                            + "app_info_id INTEGER, start_time INTEGER, end_time INTEGER)");
            st.executeUpdate(
                    "INSERT INTO sleep_session_record_table VALUES (1, 1, "
                            + night
                            + ", "
                            + (night + 1_800_000)
                            + ")");
        }
        assertEquals(
                30,
                read(sessionsOnly, "sessions_only.db").count(DataType.SLEEP_STAGE),
                "an app that writes sessions and no stages at all: its nights are sleep");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
