package io.chakrai.models.imports;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Oura's JSON data export (the shape of its API v2 documents, one array per kind), read as a
 * stream, a document at a time. The mapping, in {@code docs/imports.md} too:
 *
 * <table>
 *   <tr><th>array</th><th>becomes</th></tr>
 *   <tr><td>{@code sleep[].heart_rate} ({@code interval} s, {@code items}, {@code timestamp})</td><td>heart_rate</td></tr>
 *   <tr><td>{@code sleep[].hrv} (Oura's HRV is RMSSD)</td><td>hrv</td></tr>
 *   <tr><td>{@code sleep[].sleep_phase_5_min} ("1" deep, "2" light, "3" REM, "4" awake, from {@code bedtime_start})</td>
 *       <td>sleep_stage each minute: awake 0, light 1, deep 2, REM 3</td></tr>
 *   <tr><td>{@code sleep[].average_breath}</td><td>respiration_rate at bedtime</td></tr>
 *   <tr><td>{@code heartrate[]} ({@code bpm}, {@code timestamp})</td><td>heart_rate</td></tr>
 *   <tr><td>{@code daily_activity[].met} ({@code interval} s, {@code items}, {@code timestamp})</td><td>activity (MET)</td></tr>
 * </table>
 *
 * A {@code null} item (the ring saw nothing) is left out.
 */
public final class OuraReader {
    static final String SOURCE = "Oura";

    private OuraReader() {}

    public static void read(InputStream in, ImportSink sink) throws IOException, ImportRefused {
        try (JsonParser p = FitbitReader.JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ImportRefused(
                        "not an Oura export: expected a JSON object of arrays (sleep, heartrate, daily_activity)");
            }
            boolean any = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String kind = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_ARRAY
                        || !(kind.equals("sleep")
                                || kind.equals("heartrate")
                                || kind.equals("daily_activity"))) {
                    p.skipChildren();
                    continue;
                }
                any = true;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode doc = p.readValueAsTree();
                    switch (kind) {
                        case "sleep" -> sleep(doc, sink);
                        case "heartrate" ->
                                sample(
                                        sink,
                                        DataType.HEART_RATE,
                                        date(doc.path("timestamp").asText(null)),
                                        doc.path("bpm"));
                        default -> series(doc.path("met"), DataType.ACTIVITY, sink);
                    }
                }
            }
            if (!any) {
                throw new ImportRefused(
                        "not an Oura export: no sleep, heartrate or daily_activity array");
            }
        } catch (JsonParseException e) {
            throw new ImportRefused(
                    "the JSON is malformed at line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr());
        }
    }

    private static void sleep(JsonNode doc, ImportSink sink) {
        series(doc.path("heart_rate"), DataType.HEART_RATE, sink);
        series(doc.path("hrv"), DataType.HRV, sink);
        Instant bed = date(doc.path("bedtime_start").asText(null));
        String phases = doc.path("sleep_phase_5_min").asText("");
        if (bed == null && !phases.isEmpty()) {
            sink.skip("sleep without a valid bedtime_start");
            return;
        }
        for (int i = 0; i < phases.length(); i++) {
            int stage =
                    switch (phases.charAt(i)) {
                        case '1' -> 2;
                        case '2' -> 1;
                        case '3' -> 3;
                        case '4' -> 0;
                        default -> -1;
                    };
            if (stage < 0) {
                sink.skip("sleep phase not one of 1-4");
                continue;
            }
            for (int m = 0; m < 5; m++) {
                sink.sample(
                        SOURCE, DataType.SLEEP_STAGE, stage, bed.plusSeconds(300L * i + 60L * m));
            }
        }
        if (bed != null && doc.has("average_breath")) {
            sample(sink, DataType.RESPIRATION_RATE, bed, doc.path("average_breath"));
        }
    }

    /** {@code {"interval": s, "items": [...], "timestamp": first}}: a value every interval. */
    private static void series(JsonNode s, DataType type, ImportSink sink) {
        if (s.isMissingNode() || s.isNull()) {
            return;
        }
        Instant start = date(s.path("timestamp").asText(null));
        double interval = s.path("interval").asDouble(-1);
        if (start == null || !(interval > 0 && interval <= 86_400)) {
            sink.skip("series without a valid timestamp and interval");
            return;
        }
        JsonNode items = s.path("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode v = items.get(i);
            if (v.isNull()) {
                sink.skip("no value (a gap the ring recorded)");
            } else {
                sample(sink, type, start.plusMillis(Math.round(i * interval * 1000)), v);
            }
        }
    }

    private static void sample(ImportSink sink, DataType type, Instant at, JsonNode value) {
        if (at == null) {
            sink.skip("time missing or not a date");
        } else if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            sink.skip("value missing or not a number");
        } else {
            sink.sample(SOURCE, type, value.asDouble(), at);
        }
    }

    static Instant date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
