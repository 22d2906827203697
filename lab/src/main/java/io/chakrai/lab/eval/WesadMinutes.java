package io.chakrai.lab.eval;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.chakrai.models.stress.MinuteFeatures;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * WESAD's wrist windows as the stress job's minutes, for the personal learning curves ({@link
 * PersonalCurves}): each minute of a session holds the windows centred in it (60-s windows, a 5-s
 * step), its heart rate, RMSSD and tonic skin conductance their means — what the live job computes
 * from a watch's readings — and its labels one per second of the windows' steps (stress: the TSST).
 *
 * <p>Which minutes are scored: WESAD has one block of each condition per person (baseline, stress,
 * amusement, meditation twice), so a session cut in half leaves half the people with no stress to
 * score. Instead each block after the baseline is cut: its first half may be answered (but its last
 * minute, whose windows reach into the scored half), its second half is scored. The baseline (the
 * first twenty minutes, where the person's own baseline forms) is never scored, so its easy calm
 * minutes do not count; it may be answered. Meditation is rest.
 */
public final class WesadMinutes {
    static final int WINDOW_SECONDS = 5;
    static final String BASELINE = "1";
    static final String STRESS = "2";

    private WesadMinutes() {}

    public static List<StressPredictReplay.Subject> load(Path csv) throws IOException {
        // subject → minute → its windows' {hr, rmssd, scl, stress} and labels
        Map<String, TreeMap<Long, List<String[]>>> people = new TreeMap<>();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (Reader in = Files.newBufferedReader(csv);
                MappingIterator<Map<String, String>> rows =
                        new CsvMapper().readerFor(Map.class).with(schema).readValues(in)) {
            while (rows.hasNext()) {
                Map<String, String> r = rows.next();
                long minute = (long) Math.floor(Double.parseDouble(r.get("t_center_s")) / 60);
                people.computeIfAbsent(r.get("subject"), k -> new TreeMap<>())
                        .computeIfAbsent(minute, k -> new ArrayList<>())
                        .add(
                                new String[] {
                                    r.get("hr_mean"),
                                    r.get("rmssd"),
                                    r.get("scl_mean"),
                                    r.get("label")
                                });
            }
        }
        List<StressPredictReplay.Subject> out = new ArrayList<>();
        for (var person : people.entrySet()) {
            int id = Integer.parseInt(person.getKey().substring(1));
            List<MinuteFeatures> minutes = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            List<String> condition = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            for (var m : person.getValue().entrySet()) {
                List<String[]> w = m.getValue();
                minutes.add(
                        new MinuteFeatures(
                                id,
                                m.getKey() * 60_000L,
                                mean(w, 0),
                                w.size(),
                                mean(w, 1),
                                0,
                                Double.NaN,
                                1.0,
                                false,
                                mean(w, 2)));
                int[] seconds = new int[w.size() * WINDOW_SECONDS];
                for (int i = 0; i < seconds.length; i++) {
                    seconds[i] = STRESS.equals(w.get(i / WINDOW_SECONDS)[3]) ? 1 : 0;
                }
                labels.add(seconds);
                condition.add(majority(w));
                at.add(m.getKey());
            }
            boolean[] scored = scored(condition, at);
            out.add(
                    new StressPredictReplay.Subject(
                            id, minutes, labels, scored, answerable(scored)));
        }
        return out;
    }

    /**
     * The second half of each block of one condition (consecutive minutes, a gap ends a block),
     * except the baseline's.
     */
    static boolean[] scored(List<String> condition, List<Long> minute) {
        int n = condition.size();
        boolean[] scored = new boolean[n];
        int start = 0;
        for (int i = 1; i <= n; i++) {
            boolean ends =
                    i == n
                            || !condition.get(i).equals(condition.get(start))
                            || minute.get(i) > minute.get(i - 1) + 1;
            if (!ends) {
                continue;
            }
            if (!BASELINE.equals(condition.get(start))) {
                int from = start + (i - start) / 2;
                for (int j = from; j < i; j++) {
                    scored[j] = true;
                }
            }
            start = i;
        }
        return scored;
    }

    /**
     * The minutes not scored, less the one just before each scored stretch: a minute's 60-s windows
     * reach 30 s into the next, so its answer would speak of signal that is scored.
     */
    static boolean[] answerable(boolean[] scored) {
        boolean[] out = new boolean[scored.length];
        for (int i = 0; i < scored.length; i++) {
            out[i] = !scored[i] && (i + 1 == scored.length || !scored[i + 1]);
        }
        return out;
    }

    private static double mean(List<String[]> windows, int column) {
        return windows.stream()
                .mapToDouble(w -> Double.parseDouble(w[column]))
                .average()
                .orElse(Double.NaN);
    }

    private static String majority(List<String[]> windows) {
        Map<String, Integer> count = new TreeMap<>();
        windows.forEach(w -> count.merge(w[3], 1, Integer::sum));
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
