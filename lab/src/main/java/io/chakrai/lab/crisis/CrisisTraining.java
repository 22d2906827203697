package io.chakrai.lab.crisis;

import io.chakrai.models.groups.CrisisChatGate;
import io.chakrai.models.groups.CrisisChatModel;
import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;
import smile.classification.LogisticRegression;
import smile.classification.SVM;
import smile.math.kernel.GaussianKernel;

/**
 * Fits the learned layer: an L2-regularised logistic regression (Smile) on the MiniLM embedding of
 * each text as the detector prepares it. The C-SSRS labels are a person's, and most posts of a
 * person at risk say nothing of it, so the fit is multiple-instance: first every post of a person
 * at risk counts as positive; then, three times, only the quarter of each such person's posts the
 * current model scores highest (at least one), the rest left out. Negatives are every post of
 * people rated Supportive or Indicator and the GoEmotions comments.
 */
final class CrisisTraining {

    static final double LAMBDA = Double.parseDouble(System.getProperty("crisis.lambda", "10"));

    record Fitted(double[] weights, double bias) {
        double probability(double[] v) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * v[i];
            }
            return 1 / (1 + Math.exp(-z));
        }
    }

    private CrisisTraining() {}

    /**
     * Weak supervision of the person's label: a sentence of a person rated at risk counts as
     * positive when it speaks of death, suicide or self-harm ({@link #RISK_TALK}, broad on purpose)
     * in the first person; their other sentences are left out, not called negative. Every post of a
     * person not at risk and every GoEmotions comment is negative.
     */
    static final java.util.regex.Pattern RISK_TALK =
            java.util.regex.Pattern.compile(
                    "(?i)\\b(?:suicid\\w*|kill(?:ing)? (?:my|him|her)self|"
                            + "(?:want|wanted|wanna|wish|ready|going) to die|\\bdie\\b|dying|dead|death|end (?:it|my life|things|everything)|"
                            + "ending (?:it|my life)|overdos\\w*|\\bod\\b|pills|cut(?:ting)? (?:my|myself)|self.?harm\\w*|hurt(?:ing)? myself|"
                            + "hang(?:ing)? myself|jump(?:ing)? off|noose|not (?:want to )?(?:be )?(?:alive|here|live|exist)|(?:no )?reason to live|"
                            + "disappear|not wake up|take my (?:own )?life|better off without me|goodbye|attempt\\w*)\\b");

    static final java.util.regex.Pattern FIRST_PERSON =
            java.util.regex.Pattern.compile("\\b(?:i|i'm|i've|i'd|i'll|me|my|myself|im)\\b");

    static Fitted fit(List<CrisisText> train, SentenceEmbedder embedder) {
        List<double[]> positives = new ArrayList<>();
        List<double[]> negatives = new ArrayList<>();
        for (CrisisText t : train) {
            if (t.chat()) {
                continue; // the chat model's
            }
            // sentences, as the detector scores them
            for (String sentence : CrisisDetector.sentences(CrisisDetector.prepared(t.text()))) {
                if (t.label() == 1
                        && !(RISK_TALK.matcher(sentence).find()
                                && FIRST_PERSON.matcher(sentence).find())) {
                    continue;
                }
                double[] x =
                        io.chakrai.models.groups.CrisisModel.features(
                                embedder.embed(sentence), sentence);
                (t.label() == 1 ? positives : negatives).add(x);
            }
        }
        return fitOnce(positives, negatives, LAMBDA);
    }

    /**
     * The chat model: a Gaussian-kernel SVM (Smile) on the MiniLM embedding of each whole chat
     * message of data/crisis/chat-train.tsv (labelled one by one), beside the first {@link
     * #CHAT_PUBLIC_NEGATIVES} short GoEmotions comments and half as many short posts of C-SSRS
     * people not at risk, as texts needing no human (without them the machine, at its own boundary,
     * held 16 % of the GoEmotions validation comments; with a thousand of them 0.6 %). Kernel width
     * and penalty chosen on chat-validation.tsv ({@link #CHAT_SIGMA}, {@link #CHAT_C}).
     */
    static CrisisChatModel fitChat(List<CrisisText> train, SentenceEmbedder embedder) {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        int goemotions = 0;
        int cssrs = 0;
        for (CrisisText t : train) {
            boolean take =
                    t.chat()
                            || (t.chatLength()
                                    && t.source().equals("goemotions")
                                    && goemotions++ < CHAT_PUBLIC_NEGATIVES)
                            || (t.chatLength()
                                    && t.source().equals("cssrs")
                                    && t.label() == 0
                                    && cssrs++ < CHAT_PUBLIC_NEGATIVES / 2);
            if (!take) {
                continue;
            }
            x.add(toDouble(embedder.embed(CrisisDetector.prepared(t.text()))));
            y.add(t.label() == 1 ? 1 : -1);
        }
        SVM<double[]> svm =
                SVM.fit(
                        x.toArray(new double[0][]),
                        y.stream().mapToInt(Integer::intValue).toArray(),
                        new GaussianKernel(CHAT_SIGMA),
                        CHAT_C,
                        1e-3);
        double[][] sv = svm.vectors();
        float[][] vectors = new float[sv.length][];
        for (int i = 0; i < sv.length; i++) {
            vectors[i] = new float[sv[i].length];
            for (int k = 0; k < sv[i].length; k++) {
                vectors[i][k] = (float) sv[i][k];
            }
        }
        CrisisChatModel fitted =
                new CrisisChatModel(vectors, svm.weights(), svm.intercept(), CHAT_SIGMA, 0.5, null);
        // Smile's sign convention, checked against its own score rather than assumed
        double expected = 1 / (1 + Math.exp(-svm.score(x.get(0))));
        double got = fitted.probability(toFloat(x.get(0)));
        if (Math.abs(expected - got) > 1e-4) {
            throw new IllegalStateException(
                    "the chat model does not score as Smile's SVM: " + got + " vs " + expected);
        }
        // what ships is the stored (quantised) form: search and measure that one
        return CrisisChatModel.read(fitted.write(null));
    }

    /**
     * The gate in front of the chat model ({@link CrisisChatGate}): a logistic regression (Smile's
     * maximum-entropy classifier on binary features) on the words and word pairs of the same chat
     * messages, every short GoEmotions comment and {@link #CHAT_PUBLIC_NEGATIVES} short posts of
     * C-SSRS people not at risk, positives repeated so both classes weigh the same. Features seen
     * in fewer than two texts are left out. Its threshold is chosen by the training command.
     */
    static CrisisChatGate fitGate(List<CrisisText> train) {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int cssrs = 0;
        for (CrisisText t : train) {
            boolean take =
                    t.chat()
                            || (t.chatLength() && t.source().equals("goemotions"))
                            || (t.chatLength()
                                    && t.source().equals("cssrs")
                                    && t.label() == 0
                                    && cssrs++ < CHAT_PUBLIC_NEGATIVES);
            if (take) {
                texts.add(CrisisDetector.prepared(t.text()));
                labels.add(t.label());
            }
        }
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (String p : texts) {
            for (String f : CrisisChatGate.features(p)) {
                seen.merge(f, 1, Integer::sum);
            }
        }
        java.util.Map<String, Integer> index = new java.util.LinkedHashMap<>();
        seen.entrySet().stream()
                .filter(e -> e.getValue() >= 2)
                .map(java.util.Map.Entry::getKey)
                .sorted()
                .forEach(f -> index.put(f, index.size()));
        List<int[]> encoded = CrisisChatGate.encode(texts, index);
        long positives = labels.stream().filter(l -> l == 1).count();
        int repeat =
                (int) Math.max(1, Math.round((double) (labels.size() - positives) / positives));
        List<int[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            for (int r = 0; r < (labels.get(i) == 1 ? repeat : 1); r++) {
                x.add(encoded.get(i));
                y.add(labels.get(i));
            }
        }
        smile.classification.Maxent.Binomial m =
                smile.classification.Maxent.binomial(
                        index.size(),
                        x.toArray(new int[0][]),
                        y.stream().mapToInt(Integer::intValue).toArray(),
                        GATE_LAMBDA,
                        1e-5,
                        500);
        double[] c = m.coefficients();
        // Smile keeps the intercept last; checked against its own score rather than assumed
        java.util.Map<String, Float> weights = new java.util.HashMap<>();
        index.forEach((f, i) -> weights.put(f, (float) c[i]));
        CrisisChatGate gate = new CrisisChatGate(weights, c[index.size()], 0.5);
        double expected = m.score(encoded.get(0));
        if (Math.abs(gate.score(texts.get(0)) - expected) > 1e-4) {
            throw new IllegalStateException(
                    "the gate does not score as Smile's model: "
                            + gate.score(texts.get(0))
                            + " vs "
                            + expected);
        }
        // what ships: the features that move a score (a third of the file; the threshold is
        // chosen on this form)
        weights.values().removeIf(w -> Math.abs(w) < GATE_MIN_WEIGHT);
        return new CrisisChatGate(weights, c[index.size()], 0.5);
    }

    static final double GATE_MIN_WEIGHT = 0.02;

    static final double GATE_LAMBDA = 1;

    static final double CHAT_SIGMA = 0.7;
    static final double CHAT_C = 10;
    static final int CHAT_PUBLIC_NEGATIVES = 2000;

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * Positives repeated so both classes weigh the same (Smile's logistic regression takes no class
     * weights).
     */
    static Fitted fitOnce(List<double[]> positives, List<double[]> negatives, double lambda) {
        int repeat = Math.max(1, Math.round((float) negatives.size() / positives.size()));
        int n = positives.size() * repeat + negatives.size();
        double[][] x = new double[n][];
        int[] y = new int[n];
        int i = 0;
        for (int r = 0; r < repeat; r++) {
            for (double[] v : positives) {
                x[i] = v;
                y[i++] = 1;
            }
        }
        for (double[] v : negatives) {
            x[i] = v;
            y[i++] = 0;
        }
        LogisticRegression.Binomial lr = LogisticRegression.binomial(x, y, lambda, 1e-5, 500);
        double[] c = lr.coefficients();
        double expected = lr.score(positives.get(0));
        // Smile's layout of the intercept, checked against its own score rather than assumed
        Fitted first = new Fitted(java.util.Arrays.copyOfRange(c, 1, c.length), c[0]);
        Fitted last = new Fitted(java.util.Arrays.copyOf(c, c.length - 1), c[c.length - 1]);
        Fitted fitted =
                Math.abs(first.probability(positives.get(0)) - expected) < 1e-6 ? first : last;
        if (Math.abs(fitted.probability(positives.get(0)) - expected) > 1e-6) {
            throw new IllegalStateException(
                    "Smile's coefficients are laid out neither way: " + expected);
        }
        return fitted;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
