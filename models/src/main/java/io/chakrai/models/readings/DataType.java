package io.chakrai.models.readings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds of biometric reading the platform accepts, each with its canonical unit, the unit
 * spellings accepted for it, and the physiologically plausible range a value must lie in
 * (inclusive).
 */
public enum DataType {
    /** Heart rate, beats per minute. */
    HEART_RATE("heart_rate", "bpm", Set.of("bpm", "beats/min", "1/min"), 25, 250, false),
    /** Heart-rate variability as RMSSD, milliseconds. */
    HRV("hrv", "ms", Set.of("ms", "milliseconds"), 1, 300, false),
    /** Steps counted since the device's previous steps reading. */
    STEPS("steps", "count", Set.of("count", "steps"), 0, 20_000, true),
    /** Physical activity intensity, metabolic equivalents (1 MET = at rest). */
    ACTIVITY("activity", "met", Set.of("met", "mets"), 0.5, 25, false),
    /**
     * Sleep stage: 0 awake, 1 light, 2 deep, 3 REM, 4 asleep with no stage recorded ({@link
     * #ASLEEP_UNSTAGED}: an older or simpler tracker). Any stage above 0 is a minute asleep.
     */
    SLEEP_STAGE("sleep_stage", "stage", Set.of("stage"), 0, 4, true),
    /** Skin temperature, degrees Celsius. */
    SKIN_TEMPERATURE(
            "skin_temperature", "celsius", Set.of("celsius", "degc", "°c", "c"), 20, 45, false),
    /** Respiration rate, breaths per minute. */
    RESPIRATION_RATE(
            "respiration_rate", "breaths/min", Set.of("breaths/min", "brpm"), 4, 60, false),
    /** Blood oxygen saturation, percent. */
    SPO2("spo2", "percent", Set.of("percent", "%"), 50, 100, false),
    /**
     * Skin conductance (electrodermal activity), microsiemens: tonic level with phasic responses
     * under stress.
     */
    EDA("eda", "microsiemens", Set.of("microsiemens", "us", "µs", "μs"), 0, 100, false),
    /**
     * Heart-rate variability as SDNN, milliseconds: what Apple Health records. Not {@link #HRV}
     * (RMSSD): the two measure different things and are not converted into each other.
     */
    HRV_SDNN("hrv_sdnn", "ms", Set.of("ms", "milliseconds"), 1, 400, false),
    /** The day's resting heart rate as the wearable computed it, beats per minute. */
    RESTING_HEART_RATE(
            "resting_heart_rate", "bpm", Set.of("bpm", "beats/min", "1/min"), 25, 200, false);

    /**
     * The {@link #SLEEP_STAGE} of a minute asleep whose stage the tracker did not record (Apple
     * Health before iOS 16 and sleep apps without stages, Health Connect's "sleeping").
     */
    public static final int ASLEEP_UNSTAGED = 4;

    private static final Map<String, DataType> BY_NAME =
            Arrays.stream(values())
                    .collect(Collectors.toUnmodifiableMap(DataType::wireName, Function.identity()));
    private static final List<String> CANONICAL_TEXTS =
            Arrays.stream(values()).flatMap(t -> Stream.of(t.wireName, t.unit)).distinct().toList();

    private final String wireName;
    private final String unit;
    private final Set<String> acceptedUnits;
    private final double min;
    private final double max;
    private final boolean integral;

    DataType(
            String wireName,
            String unit,
            Set<String> acceptedUnits,
            double min,
            double max,
            boolean integral) {
        this.wireName = wireName;
        this.unit = unit;
        this.acceptedUnits = acceptedUnits;
        this.min = min;
        this.max = max;
        this.integral = integral;
    }

    /** The name used in JSON, Kafka and the database, e.g. {@code heart_rate}. */
    public String wireName() {
        return wireName;
    }

    /** The canonical unit stored with every reading of this type. */
    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Whether values must be whole numbers (counts, stage codes). */
    public boolean integral() {
        return integral;
    }

    /** Whether {@code given} is a spelling of this type's unit (case-insensitive). */
    public boolean acceptsUnit(String given) {
        return given != null && acceptedUnits.contains(given.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The type of a wire name, or null for a name that is no type (readings past the codec always
     * have one).
     */
    public static DataType of(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    /** Whether {@code name} is this type's wire name. */
    public boolean is(String name) {
        return wireName.equals(name);
    }

    public static Optional<DataType> fromWire(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /**
     * Every type's name and canonical unit, each once, in declaration order (the texts every valid
     * reading carries: the codecs write them from a form prepared once).
     */
    public static List<String> canonicalTexts() {
        return CANONICAL_TEXTS;
    }

    /** The accepted names, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(DataType::wireName).collect(Collectors.joining(", "));
    }
}
