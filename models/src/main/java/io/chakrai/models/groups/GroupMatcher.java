package io.chakrai.models.groups;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Scores how well a person fits an open group. Peer groups work best when members are alike, so the
 * score rewards likeness on three parts, each in [0, 1] and explained:
 *
 * <ul>
 *   <li><b>goals</b> (weight 0.5): for each of the person's goals the closest of the group's, by
 *       sentence embeddings ("sleep better" is close to "fall asleep without racing thoughts"),
 *       averaged; cosine 0.2 (unrelated) to 0.8 (same meaning) is mapped onto 0..1;
 *   <li><b>session type</b> (0.25): 1 for the same kind of group, 0 otherwise;
 *   <li><b>current state</b> (0.25): 1 − |person's risk score − members' mean| / 50 (risk scores
 *       0–100), 0.5 when either is unknown.
 * </ul>
 *
 * A group is offered when its score is at least {@link #MIN_SCORE}; else a new group is formed.
 */
public final class GroupMatcher {
    public static final double W_GOALS = 0.5;
    public static final double W_TYPE = 0.25;
    public static final double W_STATE = 0.25;
    public static final double MIN_SCORE = 0.6;

    /**
     * The person looking for a group. {@code risk} is their latest overall risk score (0–100), or
     * null.
     */
    public record Seeker(SessionType type, List<String> goals, Double risk) {}

    /**
     * An open group with seats: its goals and its current members' mean risk score (null if
     * unknown).
     */
    public record Candidate(
            int groupId,
            SessionType type,
            List<String> goals,
            Double meanRisk,
            int members,
            int seats) {}

    /** A scored candidate with each part of its score. */
    public record Match(Candidate group, double score, Map<String, Object> explanation) {}

    private final Function<String, float[]> embed;

    /** Goal likeness from sentence embeddings ({@code embed} may cache). */
    public GroupMatcher(Function<String, float[]> embed) {
        this.embed = embed;
    }

    /**
     * Candidates best first (ties: the fuller group, so groups fill up rather than spread thin).
     */
    public List<Match> rank(Seeker seeker, List<Candidate> candidates) {
        List<Match> out = new ArrayList<>();
        for (Candidate c : candidates) {
            out.add(score(seeker, c));
        }
        out.sort(
                Comparator.comparingDouble(Match::score)
                        .reversed()
                        .thenComparing(m -> -m.group().members()));
        return out;
    }

    public Match score(Seeker s, Candidate c) {
        double goals = goalSimilarity(s.goals(), c.goals());
        double type = s.type() == c.type() ? 1 : 0;
        double state =
                s.risk() == null || c.meanRisk() == null
                        ? 0.5
                        : Math.max(0, 1 - Math.abs(s.risk() - c.meanRisk()) / 50);
        double score = round(W_GOALS * goals + W_TYPE * type + W_STATE * state);
        Map<String, Object> why = new LinkedHashMap<>();
        why.put(
                "goal_similarity",
                part(goals, W_GOALS, "closest group goal per goal of yours, by meaning"));
        why.put(
                "session_type",
                part(
                        type,
                        W_TYPE,
                        type == 1
                                ? "same kind of group"
                                : "a different kind of group (" + c.type().wire() + ")"));
        why.put(
                "current_state",
                part(
                        state,
                        W_STATE,
                        s.risk() == null || c.meanRisk() == null
                                ? "not known for you or the group yet"
                                : "how close your current risk is to the members' average"));
        return new Match(c, score, why);
    }

    private static Map<String, Object> part(double value, double weight, String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", round(value));
        m.put("weight", weight);
        m.put("explains", what);
        return m;
    }

    double goalSimilarity(List<String> mine, List<String> theirs) {
        if (mine.isEmpty() || theirs.isEmpty()) {
            return 0.5;
        }
        List<float[]> group =
                theirs.stream().map(g -> embed.apply(g.toLowerCase(Locale.ROOT))).toList();
        double sum = 0;
        for (String g : mine) {
            float[] v = embed.apply(g.toLowerCase(Locale.ROOT));
            double best = 0;
            for (float[] w : group) {
                best = Math.max(best, SentenceEmbedder.cosine(v, w));
            }
            sum += Math.max(0, Math.min(1, (best - 0.2) / 0.6));
        }
        return sum / mine.size();
    }

    /**
     * Word overlap: a stand-in for embeddings where none are loaded (tests of other parts, tools).
     */
    public static Function<String, float[]> bagOfWords(int dims) {
        return s -> {
            float[] v = new float[dims];
            Set<String> seen = new HashSet<>();
            for (String w : s.toLowerCase(Locale.ROOT).split("\\W+")) {
                if (w.length() > 2 && seen.add(w)) {
                    v[Math.floorMod(w.hashCode(), dims)] += 1;
                }
            }
            return v;
        };
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
