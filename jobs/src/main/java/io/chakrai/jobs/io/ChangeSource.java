package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * A topic of the CDC service's change events ({@code cdc.public.<table>}) as raw records, read as
 * consumer group {@code groupId} from its committed offsets (the start for a new group), committing
 * at each checkpoint. The topic need not exist yet.
 */
public final class ChangeSource {
    private ChangeSource() {}

    public static KafkaSource<RawRecord> kafka(SourceOptions o, String topic, String groupId) {
        return kafka(o, topic, groupId, false);
    }

    /** As above; bounded: from the start to the end the topic has now, then finished. */
    public static KafkaSource<RawRecord> kafka(
            SourceOptions o, String topic, String groupId, boolean bounded) {
        return kafka(o, List.of(topic), groupId, bounded);
    }

    /** As above, from several topics (their records interleaved; each carries its topic). */
    public static KafkaSource<RawRecord> kafka(
            SourceOptions o, List<String> topics, String groupId, boolean bounded) {
        Pattern pattern =
                Pattern.compile(String.join("|", topics.stream().map(Pattern::quote).toList()));
        if (bounded) {
            return KafkaSource.<RawRecord>builder()
                    .setBootstrapServers(o.kafkaBootstrap)
                    .setTopicPattern(pattern)
                    .setDeserializer(new RawRecordDeserializer())
                    .setGroupId(groupId)
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest())
                    .build();
        }
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(o.kafkaBootstrap)
                // a pattern, not a name: a job may start before the CDC service has created its
                // topic, and then
                // finds it at the next partition discovery instead of failing
                .setTopicPattern(pattern)
                .setDeserializer(new RawRecordDeserializer())
                .setGroupId(groupId)
                .setStartingOffsets(ReadingsSource.startingOffsets("committed"))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }
}
