package io.chakrai.lab.ml;

import io.chakrai.lab.eval.HeartRateLabels;
import io.chakrai.lab.eval.InterBeatIntervals;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.MinuteFeatureVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Stress-Predict wrist recordings as 60-s windows (30-s step) with the HR/HRV features WESAD's
 * wrist table has ({@code hr_mean, hr_std, rmssd, sdnn, pnn50}), so a WESAD-trained model can be
 * tested on them. Windows with 20–80 % stress seconds are left out (as in the data's README
 * anchor); HRV needs 10 successive beats in the window, else it is missing.
 */
public final class StressPredictWindows {
    public static final List<String> FEATURES =
            List.of("hr_mean", "hr_std", "rmssd", "sdnn", "pnn50");

    private StressPredictWindows() {}

    public static FeatureTable load(Path dir) throws IOException {
        Map<Integer, TreeMap<Long, double[]>> seconds = HeartRateLabels.bySecond(dir);
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        List<String> ss = new ArrayList<>();
        for (var e : seconds.entrySet()) {
            List<double[]> beats =
                    InterBeatIntervals.successiveBeats(
                            dir.resolve(String.format("raw/S%02d/IBI.csv", e.getKey())));
            long first = e.getValue().firstKey();
            long last = e.getValue().lastKey();
            for (long t = first; t + 60 <= last + 1; t += 30) {
                var window = e.getValue().subMap(t, t + 60);
                if (window.size() < 45) {
                    continue;
                }
                double stressShare =
                        window.values().stream().mapToDouble(v -> v[1]).average().orElse(0);
                if (stressShare > 0.2 && stressShare < 0.8) {
                    continue;
                }
                double[] hr = window.values().stream().mapToDouble(v -> v[0]).toArray();
                double[] meanSd = MinuteFeatureVector.meanAndSd(hr);
                double[] hrv = hrv(beats, t, t + 60);
                xs.add(new double[] {meanSd[0], meanSd[1], hrv[0], hrv[1], hrv[2]});
                ys.add(stressShare >= 0.8 ? 1 : 0);
                ss.add("S" + e.getKey());
            }
        }
        return new FeatureTable(
                FEATURES,
                xs.toArray(double[][]::new),
                ys.stream().mapToInt(Integer::intValue).toArray(),
                ss.toArray(String[]::new),
                FeatureTable.sha256(Files.readAllBytes(dir.resolve("hr_resp_labels_all.csv"))));
    }

    /** {rmssd, sdnn, pnn50} of the successive beats in [from, to), NaN with fewer than 10. */
    private static double[] hrv(List<double[]> beats, long from, long to) {
        List<double[]> in = beats.stream().filter(b -> b[0] >= from && b[0] < to).toList();
        if (in.size() < 10) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double sq = 0;
        int over50 = 0;
        double mean = in.stream().mapToDouble(b -> b[1]).average().orElse(0);
        double var = 0;
        for (double[] b : in) {
            double d = b[1] - b[2];
            sq += d * d;
            over50 += Math.abs(d) > 50 ? 1 : 0;
            var += (b[1] - mean) * (b[1] - mean);
        }
        return new double[] {
            Math.sqrt(sq / in.size()), Math.sqrt(var / in.size()), 100.0 * over50 / in.size()
        };
    }
}
