package io.chakrai.models.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one codec of a {@link Prediction} on every wire it travels: the Kafka record on topic {@code
 * predictions} (written by the stress job, read by every API instance), the WebSocket server events
 * pushed live and replayed on reconnect ({@code stress_prediction} / {@code mood_prediction},
 * {@code intervention_trigger}), and the REST answer of {@code GET /api/v2/biometric/predictions}.
 * The same prediction therefore reads the same wherever it is seen; {@code PredictionCodecTest}
 * pins each form to golden JSON, so a contract change is a visible test change.
 */
public final class PredictionCodec {
    private static final ObjectMapper JSON = Json.MAPPER;

    private PredictionCodec() {}

    /**
     * Seconds from the prediction to the onset it is about: 0 for an episode forming now, else to
     * the target.
     */
    public static long timeToOnsetSeconds(Prediction p) {
        return "stress_episode".equals(p.type())
                ? 0
                : Math.max(0, (p.targetTime() - p.predictionTime()) / 1000);
    }

    /**
     * The at-least-once topic's natural key of a prediction: consumers drop one they have already
     * handled.
     */
    public static String naturalKey(Prediction p) {
        return p.userId() + "|" + p.type() + "|" + p.predictionTime();
    }

    /**
     * The Kafka record: {@code user_id, prediction_type, level, confidence, timeframe,
     * prediction_time, target_time (ISO-8601), time_to_onset_s, triggers[], recommendations[],
     * intervention {type, content, urgency} | null, actual_outcome | null, accuracy | null}.
     */
    public static String toRecord(Prediction p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", p.userId());
        n.put("prediction_type", p.type());
        n.put("level", p.level());
        n.put("confidence", p.confidence());
        n.put("timeframe", p.timeframe());
        n.put("prediction_time", Instant.ofEpochMilli(p.predictionTime()).toString());
        n.put("target_time", Instant.ofEpochMilli(p.targetTime()).toString());
        n.put("time_to_onset_s", timeToOnsetSeconds(p));
        n.set("triggers", strings(p.triggers()));
        n.set("recommendations", strings(p.actions()));
        n.set("intervention", intervention(p));
        nullable(n, "actual_outcome", p.actualOutcome());
        nullable(n, "accuracy", p.accuracy());
        return n.toString();
    }

    /**
     * Reads a record written by {@link #toRecord}.
     *
     * @throws IllegalArgumentException naming what is missing or not JSON
     */
    public static Prediction fromRecord(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a prediction record is not JSON", e);
        }
        for (String f :
                List.of(
                        "user_id",
                        "prediction_type",
                        "level",
                        "confidence",
                        "timeframe",
                        "prediction_time",
                        "target_time")) {
            if (n == null || !n.hasNonNull(f)) {
                throw new IllegalArgumentException("a prediction record has no " + f);
            }
        }
        JsonNode i = n.path("intervention");
        boolean hasIntervention = i.isObject();
        return new Prediction(
                n.get("user_id").asInt(),
                n.get("prediction_type").asText(),
                n.get("level").asInt(),
                n.get("confidence").asDouble(),
                n.get("timeframe").asText(),
                Instant.parse(n.get("prediction_time").asText()).toEpochMilli(),
                Instant.parse(n.get("target_time").asText()).toEpochMilli(),
                texts(n.path("triggers")),
                texts(n.path("recommendations")),
                hasIntervention ? i.path("type").asText() : null,
                hasIntervention ? i.path("content").asText() : null,
                hasIntervention ? i.path("urgency").asText() : null,
                n.path("actual_outcome").isNumber()
                        ? n.get("actual_outcome").asDouble()
                        : Double.NaN,
                n.path("accuracy").isNumber() ? n.get("accuracy").asDouble() : Double.NaN);
    }

    /**
     * The WebSocket server events for a prediction: {@code stress_prediction} (or {@code
     * mood_prediction}) {@code {prediction: {level, confidence, timeToOnset, recommendations},
     * prediction_type, prediction_time, triggers}}, and {@code intervention_trigger {intervention:
     * {type, content, urgency}, prediction_time}} when one was triggered.
     */
    public static List<ObjectNode> events(Prediction p) {
        ObjectNode prediction = JSON.createObjectNode();
        prediction.put("level", p.level());
        prediction.put("confidence", p.confidence());
        prediction.put("timeToOnset", timeToOnsetSeconds(p));
        prediction.set("recommendations", strings(p.actions()));
        ObjectNode event =
                JSON.createObjectNode()
                        .put(
                                "type",
                                "stress_episode".equals(p.type())
                                        ? "stress_prediction"
                                        : "mood_prediction");
        event.set("prediction", prediction);
        event.put("prediction_type", p.type());
        event.put("prediction_time", Instant.ofEpochMilli(p.predictionTime()).toString());
        event.set("triggers", strings(p.triggers()));
        List<ObjectNode> out = new ArrayList<>(List.of(event));
        if (p.interventionTriggered()) {
            ObjectNode trigger = JSON.createObjectNode().put("type", "intervention_trigger");
            trigger.set("intervention", intervention(p));
            trigger.put("prediction_time", Instant.ofEpochMilli(p.predictionTime()).toString());
            out.add(trigger);
        }
        return out;
    }

    /**
     * One item of {@code GET /api/v2/biometric/predictions}: {@code id, prediction_type,
     * predicted_value, confidence, timeframe, prediction_time, target_time, time_to_onset_s,
     * trigger_factors, preventive_actions, actual_outcome, accuracy, intervention_triggered,
     * intervention}.
     */
    public static ObjectNode toRest(long id, Prediction p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("prediction_type", p.type());
        n.put("predicted_value", p.level());
        n.put("confidence", p.confidence());
        n.put("timeframe", p.timeframe());
        n.put("prediction_time", Instant.ofEpochMilli(p.predictionTime()).toString());
        n.put("target_time", Instant.ofEpochMilli(p.targetTime()).toString());
        n.put("time_to_onset_s", timeToOnsetSeconds(p));
        n.set("trigger_factors", strings(p.triggers()));
        n.set("preventive_actions", strings(p.actions()));
        nullable(n, "actual_outcome", p.actualOutcome());
        nullable(n, "accuracy", p.accuracy());
        n.put("intervention_triggered", p.interventionTriggered());
        n.set("intervention", intervention(p));
        return n;
    }

    private static JsonNode intervention(Prediction p) {
        if (!p.interventionTriggered()) {
            return JSON.nullNode();
        }
        return JSON.createObjectNode()
                .put("type", p.interventionType())
                .put("content", p.interventionContent())
                .put("urgency", p.interventionUrgency());
    }

    private static void nullable(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    private static ArrayNode strings(String[] values) {
        ArrayNode a = JSON.createArrayNode();
        if (values != null) {
            for (String v : values) {
                a.add(v);
            }
        }
        return a;
    }

    private static String[] texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out.toArray(String[]::new);
    }
}
