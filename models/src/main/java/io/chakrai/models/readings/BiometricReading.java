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
        String metadata) {}
