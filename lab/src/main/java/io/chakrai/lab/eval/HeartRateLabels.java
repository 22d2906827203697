package io.chakrai.lab.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stress-Predict's combined {@code hr_resp_labels_all.csv}: per participant and second, heart rate
 * and the stress label. Rows without a heart rate are left out.
 */
public final class HeartRateLabels {
    private HeartRateLabels() {}

    /** Participant → (Unix second → {heart rate bpm, label 0/1}), both in order. */
    public static Map<Integer, TreeMap<Long, double[]>> bySecond(Path dir) throws IOException {
        Map<Integer, TreeMap<Long, double[]>> seconds = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("hr_resp_labels_all.csv"))) {
            String line = in.readLine();
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",", -1);
                if (f.length < 5 || f[1].isBlank()) {
                    continue;
                }
                seconds.computeIfAbsent(Integer.parseInt(f[0]), k -> new TreeMap<>())
                        .put(
                                Long.parseLong(f[3]),
                                new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[4])});
            }
        }
        return seconds;
    }
}
