package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeRun;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteFeatures;
import io.chakrai.models.stress.StressState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays the public Stress-Predict recordings (Empatica E4 wrist: 1 Hz heart rate, inter-beat
 * intervals, per-second stress labels) through the live detector's code ({@link StressState},
 * {@link EpisodeRun}), per person and in time order, and counts agreement with the labels second by
 * second.
 */
public final class StressPredictReplay {
    private StressPredictReplay() {}

    /**
     * One person's recording reduced to minutes: features, the labels of each second, which minutes
     * the learning curves score and which may be answered ({@link PersonalCurves}; never both).
     */
    public record Subject(
            int id,
            List<MinuteFeatures> minutes,
            List<int[]> secondLabels,
            boolean[] scored,
            boolean[] answerable) {
        /**
         * Scored: the second half of the session (a Stress-Predict session alternates); the first
         * half may be answered.
         */
        public Subject(int id, List<MinuteFeatures> minutes, List<int[]> secondLabels) {
            this(
                    id,
                    minutes,
                    secondLabels,
                    secondHalf(minutes.size()),
                    not(secondHalf(minutes.size())));
        }

        static boolean[] not(boolean[] b) {
            boolean[] out = new boolean[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = !b[i];
            }
            return out;
        }

        static boolean[] secondHalf(int n) {
            boolean[] scored = new boolean[n];
            for (int i = (int) Math.round(n * PersonalCurves.SPLIT); i < n; i++) {
                scored[i] = true;
            }
            return scored;
        }
    }

    /** Confusion counts in seconds, plus alarms raised during rest. */
    public record Counts(long tp, long fp, long tn, long fn, int falseAlarms, double restHours) {
        /**
         * One minute of a replay: {@code stress} and {@code rest} units of labelled time in it
         * (seconds, windows), all caught or all missed by whether the detector's episode was going;
         * an episode that began in a minute mostly of rest is a false alarm.
         */
        static Counts minute(
                boolean episodeGoing,
                boolean episodeBegan,
                long stress,
                long rest,
                double restSeconds) {
            return new Counts(
                    episodeGoing ? stress : 0,
                    episodeGoing ? rest : 0,
                    episodeGoing ? 0 : rest,
                    episodeGoing ? 0 : stress,
                    episodeBegan && stress < rest ? 1 : 0,
                    restSeconds / 3600.0);
        }

        public Counts plus(Counts o) {
            return new Counts(
                    tp + o.tp,
                    fp + o.fp,
                    tn + o.tn,
                    fn + o.fn,
                    falseAlarms + o.falseAlarms,
                    restHours + o.restHours);
        }

        public double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        public double specificity() {
            return tn + fp == 0 ? 0 : (double) tn / (tn + fp);
        }

        public double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        public double balancedAccuracy() {
            return (recall() + specificity()) / 2;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public double accuracy() {
            return (double) (tp + tn) / Math.max(1, tp + tn + fp + fn);
        }

        public double falseAlarmsPerRestHour() {
            return restHours == 0 ? 0 : falseAlarms / restHours;
        }
    }

    /**
     * Loads every labelled participant: HR and labels from the combined CSV, RMSSD per minute from
     * raw IBI.
     */
    public static List<Subject> load(Path dir) throws IOException {
        Map<Integer, TreeMap<Long, double[]>> seconds = HeartRateLabels.bySecond(dir);
        List<Subject> out = new ArrayList<>();
        for (var e : seconds.entrySet()) {
            Map<Long, Double> rmssd =
                    rmssdPerMinute(dir.resolve(String.format("raw/S%02d/IBI.csv", e.getKey())));
            Path edaFile = dir.resolve(String.format("raw/S%02d/EDA.csv", e.getKey()));
            Map<Long, Double> eda =
                    Files.exists(edaFile) ? EdaOnStressPredict.tonicPerMinute(edaFile) : Map.of();
            TreeMap<Long, List<double[]>> byMinute = new TreeMap<>();
            for (var s : e.getValue().entrySet()) {
                byMinute.computeIfAbsent(Math.floorDiv(s.getKey(), 60) * 60, k -> new ArrayList<>())
                        .add(s.getValue());
            }
            List<MinuteFeatures> minutes = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (var m : byMinute.entrySet()) {
                double hr =
                        m.getValue().stream().mapToDouble(v -> v[0]).average().orElse(Double.NaN);
                minutes.add(
                        new MinuteFeatures(
                                e.getKey(),
                                m.getKey() * 1000,
                                hr,
                                m.getValue().size(),
                                rmssd.getOrDefault(m.getKey(), Double.NaN),
                                0,
                                Double.NaN,
                                1.0,
                                false,
                                eda.getOrDefault(m.getKey() * 1000, Double.NaN)));
                labels.add(m.getValue().stream().mapToInt(v -> (int) v[1]).toArray());
            }
            out.add(new Subject(e.getKey(), minutes, labels));
        }
        return out;
    }

    /**
     * RMSSD (ms) of each minute from successive inter-beat intervals; minutes with fewer than 10
     * pairs are left out.
     */
    static Map<Long, Double> rmssdPerMinute(Path ibiFile) throws IOException {
        Map<Long, double[]> acc = new TreeMap<>();
        for (double[] beat : InterBeatIntervals.successiveBeats(ibiFile)) {
            long minute = (long) Math.floor(beat[0] / 60) * 60;
            double d = beat[1] - beat[2];
            double[] a = acc.computeIfAbsent(minute, k -> new double[2]);
            a[0] += d * d;
            a[1]++;
        }
        Map<Long, Double> out = new TreeMap<>();
        acc.forEach(
                (m, a) -> {
                    if (a[1] >= 10) {
                        out.put(m, Math.sqrt(a[0] / a[1]));
                    }
                });
        return out;
    }

    /**
     * Minute by minute, one person through the detector from a blank state: {episode going (its
     * onset or ongoing), episode began this minute}.
     */
    public static boolean[][] flags(Subject s, EpisodeThresholds t) {
        StressState state = new StressState();
        EpisodeRun run = new EpisodeRun();
        boolean[][] out = new boolean[s.minutes().size()][];
        for (int i = 0; i < out.length; i++) {
            EpisodeRun.Step step = run.next(state.evaluate(s.minutes().get(i), t), t);
            out[i] =
                    new boolean[] {
                        step == EpisodeRun.Step.ONSET || step == EpisodeRun.Step.ONGOING,
                        step == EpisodeRun.Step.ONSET
                    };
        }
        return out;
    }

    /** Runs one person through the detector from a blank state; returns second-level counts. */
    public static Counts replay(Subject s, EpisodeThresholds t) {
        boolean[][] flags = flags(s, t);
        Counts c = new Counts(0, 0, 0, 0, 0, 0);
        for (int i = 0; i < s.minutes().size(); i++) {
            int[] labels = s.secondLabels().get(i);
            long stress = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
            c =
                    c.plus(
                            Counts.minute(
                                    flags[i][0],
                                    flags[i][1],
                                    stress,
                                    labels.length - stress,
                                    labels.length - stress));
        }
        return c;
    }
}
