package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.models.Topics;
import io.chakrai.models.readings.BiometricReading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The one readings source of every job: topic {@code biometric.readings} from Kafka — unbounded
 * from the consumer group's offsets, or bounded from the topic's start to its current end (a
 * backfill) — with the device timestamp as event time, parsed by {@link ParseReadings} (the same
 * codec the API validates with, the device checked to be the reading's user's); the parser's {@link
 * ParseReadings#DEAD_LETTERS} side output holds what it refused.
 */
public final class ReadingsSource {
    private ReadingsSource() {}

    /**
     * The topic as raw records. Unbounded: as consumer group {@code groupId}, committing offsets at
     * each checkpoint (a restored job continues from its checkpoint's offsets). Bounded: group
     * {@code groupId-backfill}, from the start to the end the topic has now, then finished.
     */
    public static KafkaSource<RawRecord> kafka(SourceOptions o, String groupId, boolean bounded) {
        KafkaSourceBuilder<RawRecord> b =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(o.kafkaBootstrap)
                        .setTopics(o.readingsTopic)
                        .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            return b.setGroupId(groupId + "-backfill")
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest())
                    .build();
        }
        return b.setGroupId(groupId)
                .setStartingOffsets(startingOffsets(o.startingOffsets))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    /**
     * Device time from the Kafka record timestamp, which the API sets to the reading's timestamp.
     */
    public static WatermarkStrategy<RawRecord> eventTime(SourceOptions o) {
        return WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                        Duration.ofSeconds(o.maxOutOfOrdernessSeconds))
                .withTimestampAssigner((r, kafkaTs) -> r.timestamp())
                .withIdleness(Duration.ofSeconds(o.idlenessSeconds));
    }

    /** Where a job without state starts; a restored job continues from its checkpoint's offsets. */
    static OffsetsInitializer startingOffsets(String mode) {
        return switch (mode) {
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default ->
                    throw new IllegalArgumentException(
                            "--starting-offsets must be committed, earliest or latest, not "
                                    + mode);
        };
    }

    /**
     * Parsed readings from any source of raw records (Kafka in production, a bounded collection in
     * tests), under the operator ids a job has always used (so its savepoints keep restoring).
     */
    public static SingleOutputStreamOperator<BiometricReading> parsed(
            StreamExecutionEnvironment env,
            Source<RawRecord, ?, ?> source,
            WatermarkStrategy<RawRecord> watermarks,
            DeviceDirectory.Connect devices,
            String sourceUid,
            String parseUid,
            String what) {
        return env.fromSource(source, watermarks, Topics.READINGS + " (" + what + ")")
                .uid(sourceUid)
                .process(new ParseReadings(devices))
                .uid(parseUid)
                .name("parse + validate readings");
    }

    /** All of the above from a job's options. */
    public static SingleOutputStreamOperator<BiometricReading> parsed(
            StreamExecutionEnvironment env,
            SourceOptions o,
            String groupId,
            boolean bounded,
            String sourceUid,
            String parseUid,
            String what) {
        return parsed(
                env,
                kafka(o, groupId, bounded),
                eventTime(o),
                DeviceDirectory.Connect.of(o),
                sourceUid,
                parseUid,
                what);
    }
}
