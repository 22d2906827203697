package io.chakrai.models.stress;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One person's own stress model, learned from their answers ("was this stress?", a 0–10 check-in):
 * a logistic regression on the minute's signals against their baseline ({@link #features}), fitted
 * to their labelled minutes as a maximum a posteriori estimate around a population {@link Prior} —
 * with a few answers it is nearly the population model, with many it is theirs. Before the first
 * answer it does not exist and the rule judges the minute, so a person who never answers meets
 * exactly the detector everybody else has.
 *
 * <p>Bounded: the newest {@link #CAPACITY} labelled minutes are kept (a ring) and the fit is redone
 * from them on each answer (a handful of Newton steps on {@link #DIM} weights). A plain class with
 * public fields so Flink keeps it in keyed state as a POJO inside {@link StressState}.
 */
public class PersonalModel {
    /**
     * Weights: intercept, the rule's verdict, heart-rate z, log HRV ratio, no HRV this minute,
     * skin-conductance z.
     */
    public static final int DIM = 6;

    /** Labelled minutes kept per person. */
    public static final int CAPACITY = 64;

    /**
     * The population's weights: a logistic regression on the 34 Stress-Predict people's minutes
     * under the live rule, its intercept moved to equal class shares ({@code ./chakrai
     * evaluate-personal} prints them; a lab test checks they are still what the data gives).
     */
    public static final double[] POPULATION = {-0.649, 0.386, 0.124, -0.089, -0.167, 0.138};

    /**
     * Where a person's model starts and how strongly it is held there.
     *
     * @param weights the population's weights ({@link #DIM})
     * @param strength the Gaussian prior's precision: the pull toward {@code weights}, in units of
     *     one answer
     * @param biasOnly learn only the person's intercept (a personal threshold), the slopes stay the
     *     population's
     */
    public record Prior(double[] weights, double strength, boolean biasOnly)
            implements Serializable {
        public Prior {
            if (weights.length != DIM || !(strength > 0)) {
                throw new IllegalArgumentException(
                        "a prior needs " + DIM + " weights and a positive strength");
            }
            weights = weights.clone();
        }
    }

    /**
     * The live job's prior: all weights personal, held with the strength of 16 answers — the
     * variant the learning curves chose on the other people for nearly everyone (docs/features.md).
     */
    public static final Prior LIVE = new Prior(POPULATION, 16, false);

    /** Labelled minutes, {@link #DIM} values each, oldest overwritten first. */
    public double[] xs = new double[0];

    public boolean[] ys = new boolean[0];

    /** Answers received (may exceed {@link #CAPACITY}). */
    public int count;

    /** The fitted weights (null before the first answer). */
    public double[] w;

    /** Answers the detector agreed with when it judged the minute (before learning from it). */
    public int agreed;

    public PersonalModel() {}

    /**
     * The signals a minute is judged on: the rule's verdict (so a person's model starts from what
     * the rule says and learns where they differ) and the signals relative to the person's
     * baseline; NaN (not measured) becomes 0.
     */
    public static double[] features(boolean rule, double hrZ, double hrvRatio, double edaZ) {
        boolean hrv = Double.isFinite(hrvRatio) && hrvRatio > 0;
        return new double[] {
            1,
            rule ? 1 : 0,
            Double.isFinite(hrZ) ? clamp(hrZ, -4, 8) : 0,
            hrv ? clamp(Math.log(hrvRatio), -2, 2) : 0,
            hrv ? 0 : 1,
            Double.isFinite(edaZ) ? clamp(edaZ, -4, 8) : 0
        };
    }

    public boolean ready() {
        return w != null;
    }

    public int labels() {
        return Math.min(count, CAPACITY);
    }

    /** The person's probability of stress for a minute's {@link #features}. */
    public double probability(double[] x) {
        return sigmoid(dot(w, x));
    }

    /**
     * Learns one answer: {@code stress} for the minute with features {@code x}; {@code
     * judgedStress} is what the detector said of it (for the agreement the person is shown).
     */
    public void learn(double[] x, boolean stress, boolean judgedStress, Prior prior) {
        if (x.length != DIM) {
            throw new IllegalArgumentException("a minute has " + DIM + " features");
        }
        int slot = count % CAPACITY;
        if (xs.length < (slot + 1) * DIM) {
            xs = Arrays.copyOf(xs, Math.min(CAPACITY, Math.max(8, 2 * ys.length)) * DIM);
            ys = Arrays.copyOf(ys, xs.length / DIM);
        }
        System.arraycopy(x, 0, xs, slot * DIM, DIM);
        ys[slot] = stress;
        count++;
        agreed += stress == judgedStress ? 1 : 0;
        w = fit(xs, ys, labels(), prior);
    }

    /**
     * The maximum a posteriori weights for the first {@code n} rows: log loss plus {@code
     * strength/2 · |w − prior|²} (only the intercept moves when {@code biasOnly}), by Newton's
     * method from the prior.
     */
    public static double[] fit(double[] xs, boolean[] ys, int n, Prior prior) {
        double[] w = prior.weights().clone();
        int dims = prior.biasOnly() ? 1 : DIM;
        for (int iter = 0; iter < 25; iter++) {
            double[] g = new double[dims];
            double[][] h = new double[dims][dims];
            for (int j = 0; j < dims; j++) {
                g[j] = prior.strength() * (w[j] - prior.weights()[j]);
                h[j][j] = prior.strength();
            }
            for (int i = 0; i < n; i++) {
                double p = sigmoid(dot(w, xs, i * DIM));
                double r = p - (ys[i] ? 1 : 0);
                double c = Math.max(1e-6, p * (1 - p));
                for (int j = 0; j < dims; j++) {
                    double xj = xs[i * DIM + j];
                    g[j] += r * xj;
                    for (int l = 0; l < dims; l++) {
                        h[j][l] += c * xj * xs[i * DIM + l];
                    }
                }
            }
            double[] step = solve(h, g);
            // damped: halve the step until the objective does not grow (a full Newton step can
            // overshoot on
            // separable answers)
            double before = objective(w, xs, ys, n, prior);
            double[] next = w.clone();
            double scale = 1;
            for (int half = 0; half < 30; half++) {
                for (int j = 0; j < dims; j++) {
                    next[j] = w[j] - scale * step[j];
                }
                if (objective(next, xs, ys, n, prior) <= before) {
                    break;
                }
                scale /= 2;
            }
            double size = 0;
            for (int j = 0; j < dims; j++) {
                size = Math.max(size, Math.abs(next[j] - w[j]));
            }
            w = next;
            if (size < 1e-6) {
                break;
            }
        }
        return w;
    }

    /** Log loss of the first {@code n} rows plus the prior's penalty. */
    static double objective(double[] w, double[] xs, boolean[] ys, int n, Prior prior) {
        double o = 0;
        for (int j = 0; j < DIM; j++) {
            double d = w[j] - prior.weights()[j];
            o += prior.strength() / 2 * d * d;
        }
        for (int i = 0; i < n; i++) {
            double z = dot(w, xs, i * DIM);
            // log(1 + e^-z) for a stress answer, log(1 + e^z) for a calm one, without overflow
            double m = ys[i] ? -z : z;
            o += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        }
        return o;
    }

    /**
     * Solves {@code a·x = b} by Gaussian elimination with partial pivoting ({@code a} is positive
     * definite here).
     */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    private static double dot(double[] w, double[] x) {
        return dot(w, x, 0);
    }

    private static double dot(double[] w, double[] x, int offset) {
        double s = 0;
        for (int j = 0; j < DIM; j++) {
            s += w[j] * x[offset + j];
        }
        return s;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
