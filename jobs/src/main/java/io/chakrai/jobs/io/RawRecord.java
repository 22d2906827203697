package io.chakrai.jobs.io;

/**
 * A Kafka record as it came off the topic, before any parsing: whatever its bytes, it can be carried
 * to the dead-letter topic with its coordinates.
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param key       record key as text (null if absent)
 * @param value     record value as UTF-8 text (null if absent; invalid bytes replaced)
 * @param timestamp Kafka record timestamp, epoch ms
 */
public record RawRecord(String topic, int partition, long offset, String key, String value, long timestamp) {
}
