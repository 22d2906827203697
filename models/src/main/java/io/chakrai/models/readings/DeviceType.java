package io.chakrai.models.readings;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The wearables the spec names, and Android's health store (Health Connect), whose exports hold
 * many apps' data.
 */
public enum DeviceType {
    APPLE_WATCH("apple_watch"),
    FITBIT("fitbit"),
    OURA("oura"),
    GARMIN("garmin"),
    HEALTH_CONNECT("health_connect");

    private final String wireName;

    DeviceType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DeviceType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(DeviceType::wireName).collect(Collectors.joining(", "));
    }
}
