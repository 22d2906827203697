package io.chakrai.api.devices;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A registered device as the API returns it. The auth token is never part of it; only whether one
 * is stored.
 */
public record Device(
        int id,
        String deviceType,
        String deviceId,
        String deviceName,
        String connectionStatus,
        List<String> dataTypes,
        int syncFrequency,
        Instant lastSyncAt,
        JsonNode settings,
        boolean isActive,
        boolean hasAuthToken,
        Instant createdAt,
        Instant updatedAt) {}
