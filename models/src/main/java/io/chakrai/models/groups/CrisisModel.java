package io.chakrai.models.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The learned layer of the crisis detector: a logistic regression on a message's sentence embedding
 * (MiniLM, 384 numbers), fitted by {@code ./chakrai train-crisis} on public text rated by
 * clinicians (lab/crisis), with the threshold chosen there on validation users for recall. Loaded
 * from {@code crisis-model.json} beside this class; its {@code trained} block says on what, when
 * and with which split.
 */
public final class CrisisModel {
    public static final String RESOURCE = "crisis-model.json";

    private final double[] weights;
    private final double bias;
    private final double threshold;
    private final JsonNode about;

    public CrisisModel(double[] weights, double bias, double threshold, JsonNode about) {
        this.weights = weights.clone();
        this.bias = bias;
        this.threshold = threshold;
        this.about = about;
    }

    /** The model that ships with the product. */
    public static CrisisModel shipped() {
        try (InputStream in = CrisisModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return read(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CrisisModel read(JsonNode n) {
        double[] w = new double[n.path("weights").size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = n.path("weights").get(i).asDouble();
        }
        return new CrisisModel(
                w, n.path("bias").asDouble(), n.path("threshold").asDouble(), n.path("trained"));
    }

    /**
     * The probability that a message needs a human now, from its embedding and its prepared text.
     */
    public double probability(float[] embedding, String prepared) {
        return probability(features(embedding, prepared));
    }

    public double probability(double[] features) {
        if (features.length != weights.length) {
            throw new IllegalArgumentException(
                    features.length + " features; the model takes " + weights.length);
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * features[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    private static final java.util.regex.Pattern WORD =
            java.util.regex.Pattern.compile("[\\p{L}']+");
    private static final java.util.Set<String> FIRST =
            java.util.Set.of("i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself", "mine");
    private static final java.util.Set<String> SECOND =
            java.util.Set.of(
                    "you",
                    "you're",
                    "you've",
                    "you'd",
                    "you'll",
                    "your",
                    "yours",
                    "yourself",
                    "youre",
                    "u",
                    "ur");
    private static final java.util.Set<String> THIRD =
            java.util.Set.of(
                    "he",
                    "she",
                    "they",
                    "him",
                    "her",
                    "them",
                    "his",
                    "hers",
                    "their",
                    "he's",
                    "she's",
                    "they're",
                    "himself",
                    "herself",
                    "themselves");
    private static final java.util.Set<String> NEGATION =
            java.util.Set.of(
                    "not", "no", "never", "don't", "didn't", "won't", "can't", "isn't", "wasn't",
                    "nothing", "nobody");

    /**
     * Besides the embedding: who the message is about (first, second, third person) and negation.
     * Not its length: the public positives are forum sentences and many negatives short comments,
     * so a length feature taught the model that a short message is safe ("I wish I was dead" scored
     * 0.000).
     */
    public static final int EXTRA = 4;

    /**
     * The model's inputs: the embedding; the embedding again weighted by the share of first-person
     * words and by the share of second-person words (so that a linear model can tell "I want to
     * kill myself" from "please don't kill yourself", which a sentence embedding puts side by
     * side); then {@link #EXTRA} counts: first, second and third person, negation.
     */
    public static double[] features(float[] embedding, String prepared) {
        int e = embedding.length;
        double[] f = new double[3 * e + EXTRA];
        int words = 0;
        int first = 0;
        int second = 0;
        int third = 0;
        int negations = 0;
        java.util.regex.Matcher m = WORD.matcher(prepared);
        while (m.find()) {
            String w = m.group();
            words++;
            first += FIRST.contains(w) ? 1 : 0;
            second += SECOND.contains(w) ? 1 : 0;
            third += THIRD.contains(w) ? 1 : 0;
            negations += NEGATION.contains(w) ? 1 : 0;
        }
        double n = Math.max(1, words);
        double fp = Math.min(1, first / n * 5);
        double sp = Math.min(1, second / n * 5);
        for (int i = 0; i < e; i++) {
            f[i] = embedding[i];
            f[e + i] = embedding[i] * fp;
            f[2 * e + i] = embedding[i] * sp;
        }
        f[3 * e] = fp;
        f[3 * e + 1] = sp;
        f[3 * e + 2] = Math.min(1, third / n * 5);
        f[3 * e + 3] = negations > 0 ? 0.5 : 0;
        return f;
    }

    public double threshold() {
        return threshold;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double bias() {
        return bias;
    }

    /** Where it came from: data, split hashes, date, validation figures. */
    public JsonNode about() {
        return about;
    }
}
