package io.chakrai.models.readings;

import java.time.Instant;

/**
 * One validated reading, as it travels on Kafka topic {@code biometric.readings} (key: user id) and
 * is stored in {@code biometric_readings}. {@code (deviceId, dataType, timestamp)} is its natural
 * key.
 *
 * @param userId owner
 * @param deviceId {@code biometric_devices.id}
 * @param dataType a {@link DataType} wire name
 * @param value in {@code unit}
 * @param unit the data type's canonical unit
 * @param quality signal quality 0..1 as the device reports it
 * @param confidence the device's confidence 0..1 in the value
 * @param timestamp device event time (UTC)
 * @param metadata optional JSON object text, or {@code null}
 * @param history it arrived as {@link Arrival history}: not a field of the message but the Kafka
 *     record's header, set by the API as it publishes (false wherever a reading is read from text)
 */
public record BiometricReading(
        int userId,
        int deviceId,
        String dataType,
        double value,
        String unit,
        double quality,
        double confidence,
        Instant timestamp,
        String metadata,
        boolean history) {

    /** A reading as a message carries it (not known to be history). */
    public BiometricReading(
            int userId,
            int deviceId,
            String dataType,
            double value,
            String unit,
            double quality,
            double confidence,
            Instant timestamp,
            String metadata) {
        this(
                userId,
                deviceId,
                dataType,
                value,
                unit,
                quality,
                confidence,
                timestamp,
                metadata,
                false);
    }

    /** The metadata of a reading read from an export: {@code {"import":<id>}}. */
    public static String importMetadata(long importId) {
        return IMPORT_PREFIX + importId + "}";
    }

    private static final String IMPORT_PREFIX = "{\"import\":";

    /**
     * Read from an export ({@link #importMetadata}), not sent by a device: a person's past, not a
     * second device syncing late.
     */
    public boolean imported() {
        return metadata != null && metadata.startsWith(IMPORT_PREFIX);
    }

    /** The same reading as import {@code importId} publishes it: its metadata, history. */
    public BiometricReading asImported(long importId) {
        return new BiometricReading(
                userId,
                deviceId,
                dataType,
                value,
                unit,
                quality,
                confidence,
                timestamp,
                importMetadata(importId),
                true);
    }

    /** The import it was read from ({@link #importMetadata}), or -1. */
    public long importId() {
        if (!imported()) {
            return -1;
        }
        int end = metadata.indexOf('}', IMPORT_PREFIX.length());
        try {
            return Long.parseLong(
                    metadata.substring(IMPORT_PREFIX.length(), end < 0 ? metadata.length() : end)
                            .trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The same reading, marked as arrived as history. */
    public BiometricReading asHistory() {
        return history
                ? this
                : new BiometricReading(
                        userId,
                        deviceId,
                        dataType,
                        value,
                        unit,
                        quality,
                        confidence,
                        timestamp,
                        metadata,
                        true);
    }
}
