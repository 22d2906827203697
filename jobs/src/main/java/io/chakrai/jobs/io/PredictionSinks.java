package io.chakrai.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.stress.Outcome;
import io.chakrai.models.stress.Prediction;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Where predictions go: {@code health_predictions} (+ {@code interventions}) in one idempotent statement,
 * outcome updates, and the {@code predictions} Kafka topic the API pushes to WebSockets from.
 */
public final class PredictionSinks {
    /** Upserts the prediction on its natural key and, when triggered, inserts its intervention once. */
    static final String UPSERT = "WITH p AS (INSERT INTO health_predictions (user_id, prediction_type, predicted_value, "
            + "confidence, timeframe, prediction_time, target_time, trigger_factors, preventive_actions, "
            + "intervention_triggered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (user_id, prediction_type, prediction_time) DO UPDATE SET predicted_value = EXCLUDED.predicted_value "
            + "RETURNING id) "
            + "INSERT INTO interventions (user_id, prediction_id, intervention_type, content, urgency) "
            + "SELECT ?, p.id, ?, ?, ? FROM p WHERE ? ON CONFLICT (prediction_id) DO NOTHING";
    static final String OUTCOME = "UPDATE health_predictions SET actual_outcome = ?, accuracy = ? "
            + "WHERE user_id = ? AND prediction_type = ? AND prediction_time = ?";

    private PredictionSinks() {
    }

    private static JdbcConnectionOptions connection(String url, String user, String password) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url).withDriverName("org.postgresql.Driver").withUsername(user).withPassword(password).build();
    }

    private static JdbcExecutionOptions smallBatches() {
        // predictions are few and someone is waiting for them: write promptly
        return JdbcExecutionOptions.builder().withBatchSize(100).withBatchIntervalMs(50).withMaxRetries(5).build();
    }

    public static JdbcSink<Prediction> predictionsTable(String url, String user, String password) {
        return JdbcSink.<Prediction>builder()
                .withQueryStatement(UPSERT, (ps, p) -> {
                    ps.setInt(1, p.userId());
                    ps.setString(2, p.type());
                    ps.setInt(3, p.level());
                    ps.setDouble(4, p.confidence());
                    ps.setString(5, p.timeframe());
                    ps.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(p.predictionTime())));
                    ps.setTimestamp(7, Timestamp.from(Instant.ofEpochMilli(p.targetTime())));
                    ps.setArray(8, ps.getConnection().createArrayOf("text", p.triggers()));
                    ps.setArray(9, ps.getConnection().createArrayOf("text", p.actions()));
                    ps.setBoolean(10, p.interventionTriggered());
                    ps.setInt(11, p.userId());
                    ps.setString(12, p.interventionType());
                    ps.setString(13, p.interventionContent());
                    ps.setString(14, p.interventionUrgency());
                    ps.setBoolean(15, p.interventionTriggered());
                })
                .withExecutionOptions(smallBatches())
                .buildAtLeastOnce(connection(url, user, password));
    }

    public static JdbcSink<Outcome> outcomes(String url, String user, String password) {
        return JdbcSink.<Outcome>builder()
                .withQueryStatement(OUTCOME, (ps, o) -> {
                    ps.setDouble(1, o.actualOutcome());
                    ps.setDouble(2, o.accuracy());
                    ps.setInt(3, o.userId());
                    ps.setString(4, o.type());
                    ps.setTimestamp(5, Timestamp.from(Instant.ofEpochMilli(o.predictionTime())));
                })
                .withExecutionOptions(smallBatches())
                .buildAtLeastOnce(connection(url, user, password));
    }

    /** At-least-once: the API drops an event it has already pushed (same user, type and prediction time). */
    public static KafkaSink<Prediction> topic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "0");
        return KafkaSink.<Prediction>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(p)
                .setRecordSerializer(KafkaRecordSerializationSchema.<Prediction>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(pr -> Integer.toString(pr.userId()).getBytes(StandardCharsets.UTF_8))
                        .setValueSerializationSchema(new JsonSerializer())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * The {@code predictions} topic's JSON: {@code user_id, prediction_type, level, confidence, timeframe,
     * prediction_time, target_time (ISO-8601), time_to_onset_s, triggers[], recommendations[],
     * intervention {type, content, urgency} | null}.
     */
    public static final class JsonSerializer implements SerializationSchema<Prediction> {
        private static final long serialVersionUID = 1L;
        private transient ObjectMapper json;

        @Override
        public byte[] serialize(Prediction p) {
            if (json == null) {
                json = new ObjectMapper();
            }
            ObjectNode n = json.createObjectNode();
            n.put("user_id", p.userId());
            n.put("prediction_type", p.type());
            n.put("level", p.level());
            n.put("confidence", p.confidence());
            n.put("timeframe", p.timeframe());
            n.put("prediction_time", Instant.ofEpochMilli(p.predictionTime()).toString());
            n.put("target_time", Instant.ofEpochMilli(p.targetTime()).toString());
            // the episode is forming now: onset is immediate for stress, the next day for mood
            n.put("time_to_onset_s", "stress_episode".equals(p.type()) ? 0 : (p.targetTime() - p.predictionTime()) / 1000);
            n.putArray("triggers").addAll(java.util.Arrays.stream(p.triggers()).map(n::textNode).toList());
            n.putArray("recommendations").addAll(java.util.Arrays.stream(p.actions()).map(n::textNode).toList());
            if (p.interventionTriggered()) {
                n.putObject("intervention").put("type", p.interventionType()).put("content", p.interventionContent())
                        .put("urgency", p.interventionUrgency());
            } else {
                n.putNull("intervention");
            }
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
