package io.chakrai.models.stress;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;

/**
 * Collects one person's readings of one minute. Readings whose quality x confidence is below the
 * threshold are skipped; heart rate is averaged with quality x confidence as the weight. A mutable
 * POJO so it can live in Flink keyed state.
 */
public class MinuteAccumulator {
    public long minuteStart = Long.MIN_VALUE;

    /** When (processing time, epoch ms) the stress job opened this minute; 0 when not kept. */
    public long openedAt;

    /**
     * Every reading of the minute arrived as history ({@link BiometricReading#history()}); false
     * once a live one came (and in a minute restored from before the flag existed).
     */
    public boolean history;

    public double hrWeightedSum;
    public double hrWeight;
    public int hrCount;
    public double rmssdSum;
    public int rmssdCount;
    public double steps;
    public double met = Double.NaN;
    public double qualitySum;
    public int qualityCount;
    public boolean sleeping;
    public int skipped;

    /**
     * Every heart-rate value and the RMSSD sum of the minute, whatever their quality: a model's
     * features.
     */
    public double[] hrValues = new double[0];

    public int hrValuesCount;
    public double rmssdAllSum;
    public int rmssdAllCount;

    /** The minute's skin conductance samples (times epoch ms, µS), for {@link EdaFeatures}. */
    public long[] edaTimes = new long[0];

    public double[] edaValues = new double[0];
    public int edaCount;

    public MinuteAccumulator() {}

    public static long minuteOf(long epochMs) {
        return Math.floorDiv(epochMs, 60_000L) * 60_000L;
    }

    public boolean isEmpty() {
        return minuteStart == Long.MIN_VALUE;
    }

    public void reset(long minute) {
        minuteStart = minute;
        history = true;
        hrWeightedSum = 0;
        hrWeight = 0;
        hrCount = 0;
        rmssdSum = 0;
        rmssdCount = 0;
        steps = 0;
        met = Double.NaN;
        qualitySum = 0;
        qualityCount = 0;
        sleeping = false;
        skipped = 0;
        hrValuesCount = 0;
        rmssdAllSum = 0;
        rmssdAllCount = 0;
        edaCount = 0;
    }

    /** Adds a reading of this minute; returns false if it was skipped for low quality. */
    public boolean add(BiometricReading r, double minQuality) {
        history &= r.history();
        if (DataType.HEART_RATE.is(r.dataType())) {
            if (hrValues == null || hrValuesCount == hrValues.length) {
                hrValues =
                        java.util.Arrays.copyOf(
                                hrValues == null ? new double[0] : hrValues,
                                Math.max(16, hrValuesCount * 2));
            }
            hrValues[hrValuesCount++] = r.value();
        } else if (DataType.HRV.is(r.dataType())) {
            rmssdAllSum += r.value();
            rmssdAllCount++;
        }
        double weight = r.quality() * r.confidence();
        if (weight < minQuality) {
            skipped++;
            return false;
        }
        DataType type = DataType.of(r.dataType());
        if (type == null) {
            return true;
        }
        switch (type) {
            case HEART_RATE -> {
                hrWeightedSum += r.value() * weight;
                hrWeight += weight;
                hrCount++;
            }
            case HRV -> {
                rmssdSum += r.value();
                rmssdCount++;
            }
            case STEPS -> steps += r.value();
            case ACTIVITY -> met = Double.isNaN(met) ? r.value() : Math.max(met, r.value());
            case SLEEP_STAGE -> sleeping |= r.value() > 0;
            case EDA -> {
                if (edaTimes == null || edaCount == edaTimes.length) {
                    int size = Math.max(8, edaCount * 2);
                    edaTimes =
                            java.util.Arrays.copyOf(
                                    edaTimes == null ? new long[0] : edaTimes, size);
                    edaValues =
                            java.util.Arrays.copyOf(
                                    edaValues == null ? new double[0] : edaValues, size);
                }
                edaTimes[edaCount] = r.timestamp().toEpochMilli();
                edaValues[edaCount++] = r.value();
                return true;
            }
            default -> {
                return true;
            }
        }
        qualitySum += weight;
        qualityCount++;
        return true;
    }

    /**
     * The minute as {@link io.chakrai.models.ml.MinuteFeatureVector#NAMES} — computed as that class
     * computes them for training and the scoring job — or null without a heart-rate value.
     */
    public double[] modelVector() {
        if (hrValuesCount == 0) {
            return null;
        }
        double[] ms =
                io.chakrai.models.ml.MinuteFeatureVector.meanAndSd(
                        java.util.Arrays.copyOf(hrValues, hrValuesCount));
        return new double[] {
            ms[0], ms[1], rmssdAllCount == 0 ? Double.NaN : rmssdAllSum / rmssdAllCount
        };
    }

    /**
     * The tonic level of the minute's skin conductance (samples sorted by time first), NaN without
     * any.
     */
    double edaTonic() {
        if (edaCount == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[edaCount];
        for (int i = 0; i < edaCount; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> edaTimes[i]));
        long[] t = new long[edaCount];
        double[] v = new double[edaCount];
        for (int i = 0; i < edaCount; i++) {
            t[i] = edaTimes[order[i]];
            v[i] = edaValues[order[i]];
        }
        return EdaFeatures.of(t, v, 60_000).tonic();
    }

    public MinuteFeatures toFeatures(int userId) {
        return new MinuteFeatures(
                userId,
                minuteStart,
                hrWeight > 0 ? hrWeightedSum / hrWeight : Double.NaN,
                hrCount,
                rmssdCount > 0 ? rmssdSum / rmssdCount : Double.NaN,
                steps,
                met,
                qualityCount > 0 ? qualitySum / qualityCount : 0,
                sleeping,
                edaTonic());
    }
}
