package io.chakrai.models.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.DataType;
import java.io.IOException;
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
    void aGarminExportGivesEachMinutesHeartRateAndSleepStagesAndSkipsStepTotals() throws Exception {
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
        assertTrue(
                c.skipped.getOrDefault(
                                "FIT step counts (running totals per activity, not imported)", 0)
                        > 0,
                c.skipped.toString());
        assertEquals(0, c.count(DataType.STEPS));
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
        for (Instant t = END.minusSeconds(2 * 86_400); t.isBefore(END); t = t.plusSeconds(60)) {
            for (var sample : p.step(t)) {
                if (sample.type() == DataType.SLEEP_STAGE && stages.containsKey(t)) {
                    assertEquals(sample.value(), stages.get(t), 0, "the stage at " + t);
                    asleep++;
                }
            }
        }
        assertTrue(asleep > 300, "minutes compared: " + asleep);
        long awake = c.values.get(DataType.SLEEP_STAGE).stream().filter(v -> v == 0).count();
        assertTrue(awake <= 3 * 60, "awake minutes, at most an hour a night: " + awake);
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
