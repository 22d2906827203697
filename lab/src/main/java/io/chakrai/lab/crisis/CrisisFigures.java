package io.chakrai.lab.crisis;

import io.chakrai.models.groups.CrisisDetector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * How a detector does on labelled texts, in the units the labels allow. The C-SSRS labels are a
 * person's, not a post's: a person rated at risk is found when at least one of their posts is held
 * (recall over people); a person rated Supportive or Indicator wrote no post that needs a human, so
 * each of their posts is a true negative (false alarms over posts, and over people). GoEmotions
 * comments and CounselChat questions are negatives a post each. Every rate comes with a 95 %
 * bootstrap interval that resamples people (or comments, or questions), 1,000 times, seeded.
 */
public final class CrisisFigures {
    private CrisisFigures() {}

    /** A text and what the detector said of it. */
    public record Scored(CrisisText text, boolean flagged, double probability) {}

    /** {@code hits} of {@code total}, with its interval. */
    public record Rate(int hits, int total, double low, double high) {
        public double value() {
            return total == 0 ? Double.NaN : (double) hits / total;
        }

        public String show() {
            return total == 0
                    ? "–"
                    : String.format(
                            Locale.ROOT,
                            "%.3f (%d/%d, %.3f–%.3f)",
                            value(),
                            hits,
                            total,
                            low,
                            high);
        }
    }

    public static List<Scored> score(CrisisDetector d, List<CrisisText> texts) {
        List<Scored> out = new ArrayList<>(texts.size());
        for (CrisisText t : texts) {
            CrisisDetector.Result r = d.assess(t.text(), List.of(), 0);
            out.add(new Scored(t, r.flagged(), r.probability()));
        }
        return out;
    }

    /**
     * Share of the at-risk people among {@code which} texts with at least one of those texts held.
     */
    public static Rate peopleFound(List<Scored> scored, Predicate<CrisisText> which) {
        Map<String, boolean[]> people = new LinkedHashMap<>();
        for (Scored s : scored) {
            if (s.text().label() == 1 && which.test(s.text())) {
                people.computeIfAbsent(s.text().group(), g -> new boolean[1])[0] |= s.flagged();
            }
        }
        List<Boolean> outcomes = people.values().stream().map(b -> b[0]).toList();
        return rate(outcomes.stream().map(List::of).toList());
    }

    /** Share of the negative texts among {@code which} that were held, resampled by group. */
    public static Rate textsHeld(List<Scored> scored, Predicate<CrisisText> which) {
        Map<String, List<Boolean>> groups = new LinkedHashMap<>();
        for (Scored s : scored) {
            if (s.text().label() == 0 && which.test(s.text())) {
                groups.computeIfAbsent(
                                s.text().source() + "|" + s.text().group(), g -> new ArrayList<>())
                        .add(s.flagged());
            }
        }
        return rate(new ArrayList<>(groups.values()));
    }

    /** Share of the people not at risk among {@code which} texts with at least one text held. */
    public static Rate peopleHeld(List<Scored> scored, Predicate<CrisisText> which) {
        Map<String, boolean[]> people = new LinkedHashMap<>();
        for (Scored s : scored) {
            if (s.text().label() == 0 && which.test(s.text())) {
                people.computeIfAbsent(s.text().group(), g -> new boolean[1])[0] |= s.flagged();
            }
        }
        return rate(people.values().stream().map(b -> List.of(b[0])).toList());
    }

    /**
     * Groups of outcomes: the rate over all outcomes, and its interval from resampling whole
     * groups.
     */
    public static Rate rate(List<List<Boolean>> groups) {
        int hits = 0;
        int total = 0;
        for (List<Boolean> g : groups) {
            for (boolean b : g) {
                hits += b ? 1 : 0;
                total++;
            }
        }
        if (total == 0) {
            return new Rate(0, 0, Double.NaN, Double.NaN);
        }
        Random rnd = new Random(20261206);
        double[] draws = new double[1_000];
        for (int k = 0; k < draws.length; k++) {
            int h = 0;
            int n = 0;
            for (int i = 0; i < groups.size(); i++) {
                List<Boolean> g = groups.get(rnd.nextInt(groups.size()));
                for (boolean b : g) {
                    h += b ? 1 : 0;
                    n++;
                }
            }
            draws[k] = n == 0 ? 0 : (double) h / n;
        }
        java.util.Arrays.sort(draws);
        return new Rate(hits, total, draws[24], draws[974]);
    }
}
