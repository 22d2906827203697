package io.chakrai.jobs.io;

import io.chakrai.models.readings.Arrival;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as it came off the topic, before any parsing: whatever its bytes, it can be
 * carried to the dead-letter topic with its coordinates. Key and value are kept as Kafka's bytes
 * (the readings parser reads a valid record from them without building its text); {@link #key()}
 * and {@link #value()} are their text.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param keyBytes record key as Kafka holds it (null if absent)
 * @param bytes record value as Kafka holds it (null if absent)
 * @param timestamp Kafka record timestamp, epoch ms
 * @param history the record carries header {@link Arrival#HISTORY_HEADER}: a reading that arrived
 *     as history
 */
public record RawRecord(
        String topic,
        int partition,
        long offset,
        byte[] keyBytes,
        byte[] bytes,
        long timestamp,
        boolean history) {

    /** A record whose key and value are {@code key} and {@code value} in UTF-8, not history. */
    public RawRecord(
            String topic, int partition, long offset, String key, String value, long timestamp) {
        this(topic, partition, offset, utf8(key), utf8(value), timestamp, false);
    }

    /** The key as UTF-8 text (null if absent; invalid bytes replaced). */
    public String key() {
        return text(keyBytes);
    }

    /** The value as UTF-8 text (null if absent; invalid bytes replaced). */
    public String value() {
        return text(bytes);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord r
                && partition == r.partition
                && offset == r.offset
                && timestamp == r.timestamp
                && history == r.history
                && Objects.equals(topic, r.topic)
                && Arrays.equals(keyBytes, r.keyBytes)
                && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                topic,
                partition,
                offset,
                Arrays.hashCode(keyBytes),
                Arrays.hashCode(bytes),
                timestamp,
                history);
    }

    @Override
    public String toString() {
        return "RawRecord[topic="
                + topic
                + ", partition="
                + partition
                + ", offset="
                + offset
                + ", key="
                + key()
                + ", value="
                + (bytes == null ? "null" : bytes.length + " bytes")
                + ", timestamp="
                + timestamp
                + (history ? ", history" : "")
                + "]";
    }
}
