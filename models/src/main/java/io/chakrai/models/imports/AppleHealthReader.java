package io.chakrai.models.imports;

import io.chakrai.models.readings.DataType;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Apple Health's {@code export.xml}, read as a stream (StAX: real exports run to gigabytes, a DOM
 * would not fit). Entities are never expanded and nothing outside the file is fetched: the export's
 * own DTD declares elements only, so an entity in it (the "billion laughs", an external file) is
 * refused. The mapping, in {@code docs/imports.md} too:
 *
 * <table>
 *   <tr><th>record type</th><th>becomes</th></tr>
 *   <tr><td>HKQuantityTypeIdentifierHeartRate (count/min)</td><td>heart_rate at its start</td></tr>
 *   <tr><td>HKQuantityTypeIdentifierHeartRateVariabilitySDNN (ms)</td><td>hrv_sdnn (SDNN, not RMSSD: kept apart)</td></tr>
 *   <tr><td>HKQuantityTypeIdentifierRestingHeartRate (count/min)</td><td>resting_heart_rate</td></tr>
 *   <tr><td>HKQuantityTypeIdentifierStepCount (count)</td><td>steps at its start</td></tr>
 *   <tr><td>HKQuantityTypeIdentifierRespiratoryRate (count/min)</td><td>respiration_rate</td></tr>
 *   <tr><td>HKQuantityTypeIdentifierOxygenSaturation (%, a fraction)</td><td>spo2 in percent</td></tr>
 *   <tr><td>HKCategoryTypeIdentifierSleepAnalysis</td><td>sleep_stage each minute: awake 0, core 1, deep 2, REM 3;
 *       asleep with no stage (iOS 16's "unspecified", and "asleep" of older exports and of sleep apps) 4; "in bed"
 *       is left out (in bed is not asleep)</td></tr>
 *   <tr><td>Workout</td><td>activity each minute, the MET of its kind (Ainsworth's compendium: an estimate of the
 *       kind's average, not a measurement)</td></tr>
 * </table>
 */
public final class AppleHealthReader {
    /** A sleep or workout period longer than this is not a period a person had; left out. */
    static final Duration LONGEST_PERIOD = Duration.ofHours(24);

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT);

    private record Quantity(DataType type, double scale) {}

    private static final Map<String, Quantity> QUANTITIES =
            Map.of(
                    "HKQuantityTypeIdentifierHeartRate", new Quantity(DataType.HEART_RATE, 1),
                    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                            new Quantity(DataType.HRV_SDNN, 1),
                    "HKQuantityTypeIdentifierRestingHeartRate",
                            new Quantity(DataType.RESTING_HEART_RATE, 1),
                    "HKQuantityTypeIdentifierStepCount", new Quantity(DataType.STEPS, 1),
                    "HKQuantityTypeIdentifierRespiratoryRate",
                            new Quantity(DataType.RESPIRATION_RATE, 1),
                    "HKQuantityTypeIdentifierOxygenSaturation", new Quantity(DataType.SPO2, 100));

    private static final Map<String, Integer> SLEEP =
            Map.of(
                    "HKCategoryValueSleepAnalysisAwake", 0,
                    "HKCategoryValueSleepAnalysisAsleepCore", 1,
                    "HKCategoryValueSleepAnalysisAsleepDeep", 2,
                    "HKCategoryValueSleepAnalysisAsleepREM", 3,
                    // iOS 16 on, a tracker that records no stage
                    "HKCategoryValueSleepAnalysisAsleepUnspecified", DataType.ASLEEP_UNSTAGED,
                    // before iOS 16 every tracker's sleep, the Apple Watch's too
                    "HKCategoryValueSleepAnalysisAsleep", DataType.ASLEEP_UNSTAGED);

    /**
     * METs of workout kinds (Ainsworth et al., Compendium of Physical Activities 2011); others get
     * {@link #OTHER_MET}.
     */
    private static final Map<String, Double> WORKOUT_MET =
            Map.of(
                    "HKWorkoutActivityTypeWalking", 3.5,
                    "HKWorkoutActivityTypeRunning", 9.8,
                    "HKWorkoutActivityTypeCycling", 7.5,
                    "HKWorkoutActivityTypeSwimming", 7.0,
                    "HKWorkoutActivityTypeYoga", 2.5,
                    "HKWorkoutActivityTypeHiking", 6.0,
                    "HKWorkoutActivityTypeTraditionalStrengthTraining", 5.0,
                    "HKWorkoutActivityTypeHighIntensityIntervalTraining", 8.0,
                    "HKWorkoutActivityTypeDance", 5.0,
                    "HKWorkoutActivityTypeElliptical", 5.0);

    static final double OTHER_MET = 4.0;

    private AppleHealthReader() {}

    /**
     * A factory that never expands an entity and never reads anything but the stream it is given.
     */
    static XMLInputFactory safeFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver(
                (publicId, systemId, base, ns) -> {
                    throw new XMLStreamException("external entities are not read");
                });
        return f;
    }

    public static void read(InputStream in, ImportSink sink) throws ImportRefused {
        XMLStreamReader x = null;
        try {
            x = safeFactory().createXMLStreamReader(in);
            boolean rooted = false;
            while (x.hasNext()) {
                int event = x.next();
                if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new ImportRefused(
                            "entity references are not accepted (" + where(x.getLocation()) + ")");
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = x.getLocalName();
                if (!rooted) {
                    if (!name.equals("HealthData")) {
                        throw new ImportRefused(
                                "not an Apple Health export: the root element is <"
                                        + clip(name)
                                        + ">, not <HealthData>");
                    }
                    rooted = true;
                } else if (name.equals("Record")) {
                    record(x, sink);
                } else if (name.equals("Workout")) {
                    workout(x, sink);
                }
            }
            if (!rooted) {
                throw new ImportRefused("not an Apple Health export: no <HealthData> element");
            }
        } catch (XMLStreamException e) {
            String why =
                    e.getMessage() == null
                            ? "malformed XML"
                            : e.getMessage()
                                    .replaceFirst(
                                            "(?s)^ParseError at \\[row,col]:\\[\\d+,\\d+]\\s*Message:\\s*",
                                            "");
            if (why.toLowerCase(java.util.Locale.ROOT).contains("entity")) {
                throw new ImportRefused(
                        "the XML uses an entity at "
                                + where(e.getLocation())
                                + " ("
                                + clip(why)
                                + "): entities are not accepted (they can expand without bound or read other files)");
            }
            throw new ImportRefused(
                    "the XML is malformed at " + where(e.getLocation()) + ": " + clip(why));
        } finally {
            if (x != null) {
                try {
                    x.close();
                } catch (XMLStreamException ignored) {
                    // the stream is closed by its owner
                }
            }
        }
    }

    private static void record(XMLStreamReader x, ImportSink sink) {
        String type = x.getAttributeValue(null, "type");
        String source = source(x);
        Quantity q = QUANTITIES.get(type);
        if (q != null) {
            Instant at = date(x.getAttributeValue(null, "startDate"));
            double value = number(x.getAttributeValue(null, "value"));
            if (at == null) {
                sink.skip("start date missing or not a date");
            } else if (Double.isNaN(value)) {
                sink.skip("value missing or not a number");
            } else {
                sink.sample(source, q.type(), value * q.scale(), at);
            }
            return;
        }
        if ("HKCategoryTypeIdentifierSleepAnalysis".equals(type)) {
            String value = x.getAttributeValue(null, "value");
            Integer stage = SLEEP.get(value);
            if (stage == null) {
                sink.skip(
                        "HKCategoryValueSleepAnalysisInBed".equals(value)
                                ? "in bed, not asleep"
                                : "sleep value not known");
                return;
            }
            minutes(x, sink, source, DataType.SLEEP_STAGE, stage);
            return;
        }
        sink.skip("record type not imported");
    }

    private static void workout(XMLStreamReader x, ImportSink sink) {
        double met =
                WORKOUT_MET.getOrDefault(
                        x.getAttributeValue(null, "workoutActivityType"), OTHER_MET);
        minutes(x, sink, source(x), DataType.ACTIVITY, met);
    }

    /** A value for each minute of a period, from its start. */
    private static void minutes(
            XMLStreamReader x, ImportSink sink, String source, DataType type, double value) {
        Instant start = date(x.getAttributeValue(null, "startDate"));
        Instant end = date(x.getAttributeValue(null, "endDate"));
        if (start == null || end == null || end.isBefore(start)) {
            sink.skip("period without a valid start and end");
            return;
        }
        if (Duration.between(start, end).compareTo(LONGEST_PERIOD) > 0) {
            sink.skip("period longer than 24 hours");
            return;
        }
        for (Instant t = start; t.isBefore(end) || t.equals(start); t = t.plusSeconds(60)) {
            sink.sample(source, type, value, t);
        }
    }

    private static String source(XMLStreamReader x) {
        String s = x.getAttributeValue(null, "sourceName");
        return s == null || s.isBlank() ? "Apple Health" : s;
    }

    static Instant date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static double number(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String where(Location l) {
        return l == null
                ? "an unknown position"
                : "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }

    static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
