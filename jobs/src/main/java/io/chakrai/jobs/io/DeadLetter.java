package io.chakrai.jobs.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.models.Json;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * A record the job could not use, with the reason, bound for topic {@code biometric.readings.dlq}.
 *
 * @param reason why, naming the field where there is one
 * @param source where it came from
 * @param failedAt processing time of the rejection, epoch ms
 */
public record DeadLetter(String reason, RawRecord source, long failedAt) {

    /** JSON: {@code {"reason", "topic", "partition", "offset", "key", "value", "failed_at"}}. */
    public static final class JsonSerializer implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter d) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("reason", d.reason());
            n.put("topic", d.source().topic());
            n.put("partition", d.source().partition());
            n.put("offset", d.source().offset());
            n.put("key", d.source().key());
            n.put("value", d.source().value());
            n.put("failed_at", d.failedAt());
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Dead letters onto the dead-letter topic of {@code source}, at least once (idempotent, {@code
     * acks=all}).
     */
    public static KafkaSink<DeadLetter> topicSink(SourceOptions source) {
        Properties p = new Properties();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(source.kafkaBootstrap)
                .setKafkaProducerConfig(p)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<DeadLetter>builder()
                                .setTopic(source.deadLetterTopic)
                                .setValueSerializationSchema(new JsonSerializer())
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
