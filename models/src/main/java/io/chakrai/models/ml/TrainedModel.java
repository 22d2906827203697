package io.chakrai.models.ml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import smile.base.cart.SplitRule;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;

/**
 * A trained stress classifier: the Smile model, the features it expects (in order), the imputation
 * and scaling learned from its training data, and an optional Platt calibration so that a
 * probability of 0.8 means stress about 8 times in 10. Serialisable: the registry stores exactly
 * these bytes, and the API and the Flink jobs load the same ones.
 */
public final class TrainedModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String LABEL = "stress";

    private final ModelKind kind;
    private final List<String> features;
    private final double[] means;
    private final double[] sds;
    private final Serializable model;
    private final double[] importance;
    private LogisticRegression calibration;

    /**
     * Trained on rows z-scored against each person's running statistics: score rows the same way.
     */
    private boolean perPersonRunning;

    /** What it was trained with (null for a model saved before the search existed). */
    private HyperParameters settings;

    /** … against their first this-many rows only (0: all their earlier rows). */
    private int baselineRows;

    private TrainedModel(
            ModelKind kind,
            List<String> features,
            double[] means,
            double[] sds,
            Serializable model,
            double[] importance) {
        this.kind = kind;
        this.features = List.copyOf(features);
        this.means = means;
        this.sds = sds;
        this.model = model;
        this.importance = importance;
    }

    /**
     * Trains on every row of the table with the kind's default settings. {@code seed} makes tree
     * models repeatable.
     */
    public static TrainedModel train(FeatureTable t, ModelKind kind, long seed) {
        return train(t, kind, HyperParameters.defaults(kind), seed);
    }

    /** Trains on every row of the table with the given settings. */
    public static TrainedModel train(FeatureTable t, ModelKind kind, HyperParameters h, long seed) {
        int p = t.features().size();
        double[] means = new double[p];
        double[] sds = new double[p];
        for (int j = 0; j < p; j++) {
            final int col = j;
            double[] v =
                    Arrays.stream(t.x())
                            .mapToDouble(r -> r[col])
                            .filter(Double::isFinite)
                            .toArray();
            means[j] = Arrays.stream(v).average().orElse(0);
            double var =
                    Arrays.stream(v)
                            .map(a -> (a - means[col]) * (a - means[col]))
                            .average()
                            .orElse(1);
            sds[j] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        TrainedModel shell = new TrainedModel(kind, t.features(), means, sds, null, null);
        double[][] x = Arrays.stream(t.x()).map(shell::prepare).toArray(double[][]::new);
        long pos = Arrays.stream(t.y()).filter(v -> v == 1).count();
        int weight =
                (int) Math.max(1, Math.round((t.y().length - pos) / (double) Math.max(1, pos)));
        TrainedModel trained =
                switch (kind) {
                    case RANDOM_FOREST -> {
                        RandomForest rf =
                                RandomForest.fit(
                                        Formula.lhs(LABEL),
                                        frame(x, t.y(), t.features()),
                                        h.trees(),
                                        h.mtryFor(p),
                                        SplitRule.GINI,
                                        h.maxDepth(),
                                        h.maxNodes(),
                                        h.nodeSize(),
                                        1.0,
                                        new int[] {1, weight},
                                        LongStream.range(seed, seed + h.trees()));
                        yield new TrainedModel(kind, t.features(), means, sds, rf, rf.importance());
                    }
                    case GRADIENT_BOOSTING -> {
                        GradientTreeBoost gbt =
                                GradientTreeBoost.fit(
                                        Formula.lhs(LABEL),
                                        frame(x, t.y(), t.features()),
                                        h.trees(),
                                        h.maxDepth(),
                                        h.maxNodes(),
                                        h.nodeSize(),
                                        h.shrinkage(),
                                        0.7);
                        yield new TrainedModel(
                                kind, t.features(), means, sds, gbt, gbt.importance());
                    }
                    case LOGISTIC_REGRESSION -> {
                        LogisticRegression.Binomial lr =
                                LogisticRegression.binomial(x, t.y(), h.lambda(), 1e-5, 500);
                        double[] w = lr.coefficients(); // p weights, then the intercept
                        double[] imp = new double[p];
                        for (int j = 0; j < p; j++) {
                            imp[j] = Math.abs(w[j]);
                        }
                        yield new TrainedModel(kind, t.features(), means, sds, lr, imp);
                    }
                };
        trained.settings = h;
        return trained;
    }

    private static DataFrame frame(double[][] x, int[] y, List<String> names) {
        DataFrame df = DataFrame.of(x, names.toArray(String[]::new));
        return y == null ? df : df.merge(IntVector.of(LABEL, y));
    }

    /** Imputes a missing value with the training mean; standardises for the linear model. */
    private double[] prepare(double[] raw) {
        double[] v = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            double a = Double.isFinite(raw[j]) ? raw[j] : means[j];
            v[j] = kind == ModelKind.LOGISTIC_REGRESSION ? (a - means[j]) / sds[j] : a;
        }
        return v;
    }

    /** Uncalibrated probabilities of stress for many rows at once. */
    public double[] rawProbabilities(double[][] rows) {
        double[][] x = Arrays.stream(rows).map(this::prepare).toArray(double[][]::new);
        double[] out = new double[x.length];
        double[] post = new double[2];
        if (model instanceof DataFrameClassifier dfc) {
            DataFrame df = frame(x, null, features);
            for (int i = 0; i < x.length; i++) {
                if (dfc instanceof RandomForest rf) {
                    rf.predict(df.get(i), post);
                } else {
                    ((GradientTreeBoost) dfc).predict(df.get(i), post);
                }
                out[i] = post[1];
            }
        } else {
            @SuppressWarnings("unchecked")
            Classifier<double[]> c = (Classifier<double[]>) model;
            for (int i = 0; i < x.length; i++) {
                c.predict(x[i], post);
                out[i] = post[1];
            }
        }
        return out;
    }

    /** Probabilities of stress, calibrated when a calibration was fitted. */
    public double[] probabilities(double[][] rows) {
        double[] raw = rawProbabilities(rows);
        if (calibration == null) {
            return raw;
        }
        double[] post = new double[2];
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            calibration.predict(new double[] {logit(raw[i])}, post);
            out[i] = post[1];
        }
        return out;
    }

    /**
     * Platt scaling: a one-feature logistic regression from the model's (logit) score to the label,
     * fitted on predictions for people the model did not see (out-of-fold by subject).
     */
    public void calibrate(double[] outOfFoldRaw, int[] y) {
        double[][] f =
                Arrays.stream(outOfFoldRaw)
                        .mapToObj(v -> new double[] {logit(v)})
                        .toArray(double[][]::new);
        this.calibration = LogisticRegression.binomial(f, y, 0.0, 1e-6, 500);
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    public ModelKind kind() {
        return kind;
    }

    public List<String> features() {
        return features;
    }

    /**
     * Per-feature importance (trees: impurity decrease; logistic regression: |standardised
     * weight|).
     */
    public double[] importance() {
        return importance.clone();
    }

    /**
     * Whether the model expects each row z-scored against the person's own earlier rows ({@link
     * RunningStandardiser}) rather than raw values.
     */
    public boolean perPersonRunning() {
        return perPersonRunning;
    }

    /** Marks a model trained on {@link FeatureTable#standardisedPerSubjectInTimeOrder} rows. */
    public void markPerPersonRunning() {
        markPerPersonRunning(0);
    }

    /** … whose statistics learnt from each person's first {@code baselineRows} rows (0: all). */
    public void markPerPersonRunning(int baselineRows) {
        this.perPersonRunning = true;
        this.baselineRows = baselineRows;
    }

    public HyperParameters settings() {
        return settings;
    }

    public int baselineRows() {
        return baselineRows;
    }

    public boolean calibrated() {
        return calibration != null;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new IllegalStateException("model not serialisable", e);
        }
        return bytes.toByteArray();
    }

    public static TrainedModel fromBytes(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (TrainedModel) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("not a Chakrai model", e);
        }
    }
}
