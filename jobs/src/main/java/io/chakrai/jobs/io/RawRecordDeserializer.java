package io.chakrai.jobs.io;

import io.chakrai.models.readings.Arrival;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns any Kafka record into a {@link RawRecord}, with whether it carries the {@link
 * Arrival#HISTORY_HEADER}; it never fails, so a poison record cannot stop the source.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawRecord> out) {
        out.collect(
                new RawRecord(
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.key(),
                        r.value(),
                        r.timestamp(),
                        r.headers().lastHeader(Arrival.HISTORY_HEADER) != null));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
