package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.PredictionCodec;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Where predictions go: {@code health_predictions} (+ {@code interventions}) in one idempotent
 * statement (outcomes included), and the {@code predictions} Kafka topic the API pushes to
 * WebSockets from.
 */
public final class PredictionSinks {
    /**
     * Upserts the prediction on its natural key (an outcome, once known, is kept whatever order the
     * writes come in) and, when one was triggered, inserts its intervention once.
     */
    static final String UPSERT =
            "WITH p AS (INSERT INTO health_predictions (user_id, prediction_type, predicted_value, "
                    + "confidence, timeframe, prediction_time, target_time, trigger_factors, preventive_actions, "
                    + "intervention_triggered, actual_outcome, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (user_id, prediction_type, prediction_time) DO UPDATE SET "
                    + "predicted_value = EXCLUDED.predicted_value, "
                    + "actual_outcome = COALESCE(EXCLUDED.actual_outcome, health_predictions.actual_outcome), "
                    + "accuracy = COALESCE(EXCLUDED.accuracy, health_predictions.accuracy) "
                    + "RETURNING id) "
                    + "INSERT INTO interventions (user_id, prediction_id, intervention_type, content, urgency) "
                    + "SELECT ?, p.id, ?, ?, ? FROM p WHERE ? ON CONFLICT (prediction_id) DO NOTHING";

    private PredictionSinks() {}

    /** Predictions are few and someone is waiting for them: small batches, written promptly. */
    public static ResilientJdbcSink<Prediction> predictionsTable(SourceOptions o) {
        return new ResilientJdbcSink<>(
                        "health_predictions",
                        o.dbUrl,
                        o.dbUser,
                        o.dbPassword,
                        UPSERT,
                        (ps, p) -> {
                            ps.setInt(1, p.userId());
                            ps.setString(2, p.type());
                            ps.setInt(3, p.level());
                            ps.setDouble(4, p.confidence());
                            ps.setString(5, p.timeframe());
                            ps.setTimestamp(
                                    6, Timestamp.from(Instant.ofEpochMilli(p.predictionTime())));
                            ps.setTimestamp(
                                    7, Timestamp.from(Instant.ofEpochMilli(p.targetTime())));
                            ps.setArray(8, ps.getConnection().createArrayOf("text", p.triggers()));
                            ps.setArray(9, ps.getConnection().createArrayOf("text", p.actions()));
                            ps.setBoolean(10, p.interventionTriggered());
                            setNullable(ps, 11, p.actualOutcome());
                            setNullable(ps, 12, p.accuracy());
                            ps.setInt(13, p.userId());
                            ps.setString(14, p.interventionType());
                            ps.setString(15, p.interventionContent());
                            ps.setString(16, p.interventionUrgency());
                            ps.setBoolean(17, p.interventionTriggered());
                        },
                        100,
                        50,
                        RowDeadLetters.of(
                                o,
                                "health_predictions",
                                Prediction::userId,
                                PredictionCodec::toRecord))
                // an erased person's predictions (from readings still on their way, or an outcome
                // of one made before) are neither stored nor dead-lettered
                .guardedBy(WithoutErased.of(Prediction::userId));
    }

    private static void setNullable(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.NUMERIC);
        } else {
            ps.setDouble(i, v);
        }
    }

    /**
     * At-least-once, in {@link PredictionCodec}'s record form: the API drops an event it has
     * already pushed (same natural key).
     */
    public static KafkaSink<Prediction> topic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "0");
        return KafkaSink.<Prediction>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(p)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<Prediction>builder()
                                .setTopic(topic)
                                .setKeySerializationSchema(
                                        pr ->
                                                Integer.toString(pr.userId())
                                                        .getBytes(StandardCharsets.UTF_8))
                                .setValueSerializationSchema(new RecordSerializer())
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * {@link PredictionCodec#toRecord} as Flink's serialization schema (a named class: Flink cannot
     * type a lambda).
     */
    static final class RecordSerializer implements SerializationSchema<Prediction> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(Prediction p) {
            return PredictionCodec.toRecord(p).getBytes(StandardCharsets.UTF_8);
        }
    }
}
