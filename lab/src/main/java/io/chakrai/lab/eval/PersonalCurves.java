package io.chakrai.lab.eval;

import io.chakrai.models.stress.EpisodeRun;
import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import io.chakrai.models.stress.MinuteFeatures;
import io.chakrai.models.stress.PersonalModel;
import io.chakrai.models.stress.StressState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Learning curves of the personal stress model on Stress-Predict: each held-out person replayed
 * through the live detector's code ({@link StressState} with its {@link PersonalModel}, {@link
 * EpisodeRun}) minute by minute, answering questions as they come in the first half of their
 * session until they have given {@code k} answers (each learned at once), and scored on the second
 * half — the same minutes for every k, none of them answered. The population prior is fitted on the
 * other people only.
 *
 * <p>How questions come ({@link Asking}): {@code ASKED} — the product's way: "was this stress?" at
 * each episode the detector raises, and a random check-in ("how stressed are you right now?") with
 * probability {@link #CHECK_IN_RATE} in any other minute; {@code FIRST} — the person's first {@code
 * k} minutes, whatever they were (in Stress-Predict the first ten minutes are rest, so this teaches
 * only what calm looks like). The truth of a minute is the majority of its labelled seconds;
 * answers are truthful unless {@code wrongAnswers} &gt; 0.
 */
public final class PersonalCurves {
    /** Chance of a check-in in a minute without an episode, for {@link Asking#ASKED}. */
    static final double CHECK_IN_RATE = 0.25;

    public enum Asking {
        ASKED,
        FIRST
    }

    /**
     * One way of personalising: the prior's strength, and whether only the intercept is personal.
     */
    public record Variant(double strength, boolean biasOnly) {
        public String label() {
            return (biasOnly ? "threshold" : "weights") + " λ=" + strength;
        }
    }

    /**
     * A person's replay: its counts and, minute by minute, truth share, detection and whether it
     * was answered.
     */
    public record Replayed(
            StressPredictReplay.Counts counts,
            double[] stressShare,
            boolean[] detected,
            boolean[] answered,
            int answers) {
        StressReport.Person person(String id) {
            return new StressReport.Person(id, counts, stressShare, detected);
        }
    }

    private PersonalCurves() {}

    /**
     * The population's weights: a logistic regression on the judged minutes of {@code people} under
     * the rule, its intercept moved to equal class shares.
     */
    public static double[] population(
            List<StressPredictReplay.Subject> people, EpisodeThresholds t) {
        List<double[]> rows = new ArrayList<>();
        List<Boolean> ys = new ArrayList<>();
        for (StressPredictReplay.Subject s : people) {
            StressState state = new StressState();
            for (int i = 0; i < s.minutes().size(); i++) {
                MinuteFeatures f = s.minutes().get(i);
                MinuteEvaluation e = state.evaluate(f, t);
                if (Double.isFinite(e.hrZ()) && !e.active()) {
                    rows.add(state.lastFeatures);
                    ys.add(truth(s.secondLabels().get(i)));
                }
            }
        }
        double[] xs = new double[rows.size() * PersonalModel.DIM];
        boolean[] y = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, xs, i * PersonalModel.DIM, PersonalModel.DIM);
            y[i] = ys.get(i);
        }
        double[] w =
                PersonalModel.fit(
                        xs,
                        y,
                        rows.size(),
                        new PersonalModel.Prior(new double[PersonalModel.DIM], 1e-3, false));
        // as if stress and calm minutes were equally common, so p >= 0.5 weighs a missed episode
        // like a false alarm
        // (balanced accuracy's trade) rather than following the protocol's share of stress minutes
        long stress = ys.stream().filter(b -> b).count();
        w[0] += Math.log((double) (ys.size() - stress) / Math.max(1, stress));
        return w;
    }

    /**
     * Where a Stress-Predict session is cut: answers come from the minutes before, every k is
     * scored on the same minutes after.
     */
    public static final double SPLIT = 0.5;

    /**
     * One person from a blank state, answering in the minutes not scored (in time order, until
     * {@code k} answers are given), scored on the others ({@link
     * StressPredictReplay.Subject#scored}, the same minutes whatever k, never answered); {@code
     * wrongAnswers} of the answers (a share, drawn at random) are the opposite of the truth. With
     * {@code populationFromStart} the person has the population's model (the prior) from their
     * first minute, before any answer.
     */
    public static Replayed replay(
            StressPredictReplay.Subject s,
            EpisodeThresholds t,
            PersonalModel.Prior prior,
            int k,
            Asking asking,
            double wrongAnswers,
            long seed,
            boolean populationFromStart) {
        Random random = new Random(seed * 31 + s.id());
        StressState state = new StressState();
        if (populationFromStart) {
            state.personal = new PersonalModel();
            state.personal.w = prior.weights().clone();
        }
        EpisodeRun run = new EpisodeRun();
        int n = s.minutes().size();
        double[] share = new double[n];
        boolean[] detected = new boolean[n];
        boolean[] answered = new boolean[n];
        StressPredictReplay.Counts c = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        int answers = 0;
        for (int i = 0; i < n; i++) {
            MinuteFeatures f = s.minutes().get(i);
            MinuteEvaluation e = state.evaluate(f, t);
            EpisodeRun.Step step = run.next(e, t);
            boolean going = step == EpisodeRun.Step.ONSET || step == EpisodeRun.Step.ONGOING;
            boolean onset = step == EpisodeRun.Step.ONSET;
            int[] labels = s.secondLabels().get(i);
            long stress = Arrays.stream(labels).filter(l -> l == 1).count();
            share[i] = labels.length == 0 ? 0 : (double) stress / labels.length;
            detected[i] = going;
            if (s.scored()[i]) {
                c =
                        c.plus(
                                StressPredictReplay.Counts.minute(
                                        going,
                                        onset,
                                        stress,
                                        labels.length - stress,
                                        labels.length - stress));
                continue;
            }
            boolean judged = Double.isFinite(e.hrZ()) && !e.active();
            boolean asked =
                    answers < k
                            && judged
                            && s.answerable()[i]
                            && switch (asking) {
                                case FIRST -> true;
                                case ASKED -> onset || random.nextDouble() < CHECK_IN_RATE;
                            };
            if (asked) {
                boolean answer = truth(labels) ^ (random.nextDouble() < wrongAnswers);
                if (state.personal == null) {
                    state.personal = new PersonalModel();
                }
                state.personal.learn(state.lastFeatures, answer, e.stress(), prior);
                answered[i] = true;
                answers++;
            }
        }
        return new Replayed(c, share, detected, answered, answers);
    }

    /**
     * An upper bound, not a result: the person's own model fitted on every minute of their session
     * (all labels, none held out) and scored on the same later minutes as {@link #replay} — through
     * the episode rule ({@code episodes}) or minute by minute. What no number of answers could beat
     * with these signals.
     */
    public static StressPredictReplay.Counts ceiling(
            StressPredictReplay.Subject s, EpisodeThresholds t, boolean episodes) {
        double[] w = population(List.of(s), t);
        StressState state = new StressState();
        state.personal = new PersonalModel();
        state.personal.w = w;
        EpisodeRun run = new EpisodeRun();
        StressPredictReplay.Counts c = new StressPredictReplay.Counts(0, 0, 0, 0, 0, 0);
        for (int i = 0; i < s.minutes().size(); i++) {
            MinuteEvaluation e = state.evaluate(s.minutes().get(i), t);
            EpisodeRun.Step step = run.next(e, t);
            if (!s.scored()[i]) {
                continue;
            }
            boolean going =
                    episodes
                            ? step == EpisodeRun.Step.ONSET || step == EpisodeRun.Step.ONGOING
                            : e.stress();
            boolean onset = episodes && step == EpisodeRun.Step.ONSET;
            int[] labels = s.secondLabels().get(i);
            long stress = Arrays.stream(labels).filter(l -> l == 1).count();
            c =
                    c.plus(
                            StressPredictReplay.Counts.minute(
                                    going,
                                    onset,
                                    stress,
                                    labels.length - stress,
                                    labels.length - stress));
        }
        return c;
    }

    /** A minute is a stress minute when most of its labelled seconds are. */
    static boolean truth(int[] labels) {
        return 2 * Arrays.stream(labels).filter(l -> l == 1).count() > labels.length;
    }
}
