package io.chakrai.models.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Fitbit's data as Google Takeout gives it ({@code Takeout/Fitbit/Global Export Data/…}), one file
 * per kind and day, each read as a stream. The mapping, in {@code docs/imports.md} too:
 *
 * <table>
 *   <tr><th>file</th><th>becomes</th></tr>
 *   <tr><td>{@code heart_rate-YYYY-MM-DD.json} ({@code dateTime} in UTC, {@code value.bpm})</td><td>heart_rate</td></tr>
 *   <tr><td>{@code steps-YYYY-MM-DD.json} (per minute, UTC)</td><td>steps</td></tr>
 *   <tr><td>{@code sleep-YYYY-MM-DD.json} ({@code levels.data}: local time, a level and its seconds)</td>
 *       <td>sleep_stage each minute: wake 0, light 1, deep 2, REM 3; a classic log's (a tracker without stages)
 *       "asleep" 4, "restless" and "awake" 0</td></tr>
 *   <tr><td>{@code Heart Rate Variability Details - YYYY-MM-DD.csv} (local time, {@code rmssd})</td><td>hrv (RMSSD)</td></tr>
 * </table>
 *
 * Local times are read in the zone the upload names (the export does not say).
 */
public final class FitbitReader {
    static final Pattern HEART_RATE =
            Pattern.compile("(?:^|/)heart_rate-\\d{4}-\\d{2}-\\d{2}\\.json$");
    static final Pattern STEPS = Pattern.compile("(?:^|/)steps-\\d{4}-\\d{2}-\\d{2}\\.json$");
    static final Pattern SLEEP = Pattern.compile("(?:^|/)sleep-\\d{4}-\\d{2}-\\d{2}\\.json$");
    static final Pattern HRV =
            Pattern.compile("(?:^|/)Heart Rate Variability Details - \\d{4}-\\d{2}-\\d{2}\\.csv$");
    private static final DateTimeFormatter US_DATE =
            DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss", Locale.ROOT);

    /** Stages, and a classic log's levels: asleep with no stage, restless taken as awake. */
    private static final Map<String, Integer> LEVELS =
            Map.of(
                    "wake", 0,
                    "awake", 0,
                    "restless", 0,
                    "light", 1,
                    "deep", 2,
                    "rem", 3,
                    "asleep", DataType.ASLEEP_UNSTAGED);

    static final String SOURCE = "Fitbit";
    static final ObjectMapper JSON =
            new ObjectMapper(
                    JsonFactory.builder()
                            .streamReadConstraints(
                                    StreamReadConstraints.builder()
                                            .maxNestingDepth(64)
                                            .maxStringLength(1 << 20)
                                            .build())
                            .build());

    private FitbitReader() {}

    /** Whether a file of this name is one the reader imports. */
    public static boolean imports(String name) {
        return HEART_RATE.matcher(name).find()
                || STEPS.matcher(name).find()
                || SLEEP.matcher(name).find()
                || HRV.matcher(name).find();
    }

    public static void read(String name, InputStream in, ZoneId zone, ImportSink sink)
            throws IOException, ImportRefused {
        if (HEART_RATE.matcher(name).find()) {
            array(
                    name,
                    in,
                    item -> {
                        Instant at = usDate(item.path("dateTime").asText(null));
                        JsonNode bpm = item.path("value").path("bpm");
                        sample(
                                sink,
                                DataType.HEART_RATE,
                                at,
                                bpm.isNumber() ? bpm.asDouble() : Double.NaN);
                    });
        } else if (STEPS.matcher(name).find()) {
            array(
                    name,
                    in,
                    item -> {
                        Instant at = usDate(item.path("dateTime").asText(null));
                        sample(sink, DataType.STEPS, at, number(item.path("value").asText(null)));
                    });
        } else if (SLEEP.matcher(name).find()) {
            array(
                    name,
                    in,
                    log -> {
                        Instant previousEnd = null;
                        for (JsonNode level : log.path("levels").path("data")) {
                            Integer stage = LEVELS.get(level.path("level").asText(""));
                            Instant at = local(level.path("dateTime").asText(null), zone);
                            // local times repeat when clocks go back: a level never starts before
                            // the previous one ended
                            if (at != null && previousEnd != null && at.isBefore(previousEnd)) {
                                at = previousEnd;
                            }
                            long seconds = level.path("seconds").asLong(-1);
                            if (stage == null) {
                                sink.skip("sleep level not known");
                            } else if (at == null || seconds < 0 || seconds > 24 * 3600) {
                                sink.skip("sleep level without a valid time and length");
                            } else {
                                for (long s = 0; s < Math.max(seconds, 1); s += 60) {
                                    sink.sample(
                                            SOURCE, DataType.SLEEP_STAGE, stage, at.plusSeconds(s));
                                }
                                previousEnd = at.plusSeconds(seconds);
                            }
                        }
                    });
        } else if (HRV.matcher(name).find()) {
            csv(
                    name,
                    in,
                    row ->
                            sample(
                                    sink,
                                    DataType.HRV,
                                    local(
                                            row.isMapped("timestamp") ? row.get("timestamp") : null,
                                            zone),
                                    number(row.isMapped("rmssd") ? row.get("rmssd") : null)));
        } else {
            sink.skip("file of a kind not imported");
        }
    }

    private static void sample(ImportSink sink, DataType type, Instant at, double value) {
        if (at == null) {
            sink.skip("time missing or not a date");
        } else if (Double.isNaN(value)) {
            sink.skip("value missing or not a number");
        } else {
            sink.sample(SOURCE, type, value, at);
        }
    }

    /** Receives one element of a JSON array. */
    @FunctionalInterface
    interface Item {
        void accept(JsonNode item) throws ImportRefused;
    }

    /** The elements of a top-level JSON array, one at a time. */
    static void array(String name, InputStream in, Item each) throws IOException, ImportRefused {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ImportRefused(file(name) + " is not a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                each.accept(p.readValueAsTree());
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw new ImportRefused(
                        file(name)
                                + " holds something other than objects at line "
                                + p.currentLocation().getLineNr()
                                + ", column "
                                + p.currentLocation().getColumnNr());
            }
        } catch (JsonParseException e) {
            throw new ImportRefused(
                    file(name)
                            + " is malformed JSON at line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr());
        }
    }

    /** Receives one CSV row. */
    @FunctionalInterface
    interface Row {
        void accept(CSVRecord row);
    }

    static void csv(String name, InputStream in, Row each) throws IOException, ImportRefused {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        long[] rows = {0};
        try (CSVParser p =
                CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true)
                        .get()
                        .parse(r)) {
            for (CSVRecord row : p) {
                rows[0] = row.getRecordNumber();
                each.accept(row);
            }
        } catch (java.io.UncheckedIOException
                | IllegalArgumentException
                | IllegalStateException e) {
            // the parser's own message names its classes: the position is what the person needs
            throw new ImportRefused(file(name) + " is malformed CSV after record " + rows[0]);
        }
    }

    static Instant usDate(String text) {
        try {
            return text == null
                    ? null
                    : LocalDateTime.parse(text, US_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * An ISO local date-time ({@code 2023-01-01T23:10:30.000}) in the zone given; one with an
     * offset as it says.
     */
    static Instant local(String text, ZoneId zone) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static double number(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String file(String name) {
        int slash = name.lastIndexOf('/');
        return AppleHealthReader.clip(slash < 0 ? name : name.substring(slash + 1));
    }
}
