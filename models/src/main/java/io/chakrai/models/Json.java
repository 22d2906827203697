package io.chakrai.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.regex.Pattern;

/**
 * The project's one JSON configuration (API, jobs, lab, launcher): snake_case names, ISO-8601
 * times, duplicate keys and trailing tokens refused; numbers read by Jackson's fast double parser
 * (the same doubles as the JDK's, for a fraction of the cost of every reading's three). A mapper is
 * thread-safe once configured: share this one. Two modules keep their own on purpose: {@code
 * client} (an app's dependency, whose models carry their own annotations) and the reading codec
 * ({@code ReadingCodec.JSON} writes records; {@code ReadingReader} reads every reading with parsers
 * of its own, duplicate keys refused there too, records always as UTF-8).
 */
public final class Json {
    public static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .setSerializationInclusion(JsonInclude.Include.ALWAYS)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());

    private Json() {}

    // Jackson's words for where an object began, which name its source and a feature
    private static final Pattern STARTED_AT =
            Pattern.compile(
                    "\\s*\\((?:start marker at|for \\w+ starting at) \\[Source:.*?\\]\\)",
                    Pattern.DOTALL);
    // "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)", "enable `JsonReadFeature.X` to
    // allow"
    private static final Pattern NAMED =
            Pattern.compile(
                    " for `[^`]*`: not allowed when `[^`]*` enabled"
                            + "|,? from `[^`]*`|:? enable `[^`]*` to allow|`[^`]*`");

    /**
     * A request body that is not JSON, as every route says it: where, when the parser knows, and
     * why.
     */
    public static String notJsonBody(JsonLocation where, String why) {
        String at =
                where == null
                        ? ""
                        : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return "request body is not valid JSON" + at + ": " + why;
    }

    /**
     * What is wrong with a JSON text, in Jackson's words but without the names of its classes,
     * features and sources in them: safe to show the client who sent it.
     */
    public static String problem(JsonProcessingException e) {
        String s = e.getOriginalMessage();
        if (s == null || s.isBlank()) {
            return "it cannot be read as JSON";
        }
        s = NAMED.matcher(STARTED_AT.matcher(s).replaceAll("")).replaceAll("");
        s = s.replaceAll("\\s+", " ").strip();
        return s.contains("Source:") || s.isEmpty() ? "it cannot be read as JSON" : s;
    }

    /**
     * {@code value} as JSON text, or its {@code toString()} when it cannot be written (a dead
     * letter's row, say).
     */
    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
