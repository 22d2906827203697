package io.chakrai.lab.ml;

import io.chakrai.models.ml.MinuteFeatureVector;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai simulate-minutes}: labelled per-minute features of simulated wearers — the
 * physiology the simulator streams ({@link SimulatedPerson}, a heart rate every 10 s, RMSSD each
 * minute), cut into minutes by {@link MinuteFeatureVector} as the stress job and the scoring job
 * cut them, labelled stress or rest by what the person was doing. Minutes of exercise and sleep are
 * left out: the stress job's gates never let a model judge those. A table for `train --dataset
 * CSV`; a model trained on it knows the simulator, not people.
 */
@Command(
        name = "simulate-minutes",
        mixinStandardHelpOptions = true,
        description =
                "Write labelled per-minute features (hr_mean, hr_std, rmssd) of simulated wearers as a CSV to train on.")
public final class SimulateMinutesCommand implements Callable<Integer> {
    @Option(
            names = "--people",
            defaultValue = "40",
            description = "simulated people (default: ${DEFAULT-VALUE})")
    int people;

    @Option(
            names = "--hours",
            defaultValue = "8",
            description = "hours of each (default: ${DEFAULT-VALUE})")
    int hours;

    @Option(
            names = "--first-seed",
            defaultValue = "5000",
            description =
                    "seeds first-seed.. (bench-stress's probes use "
                            + "1000..; default: ${DEFAULT-VALUE})")
    long firstSeed;

    @Option(names = "--out", defaultValue = "reports/simulated-minutes.csv")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int rows = 0;
        int stress = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            w.write(
                    "subject,t_center_s,label,"
                            + String.join(",", MinuteFeatureVector.NAMES)
                            + "\n");
            for (int i = 0; i < people; i++) {
                SimulatedPerson p = new SimulatedPerson(firstSeed + i, 0.25, t0);
                List<BiometricReading> minute = new ArrayList<>();
                Map<Activity, Integer> doing = new EnumMap<>(Activity.class);
                for (long s = 0; s < hours * 3_600L; s += 10) {
                    if (s % 60 == 0 && !minute.isEmpty()) {
                        Activity a =
                                doing.entrySet().stream()
                                        .max(Map.Entry.comparingByValue())
                                        .orElseThrow()
                                        .getKey();
                        Optional<double[]> v = MinuteFeatureVector.of(minute);
                        if (v.isPresent() && (a == Activity.STRESS || a == Activity.REST)) {
                            double[] x = v.get();
                            w.write(
                                    String.format(
                                            Locale.ROOT,
                                            "sim-%d,%d,%d,%.2f,%.3f,%s%n",
                                            firstSeed + i,
                                            s - 30,
                                            a == Activity.STRESS ? 1 : 0,
                                            x[0],
                                            x[1],
                                            Double.isNaN(x[2])
                                                    ? ""
                                                    : String.format(Locale.ROOT, "%.1f", x[2])));
                            rows++;
                            stress += a == Activity.STRESS ? 1 : 0;
                        }
                        minute.clear();
                        doing.clear();
                    }
                    for (SimulatedPerson.Sample x : p.step(t0.plusSeconds(s))) {
                        minute.add(
                                new BiometricReading(
                                        0,
                                        0,
                                        x.type().wireName(),
                                        x.value(),
                                        x.type().unit(),
                                        0.95,
                                        0.9,
                                        x.timestamp(),
                                        null));
                        if (x.type() == io.chakrai.models.readings.DataType.HEART_RATE) {
                            doing.merge(x.activity(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        System.out.printf(
                "wrote %s: %d minutes of %d people, %d of them stress%n",
                out, rows, people, stress);
        return 0;
    }
}
