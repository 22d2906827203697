package io.chakrai.jobs.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as it came off the topic, before any parsing: whatever its bytes, it can be carried
 * to the dead-letter topic with its coordinates. The value is kept as Kafka's bytes (the readings parser reads a valid
 * record from them without building its text); {@link #value()} is its text.
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param key       record key as text (null if absent)
 * @param bytes     record value as Kafka holds it (null if absent)
 * @param timestamp Kafka record timestamp, epoch ms
 */
public record RawRecord(String topic, int partition, long offset, String key, byte[] bytes, long timestamp) {

    /** A record whose value is {@code value} in UTF-8. */
    public RawRecord(String topic, int partition, long offset, String key, String value, long timestamp) {
        this(topic, partition, offset, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), timestamp);
    }

    /** The value as UTF-8 text (null if absent; invalid bytes replaced). */
    public String value() {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord r && partition == r.partition && offset == r.offset && timestamp == r.timestamp
                && Objects.equals(topic, r.topic) && Objects.equals(key, r.key) && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, key, Arrays.hashCode(bytes), timestamp);
    }

    @Override
    public String toString() {
        return "RawRecord[topic=" + topic + ", partition=" + partition + ", offset=" + offset + ", key=" + key
                + ", value=" + (bytes == null ? "null" : bytes.length + " bytes") + ", timestamp=" + timestamp + "]";
    }
}
