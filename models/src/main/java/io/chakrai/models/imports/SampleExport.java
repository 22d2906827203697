package io.chakrai.models.imports;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Exports in each format the platform imports, of a simulated person ({@link SimulatedPerson}, a
 * minute at a time), so a newcomer can try an import at once and the tests and the import benchmark
 * have files of any length. They follow the real exports' shapes; the values are the simulator's
 * (its HRV is RMSSD: the Apple file states it as SDNN ≈ 1.3 × RMSSD, as Apple would record it).
 */
public final class SampleExport {
    private static final DateTimeFormatter APPLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FITBIT =
            DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
    private static final String[] APPLE_SLEEP = {
        "HKCategoryValueSleepAnalysisAwake",
        "HKCategoryValueSleepAnalysisAsleepCore",
        "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepREM"
    };

    private SampleExport() {}

    /**
     * Writes {@code format}'s export of {@code days} days ending at {@code end} to {@code out} (a
     * ZIP).
     */
    public static void write(ImportFormat format, Path out, long seed, Instant end, int days)
            throws IOException {
        Instant to = end.truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.minus(days, ChronoUnit.DAYS);
        try (OutputStream os = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            switch (format) {
                case APPLE_HEALTH -> apple(zip, seed, from, to);
                case FITBIT -> fitbit(zip, seed, from, to);
                case OURA -> oura(zip, seed, from, to);
                case HEALTH_CONNECT -> healthConnect(zip, seed, from, to);
                case GARMIN_FIT -> garmin(zip, seed, from, to);
            }
        }
    }

    /**
     * A stretch of time the exported person was under stress: {@code from} to before {@code to}.
     */
    public record Period(Instant from, Instant to) {}

    /**
     * The stress periods of the person {@link #write} exports with the same seed, end and days,
     * each from its first minute to the minute after its last: what the stress episodes found in
     * that export's past are measured against.
     */
    public static List<Period> stressPeriods(long seed, Instant end, int days) {
        Instant to = end.truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.minus(days, ChronoUnit.DAYS);
        SimulatedPerson p = person(seed, from);
        List<Period> out = new ArrayList<>();
        Instant began = null;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
            p.step(t);
            boolean stressed = p.activity() == Activity.STRESS;
            if (stressed && began == null) {
                began = t;
            } else if (!stressed && began != null) {
                out.add(new Period(began, t));
                began = null;
            }
        }
        if (began != null) {
            out.add(new Period(began, to));
        }
        return out;
    }

    private static SimulatedPerson person(long seed, Instant from) {
        return new SimulatedPerson(seed, 0.2, from);
    }

    /** Each minute's samples of a person, from {@code from} to {@code to}. */
    @FunctionalInterface
    private interface Minute {
        void accept(Instant t, List<SimulatedPerson.Sample> samples) throws IOException;
    }

    private static void simulate(long seed, Instant from, Instant to, Minute each)
            throws IOException {
        SimulatedPerson p = person(seed, from);
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
            each.accept(t, p.step(t));
        }
    }

    private static void apple(ZipOutputStream zip, long seed, Instant from, Instant to)
            throws IOException {
        zip.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
        Writer w = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 1 << 16);
        w.write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n"
                        + "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n<HealthData locale=\"en_US\">\n <ExportDate value=\""
                        + APPLE.format(to)
                        + "\"/>\n <Me HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexNotSet\"/>\n");
        String device =
                "&lt;&lt;HKDevice: 0x0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch&gt;";
        int[] sleep = {-1};
        Instant[] sleepFrom = {null};
        Instant[] workoutFrom = {null};
        simulate(
                seed,
                from,
                to,
                (t, samples) -> {
                    String at = APPLE.format(t);
                    boolean exercising = false;
                    int stage = -1;
                    for (SimulatedPerson.Sample s : samples) {
                        exercising |=
                                s.activity() == io.chakrai.models.simulation.Activity.EXERCISE;
                        switch (s.type()) {
                            case HEART_RATE ->
                                    record(
                                            w,
                                            "HKQuantityTypeIdentifierHeartRate",
                                            "count/min",
                                            at,
                                            at,
                                            num(s.value()),
                                            device);
                            case HRV -> {
                                if (t.getEpochSecond() / 60 % 5 == 0) {
                                    record(
                                            w,
                                            "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                                            "ms",
                                            at,
                                            at,
                                            num(Math.round(s.value() * 13) / 10.0),
                                            device);
                                }
                            }
                            case STEPS -> {
                                if (s.value() > 0) {
                                    record(
                                            w,
                                            "HKQuantityTypeIdentifierStepCount",
                                            "count",
                                            at,
                                            APPLE.format(t.plusSeconds(60)),
                                            num(s.value()),
                                            device);
                                }
                            }
                            case SLEEP_STAGE -> stage = (int) s.value();
                            default -> {}
                        }
                    }
                    if (stage != sleep[0]) {
                        if (sleep[0] >= 0) {
                            w.write(
                                    " <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"Apple Watch\" startDate=\""
                                            + APPLE.format(sleepFrom[0])
                                            + "\" endDate=\""
                                            + at
                                            + "\" value=\""
                                            + APPLE_SLEEP[sleep[0]]
                                            + "\"/>\n");
                        }
                        sleep[0] = stage;
                        sleepFrom[0] = t;
                    }
                    if (exercising && workoutFrom[0] == null) {
                        workoutFrom[0] = t;
                    } else if (!exercising && workoutFrom[0] != null) {
                        w.write(
                                " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" sourceName=\"Apple Watch\" startDate=\""
                                        + APPLE.format(workoutFrom[0])
                                        + "\" endDate=\""
                                        + at
                                        + "\"/>\n");
                        workoutFrom[0] = null;
                    }
                });
        w.write("</HealthData>\n");
        w.flush();
        zip.closeEntry();
    }

    private static void record(
            Writer w,
            String type,
            String unit,
            String start,
            String end,
            String value,
            String device)
            throws IOException {
        w.write(" <Record type=\"");
        w.write(type);
        w.write("\" sourceName=\"Apple Watch\" sourceVersion=\"10.1\" device=\"");
        w.write(device);
        w.write("\" unit=\"");
        w.write(unit);
        w.write("\" creationDate=\"");
        w.write(end);
        w.write("\" startDate=\"");
        w.write(start);
        w.write("\" endDate=\"");
        w.write(end);
        w.write("\" value=\"");
        w.write(value);
        w.write("\"/>\n");
    }

    private static void fitbit(ZipOutputStream zip, long seed, Instant from, Instant to)
            throws IOException {
        // a day's files at a time: heart rate and steps in UTC, sleep and HRV in local time (UTC
        // here)
        TreeMap<LocalDate, List<String[]>> hr = new TreeMap<>();
        TreeMap<LocalDate, List<String[]>> steps = new TreeMap<>();
        TreeMap<LocalDate, List<String[]>> hrv = new TreeMap<>();
        TreeMap<LocalDate, List<String[]>> sleep = new TreeMap<>();
        simulate(
                seed,
                from,
                to,
                (t, samples) -> {
                    LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
                    for (SimulatedPerson.Sample s : samples) {
                        String v = num(s.value());
                        switch (s.type()) {
                            case HEART_RATE ->
                                    hr.computeIfAbsent(day, d -> new ArrayList<>())
                                            .add(new String[] {FITBIT.format(t), v});
                            case STEPS ->
                                    steps.computeIfAbsent(day, d -> new ArrayList<>())
                                            .add(new String[] {FITBIT.format(t), v});
                            case HRV -> {
                                if (t.getEpochSecond() / 60 % 5 == 0) {
                                    hrv.computeIfAbsent(day, d -> new ArrayList<>())
                                            .add(new String[] {local(t), v});
                                }
                            }
                            case SLEEP_STAGE ->
                                    sleep.computeIfAbsent(day, d -> new ArrayList<>())
                                            .add(
                                                    new String[] {
                                                        local(t),
                                                        new String[] {
                                                                    "wake", "light", "deep", "rem"
                                                                }
                                                                [(int) s.value()]
                                                    });
                            default -> {}
                        }
                    }
                });
        String dir = "Takeout/Fitbit/Global Export Data/";
        for (var e : hr.entrySet()) {
            json(
                    zip,
                    dir + "heart_rate-" + e.getKey() + ".json",
                    g -> {
                        for (String[] r : e.getValue()) {
                            g.writeStartObject();
                            g.writeStringField("dateTime", r[0]);
                            g.writeObjectFieldStart("value");
                            g.writeNumberField("bpm", Double.parseDouble(r[1]));
                            g.writeNumberField("confidence", 2);
                            g.writeEndObject();
                            g.writeEndObject();
                        }
                    });
        }
        for (var e : steps.entrySet()) {
            json(
                    zip,
                    dir + "steps-" + e.getKey() + ".json",
                    g -> {
                        for (String[] r : e.getValue()) {
                            g.writeStartObject();
                            g.writeStringField("dateTime", r[0]);
                            g.writeStringField("value", r[1]);
                            g.writeEndObject();
                        }
                    });
        }
        for (var e : sleep.entrySet()) {
            json(
                    zip,
                    dir + "sleep-" + e.getKey() + ".json",
                    g -> {
                        g.writeStartObject();
                        g.writeStringField("dateOfSleep", e.getKey().toString());
                        g.writeObjectFieldStart("levels");
                        g.writeArrayFieldStart("data");
                        for (String[] r : e.getValue()) {
                            g.writeStartObject();
                            g.writeStringField("dateTime", r[0]);
                            g.writeStringField("level", r[1]);
                            g.writeNumberField("seconds", 60);
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                        g.writeEndObject();
                    });
        }
        for (var e : hrv.entrySet()) {
            zip.putNextEntry(
                    new ZipEntry(dir + "Heart Rate Variability Details - " + e.getKey() + ".csv"));
            Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            w.write("timestamp,rmssd,coverage,low_frequency,high_frequency\n");
            for (String[] r : e.getValue()) {
                w.write(r[0] + "," + r[1] + ",0.95,400.0,300.0\n");
            }
            w.flush();
            zip.closeEntry();
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void json(ZipOutputStream zip, String name, Body body) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        JsonGenerator g = generator(zip);
        g.writeStartArray();
        body.write(g);
        g.writeEndArray();
        g.close();
        zip.closeEntry();
    }

    /** A JSON writer into the archive's current entry; closing it leaves the archive open. */
    private static JsonGenerator generator(ZipOutputStream zip) throws IOException {
        return FitbitReader.JSON
                .getFactory()
                .createGenerator(
                        new java.io.FilterOutputStream(zip) {
                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                out.write(b, off, len);
                            }

                            @Override
                            public void close() throws IOException {
                                flush();
                            }
                        },
                        JsonEncoding.UTF8);
    }

    private static void oura(ZipOutputStream zip, long seed, Instant from, Instant to)
            throws IOException {
        List<double[]> hr = new ArrayList<>();
        List<Instant> hrAt = new ArrayList<>();
        List<double[]> met = new ArrayList<>();
        simulate(
                seed,
                from,
                to,
                (t, samples) -> {
                    for (SimulatedPerson.Sample s : samples) {
                        if (s.type() == DataType.HEART_RATE && t.getEpochSecond() / 60 % 5 == 0) {
                            hr.add(new double[] {s.value()});
                            hrAt.add(t);
                        } else if (s.type() == DataType.ACTIVITY) {
                            met.add(new double[] {t.getEpochSecond(), s.value()});
                        }
                    }
                });
        zip.putNextEntry(new ZipEntry("oura_data_export.json"));
        JsonGenerator g = generator(zip);
        g.writeStartObject();
        g.writeArrayFieldStart("heartrate");
        for (int i = 0; i < hr.size(); i++) {
            g.writeStartObject();
            g.writeNumberField("bpm", hr.get(i)[0]);
            g.writeStringField("source", "awake");
            g.writeStringField("timestamp", hrAt.get(i).atOffset(ZoneOffset.UTC).toString());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("daily_activity");
        for (int i = 0; i < met.size(); i += 1440) {
            g.writeStartObject();
            g.writeObjectFieldStart("met");
            g.writeNumberField("interval", 60);
            g.writeArrayFieldStart("items");
            for (int k = i; k < Math.min(met.size(), i + 1440); k++) {
                g.writeNumber(met.get(k)[1]);
            }
            g.writeEndArray();
            g.writeStringField(
                    "timestamp",
                    Instant.ofEpochSecond((long) met.get(i)[0])
                            .atOffset(ZoneOffset.UTC)
                            .toString());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.close();
        zip.closeEntry();
    }

    /**
     * Garmin's FIT files as a watch writes them: a monitoring file a day (heart rate each minute,
     * most with the 16-bit timestamp counted from the hour's full one; the day's walking steps so
     * far each quarter hour) and a sleep file a night (a sleep level at each change, awake at the
     * end), zipped.
     */
    private static void garmin(ZipOutputStream zip, long seed, Instant from, Instant to)
            throws IOException {
        TreeMap<LocalDate, List<com.garmin.fit.Mesg>> days = new TreeMap<>();
        TreeMap<Instant, List<com.garmin.fit.Mesg>> nights = new TreeMap<>();
        long[] steps = {0};
        int[] stage = {-1};
        Instant[] night = {null};
        simulate(
                seed,
                from,
                to,
                (t, samples) -> {
                    List<com.garmin.fit.Mesg> day =
                            days.computeIfAbsent(
                                    LocalDate.ofInstant(t, ZoneOffset.UTC),
                                    d -> {
                                        steps[0] = 0; // a day's file counts its steps from zero
                                        return new ArrayList<>();
                                    });
                    boolean asleep = false;
                    for (SimulatedPerson.Sample s : samples) {
                        switch (s.type()) {
                            case HEART_RATE -> {
                                com.garmin.fit.MonitoringMesg m =
                                        new com.garmin.fit.MonitoringMesg();
                                com.garmin.fit.DateTime at = com.garmin.fit.DateTime.from(t);
                                if (t.getEpochSecond() % 3600 == 0) {
                                    m.setTimestamp(at);
                                } else {
                                    m.setTimestamp16((int) (at.getTimestamp() & 0xFFFF));
                                }
                                m.setHeartRate((short) Math.round(s.value()));
                                day.add(m);
                            }
                            case STEPS -> steps[0] += Math.round(s.value());
                            case SLEEP_STAGE -> {
                                asleep = true;
                                if (night[0] == null) {
                                    night[0] = t;
                                }
                                if ((int) s.value() != stage[0]) {
                                    stage[0] = (int) s.value();
                                    com.garmin.fit.SleepLevelMesg l =
                                            new com.garmin.fit.SleepLevelMesg();
                                    l.setTimestamp(com.garmin.fit.DateTime.from(t));
                                    l.setSleepLevel(FIT_LEVELS[stage[0]]);
                                    nights.computeIfAbsent(night[0], n -> new ArrayList<>()).add(l);
                                }
                            }
                            default -> {}
                        }
                    }
                    if (!asleep && stage[0] >= 0) {
                        // woken: the last level ends here
                        com.garmin.fit.SleepLevelMesg l = new com.garmin.fit.SleepLevelMesg();
                        l.setTimestamp(com.garmin.fit.DateTime.from(t));
                        l.setSleepLevel(com.garmin.fit.SleepLevel.AWAKE);
                        nights.get(night[0]).add(l);
                        stage[0] = -1;
                        night[0] = null;
                    }
                    if (t.getEpochSecond() % 900 == 0) {
                        com.garmin.fit.MonitoringMesg total = new com.garmin.fit.MonitoringMesg();
                        total.setTimestamp(com.garmin.fit.DateTime.from(t));
                        total.setActivityType(com.garmin.fit.ActivityType.WALKING);
                        total.setSteps(steps[0]);
                        day.add(total);
                    }
                });
        for (var e : days.entrySet()) {
            zip.putNextEntry(new ZipEntry("garmin/" + e.getKey() + "_WELLNESS.fit"));
            zip.write(fit(e.getValue(), from));
            zip.closeEntry();
        }
        for (var e : nights.entrySet()) {
            zip.putNextEntry(
                    new ZipEntry("garmin/" + e.getKey().getEpochSecond() + "_SLEEP_DATA.fit"));
            zip.write(fit(e.getValue(), e.getKey()));
            zip.closeEntry();
        }
    }

    private static final com.garmin.fit.SleepLevel[] FIT_LEVELS = {
        com.garmin.fit.SleepLevel.AWAKE,
        com.garmin.fit.SleepLevel.LIGHT,
        com.garmin.fit.SleepLevel.DEEP,
        com.garmin.fit.SleepLevel.REM
    };

    /** One FIT file of {@code messages}, after its file id (the SDK writes to a file only). */
    static byte[] fit(List<com.garmin.fit.Mesg> messages, Instant created) throws IOException {
        Path f = Files.createTempFile("chakrai-sample", ".fit");
        try {
            com.garmin.fit.FileEncoder enc = new com.garmin.fit.FileEncoder(f.toFile());
            com.garmin.fit.FileIdMesg id = new com.garmin.fit.FileIdMesg();
            id.setType(com.garmin.fit.File.MONITORING_B);
            id.setManufacturer(com.garmin.fit.Manufacturer.GARMIN);
            id.setTimeCreated(com.garmin.fit.DateTime.from(created));
            enc.write(id);
            enc.write(messages);
            enc.close();
            return Files.readAllBytes(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Health Connect's tables as its storage writes them (only the columns the reader uses), zipped
     * as its export is.
     */
    private static void healthConnect(ZipOutputStream zip, long seed, Instant from, Instant to)
            throws IOException {
        Path db = Files.createTempFile("chakrai-sample-health-connect", ".db");
        try {
            try (java.sql.Connection c =
                            java.sql.DriverManager.getConnection(
                                    "jdbc:sqlite:" + db.toAbsolutePath());
                    java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeUpdate(
                        "CREATE TABLE application_info_table (row_id INTEGER PRIMARY KEY, package_name TEXT, application_name TEXT)");
                st.executeUpdate(
                        "INSERT INTO application_info_table VALUES (1, 'com.example.watch', 'Example Watch')");
                st.executeUpdate(
                        "CREATE TABLE heart_rate_record_table (row_id INTEGER PRIMARY KEY, app_info_id INTEGER, start_time INTEGER, end_time INTEGER)");
                st.executeUpdate(
                        "CREATE TABLE heart_rate_record_series_table (parent_key INTEGER, epoch_millis INTEGER, beats_per_minute INTEGER)");
                st.executeUpdate(
                        "CREATE TABLE heart_rate_variability_rmssd_record_table (app_info_id INTEGER, time INTEGER, heart_rate_variability_millis REAL)");
                st.executeUpdate(
                        "CREATE TABLE steps_record_table (app_info_id INTEGER, start_time INTEGER, end_time INTEGER, count INTEGER)");
                st.executeUpdate(
                        "CREATE TABLE sleep_session_record_table (row_id INTEGER PRIMARY KEY, app_info_id INTEGER, start_time INTEGER, end_time INTEGER)");
                st.executeUpdate(
                        "CREATE TABLE sleep_stages_table (parent_key INTEGER, stage_start_time INTEGER, stage_end_time INTEGER, stage_type INTEGER)");
                try (java.sql.PreparedStatement hrParent =
                                c.prepareStatement(
                                        "INSERT INTO heart_rate_record_table VALUES (?, 1, ?, ?)");
                        java.sql.PreparedStatement hr =
                                c.prepareStatement(
                                        "INSERT INTO heart_rate_record_series_table VALUES (?, ?, ?)");
                        java.sql.PreparedStatement hrv =
                                c.prepareStatement(
                                        "INSERT INTO heart_rate_variability_rmssd_record_table VALUES (1, ?, ?)");
                        java.sql.PreparedStatement steps =
                                c.prepareStatement(
                                        "INSERT INTO steps_record_table VALUES (1, ?, ?, ?)");
                        java.sql.PreparedStatement night =
                                c.prepareStatement(
                                        "INSERT INTO sleep_session_record_table VALUES (?, 1, ?, ?)");
                        java.sql.PreparedStatement stage =
                                c.prepareStatement(
                                        "INSERT INTO sleep_stages_table VALUES (?, ?, ?, ?)")) {
                    long[] hour = {-1};
                    long[] session = {0};
                    simulate(
                            seed,
                            from,
                            to,
                            (t, samples) -> {
                                try {
                                    long ms = t.toEpochMilli();
                                    if (ms / 3_600_000 != hour[0]) {
                                        // Health Connect keeps a heart-rate record an hour or so,
                                        // its samples in the series table
                                        hour[0] = ms / 3_600_000;
                                        hrParent.setLong(1, hour[0]);
                                        hrParent.setLong(2, hour[0] * 3_600_000);
                                        hrParent.setLong(3, hour[0] * 3_600_000 + 3_600_000);
                                        hrParent.executeUpdate();
                                    }
                                    boolean asleep = false;
                                    for (SimulatedPerson.Sample s : samples) {
                                        switch (s.type()) {
                                            case HEART_RATE -> {
                                                hr.setLong(1, hour[0]);
                                                hr.setLong(2, ms);
                                                hr.setLong(3, Math.round(s.value()));
                                                hr.addBatch();
                                            }
                                            case HRV -> {
                                                if (t.getEpochSecond() / 60 % 5 == 0) {
                                                    hrv.setLong(1, ms);
                                                    hrv.setDouble(2, s.value());
                                                    hrv.addBatch();
                                                }
                                            }
                                            case STEPS -> {
                                                if (s.value() > 0) {
                                                    steps.setLong(1, ms);
                                                    steps.setLong(2, ms + 60_000);
                                                    steps.setLong(3, Math.round(s.value()));
                                                    steps.addBatch();
                                                }
                                            }
                                            case SLEEP_STAGE -> {
                                                asleep = true;
                                                if (session[0] == 0) {
                                                    session[0] = ms;
                                                    night.setLong(1, ms);
                                                    night.setLong(2, ms);
                                                    night.setLong(3, ms);
                                                    night.executeUpdate();
                                                }
                                                stage.setLong(1, session[0]);
                                                stage.setLong(2, ms);
                                                stage.setLong(3, ms + 60_000);
                                                stage.setInt(
                                                        4, new int[] {1, 4, 5, 6}[(int) s.value()]);
                                                stage.addBatch();
                                            }
                                            default -> {}
                                        }
                                    }
                                    if (!asleep) {
                                        session[0] = 0;
                                    }
                                } catch (java.sql.SQLException e) {
                                    throw new IOException(e);
                                }
                            });
                    hr.executeBatch();
                    hrv.executeBatch();
                    steps.executeBatch();
                    stage.executeBatch();
                }
                c.commit();
            } catch (java.sql.SQLException e) {
                throw new IOException("could not write the sample Health Connect database", e);
            }
            zip.putNextEntry(new ZipEntry("Health Connect/health_connect_export.db"));
            Files.copy(db, zip);
            zip.closeEntry();
        } finally {
            Files.deleteIfExists(db);
        }
    }

    private static String local(Instant t) {
        return LOCAL.format(t);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
