package io.chakrai.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

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
