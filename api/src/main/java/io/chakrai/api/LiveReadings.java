package io.chakrai.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.util.List;

/**
 * The {@code readings} server event: the heart rate and HRV just accepted, for the owner's live
 * chart.
 */
final class LiveReadings {
    private LiveReadings() {}

    static String event(List<BiometricReading> batch) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("type", "readings");
        ArrayNode data = e.putArray("data");
        for (BiometricReading r : batch) {
            if (DataType.HEART_RATE.is(r.dataType()) || DataType.HRV.is(r.dataType())) {
                data.addObject()
                        .put("data_type", r.dataType())
                        .put("value", r.value())
                        .put("timestamp", r.timestamp().toString());
            }
        }
        return e.toString();
    }
}
