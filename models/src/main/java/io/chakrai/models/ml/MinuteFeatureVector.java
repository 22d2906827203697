package io.chakrai.models.ml;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The features a per-minute model is trained on and scored with, computed by one function wherever
 * they are needed — the model-scoring job on a person's minute of readings, and the training /
 * evaluation windows built from recordings — so a model never sees numbers made one way in training
 * and another in production: {@code hr_mean} and {@code hr_std} (bpm; the population standard
 * deviation of the heart-rate samples) and {@code rmssd} (ms; the mean of the RMSSD values, NaN
 * without any).
 */
public final class MinuteFeatureVector {
    public static final List<String> NAMES = List.of("hr_mean", "hr_std", "rmssd");

    private MinuteFeatureVector() {}

    /** {mean, population SD} of heart-rate samples (bpm); {NaN, NaN} for none. */
    public static double[] meanAndSd(double[] heartRate) {
        if (heartRate.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(heartRate).average().orElseThrow();
        double sd =
                Math.sqrt(
                        Arrays.stream(heartRate)
                                .map(v -> (v - mean) * (v - mean))
                                .average()
                                .orElseThrow());
        return new double[] {mean, sd};
    }

    /**
     * The vector of {@link #NAMES} for one minute of a person's readings; empty without a
     * heart-rate reading.
     */
    public static Optional<double[]> of(Iterable<BiometricReading> minute) {
        List<Double> hr = new ArrayList<>();
        double rmssdSum = 0;
        int rmssdN = 0;
        for (BiometricReading r : minute) {
            if (DataType.HEART_RATE.is(r.dataType())) {
                hr.add(r.value());
            } else if (DataType.HRV.is(r.dataType())) {
                rmssdSum += r.value();
                rmssdN++;
            }
        }
        if (hr.isEmpty()) {
            return Optional.empty();
        }
        double[] ms = meanAndSd(hr.stream().mapToDouble(Double::doubleValue).toArray());
        return Optional.of(
                new double[] {ms[0], ms[1], rmssdN == 0 ? Double.NaN : rmssdSum / rmssdN});
    }
}
