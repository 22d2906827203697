package io.chakrai.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.http.Json;
import io.chakrai.models.readings.BiometricReading;
import java.util.List;

/** The {@code readings} server event: the heart rate and HRV just accepted, for the owner's live chart. */
final class LiveReadings {
    private LiveReadings() {
    }

    static String event(List<BiometricReading> batch) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("type", "readings");
        ArrayNode data = e.putArray("data");
        for (BiometricReading r : batch) {
            if (r.dataType().equals("heart_rate") || r.dataType().equals("hrv")) {
                data.addObject().put("data_type", r.dataType()).put("value", r.value())
                        .put("timestamp", r.timestamp().toString());
            }
        }
        return e.toString();
    }
}
