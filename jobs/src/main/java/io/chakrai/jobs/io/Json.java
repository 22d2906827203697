package io.chakrai.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A job's rows as JSON text, for dead letters (plain Jackson; never Flink's shaded copy). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String of(Object row) {
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            return String.valueOf(row);
        }
    }
}
