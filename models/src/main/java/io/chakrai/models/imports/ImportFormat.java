package io.chakrai.models.imports;

import io.chakrai.models.readings.DeviceType;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The exports the platform reads, each with the kind of device its readings are filed under. */
public enum ImportFormat {
    /** Apple Health's {@code export.zip} (or the {@code export.xml} inside it). */
    APPLE_HEALTH("apple_health", DeviceType.APPLE_WATCH),
    /** Fitbit's data in a Google Takeout archive, or one of its per-day JSON / CSV files. */
    FITBIT("fitbit", DeviceType.FITBIT),
    /** Oura's JSON data export. */
    OURA("oura", DeviceType.OURA),
    /**
     * Android Health Connect's export: its SQLite database ({@code health_connect_export.db}, alone
     * or zipped).
     */
    HEALTH_CONNECT("health_connect", DeviceType.HEALTH_CONNECT),
    /** Garmin's FIT files (a watch's monitoring, sleep and activity files), alone or zipped. */
    GARMIN_FIT("garmin_fit", DeviceType.GARMIN);

    private final String wireName;
    private final DeviceType deviceType;

    ImportFormat(String wireName, DeviceType deviceType) {
        this.wireName = wireName;
        this.deviceType = deviceType;
    }

    public String wireName() {
        return wireName;
    }

    public DeviceType deviceType() {
        return deviceType;
    }

    public static Optional<ImportFormat> fromWire(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values())
                .map(ImportFormat::wireName)
                .collect(Collectors.joining(", "));
    }
}
