package io.chakrai.lab.eval;

import io.chakrai.lab.ml.Metrics;
import io.chakrai.models.stress.EdaFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Skin conductance on Stress-Predict's raw Empatica E4 files ({@code raw/SXX/EDA.csv}: start time,
 * 4 Hz, µS), cut into minutes of the protocol's per-second labels ({@code hr_resp_labels_all.csv};
 * a minute is labelled when at least 50 of its seconds are, by their majority), each minute's
 * {@link EdaFeatures}; then per person how well each feature alone tells their stress minutes from
 * their rest minutes (ROC AUC within the person, so an offset between people does not count — the
 * personal-baseline view).
 */
public final class EdaOnStressPredict {
    private EdaOnStressPredict() {}

    /** One person's minutes: labels and features. */
    public record Person(
            String id,
            int[] stress,
            double[] heartRate,
            double[] tonic,
            double[] scrRate,
            double[] scrAmplitude) {
        public double auc(double[] feature) {
            return Metrics.auc(stress, feature);
        }

        public boolean bothClasses() {
            int s = 0;
            for (int v : stress) {
                s += v;
            }
            return s > 0 && s < stress.length;
        }
    }

    /**
     * An E4 signal file's samples: first line the start (Unix s), second the rate (Hz), then one
     * value a line.
     */
    public record Samples(long[] times, double[] values) {}

    public static Samples samples(Path e4File) throws IOException {
        List<String> raw = Files.readAllLines(e4File);
        double start = Double.parseDouble(raw.get(0).split(",")[0]);
        double hz = Double.parseDouble(raw.get(1).split(",")[0]);
        int n = raw.size() - 2;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.round((start + i / hz) * 1000);
            v[i] = Double.parseDouble(raw.get(i + 2).split(",")[0]);
        }
        return new Samples(t, v);
    }

    /** One wall-clock minute of samples: its features and how many samples it had. */
    public record Minute(EdaFeatures features, int samples) {}

    /**
     * The samples cut into wall-clock minutes (epoch ms of each start), each minute's {@link
     * EdaFeatures}.
     */
    public static TreeMap<Long, Minute> perMinute(Samples s) {
        TreeMap<Long, Minute> out = new TreeMap<>();
        int from = 0;
        while (from < s.times().length) {
            long minute = Math.floorDiv(s.times()[from], 60_000L) * 60_000L;
            int to = from;
            while (to < s.times().length && s.times()[to] < minute + 60_000L) {
                to++;
            }
            out.put(
                    minute,
                    new Minute(
                            EdaFeatures.of(
                                    Arrays.copyOfRange(s.times(), from, to),
                                    Arrays.copyOfRange(s.values(), from, to),
                                    60_000),
                            to - from));
            from = to;
        }
        return out;
    }

    /**
     * Each minute's (epoch ms of its start) skin-conductance tonic level, as the live job computes
     * it.
     */
    public static Map<Long, Double> tonicPerMinute(Path edaFile) throws IOException {
        Map<Long, Double> out = new HashMap<>();
        perMinute(samples(edaFile)).forEach((minute, m) -> out.put(minute, m.features().tonic()));
        return out;
    }

    public static List<Person> read(Path dataDir) throws IOException {
        Map<Integer, TreeMap<Long, Integer>> labels = new HashMap<>();
        Map<Integer, Map<Long, Double>> hr = new HashMap<>();
        List<String> lines = Files.readAllLines(dataDir.resolve("hr_resp_labels_all.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            labels.computeIfAbsent(Integer.parseInt(f[0]), k -> new TreeMap<>())
                    .put(Long.parseLong(f[3]), Integer.parseInt(f[4].trim()));
            hr.computeIfAbsent(Integer.parseInt(f[0]), k -> new HashMap<>())
                    .put(
                            Long.parseLong(f[3]),
                            f[1].isBlank() ? Double.NaN : Double.parseDouble(f[1]));
        }
        List<Person> people = new ArrayList<>();
        for (var e : new TreeMap<>(labels).entrySet()) {
            Path eda =
                    dataDir.resolve("raw")
                            .resolve(String.format("S%02d", e.getKey()))
                            .resolve("EDA.csv");
            if (!Files.exists(eda)) {
                continue;
            }
            TreeMap<Long, Minute> minutes = perMinute(samples(eda));
            TreeMap<Long, Integer> secs = e.getValue();
            long first = secs.firstKey() / 60 * 60;
            List<Integer> minuteLabels = new ArrayList<>();
            List<Double> minuteHr = new ArrayList<>();
            Map<Long, Double> hrOf = hr.get(e.getKey());
            List<EdaFeatures> features = new ArrayList<>();
            for (long m = first; m <= secs.lastKey(); m += 60) {
                var in = secs.subMap(m, m + 60);
                Minute skin = minutes.get(m * 1000);
                if (in.size() < 50 || skin == null || skin.samples() < 30) {
                    continue;
                }
                int stress = (int) in.values().stream().filter(x -> x == 1).count();
                features.add(skin.features());
                minuteLabels.add(stress * 2 > in.size() ? 1 : 0);
                minuteHr.add(
                        in.keySet().stream()
                                .mapToDouble(hrOf::get)
                                .filter(Double::isFinite)
                                .average()
                                .orElse(Double.NaN));
            }
            int n = features.size();
            int[] y = new int[n];
            double[] heart = new double[n];
            double[] tonic = new double[n];
            double[] rate = new double[n];
            double[] amp = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = minuteLabels.get(i);
                heart[i] = minuteHr.get(i);
                tonic[i] = features.get(i).tonic();
                rate[i] = features.get(i).scrPerMinute();
                amp[i] = features.get(i).scrAmplitude();
            }
            people.add(
                    new Person(
                            "S" + String.format("%02d", e.getKey()), y, heart, tonic, rate, amp));
        }
        return people;
    }

    public static void main(String[] args) throws IOException {
        List<Person> people =
                read(Path.of(args.length > 0 ? args[0] : "../shared/data/stress-predict"));
        double[] sums = new double[4];
        int n = 0;
        for (Person p : people) {
            if (!p.bothClasses()) {
                continue;
            }
            double[] a = {
                p.auc(p.heartRate()), p.auc(p.tonic()), p.auc(p.scrRate()), p.auc(p.scrAmplitude())
            };
            System.out.printf(
                    "%s %3d minutes: AUC heart rate %.3f, EDA tonic %.3f, SCR rate %.3f, SCR amplitude %.3f%n",
                    p.id(), p.stress().length, a[0], a[1], a[2], a[3]);
            for (int k = 0; k < 4; k++) {
                sums[k] += a[k];
            }
            n++;
        }
        System.out.printf(
                "mean over %d people, within-person ROC AUC of stress vs rest minutes: heart rate %.3f, EDA tonic %.3f, "
                        + "SCR rate %.3f, SCR amplitude %.3f%n",
                n, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n);
    }
}
