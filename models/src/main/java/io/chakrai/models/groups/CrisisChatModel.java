package io.chakrai.models.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The learned layer for chat messages (at most {@link CrisisDetector#CHAT_WORDS} words): a support
 * vector machine with a Gaussian kernel on the MiniLM embedding of the whole prepared message,
 * fitted by {@code ./chakrai train-crisis} on chat messages labelled one by one
 * (data/crisis/chat-train.tsv) and short public texts needing no human. A kernel, not a line:
 * fitted on the first 688 chat messages alone, it found 0.91 of the validation messages needing a
 * human at 10 % false alarms where a logistic regression on the same embeddings found 0.79. A
 * larger sentence model (bge-small-en-v1.5) found 0.956 where MiniLM found 0.856 at the same false
 * alarms, but costs twice the CPU a message, and group chat at the design load stalled with it
 * (bench-groups p99 26 s), so MiniLM stays. Its support vectors are stored as signed bytes with a
 * scale each (a quarter of the size of floats; the scores it gives are the ones the evaluation
 * measured, since it measures this stored form). A {@link CrisisChatGate} in front of it spares
 * ordinary chat the embedding.
 */
public final class CrisisChatModel {
    public static final String RESOURCE = "crisis-chat-model.json";

    private final float[][] vectors;
    private final double[] weights;
    private final double intercept;
    private final double sigma;
    private final double threshold;
    private final CrisisChatGate gate;
    private final JsonNode about;

    /** A machine that judges every message (its gate open). */
    public CrisisChatModel(
            float[][] vectors,
            double[] weights,
            double intercept,
            double sigma,
            double threshold,
            JsonNode about) {
        this(vectors, weights, intercept, sigma, threshold, CrisisChatGate.OPEN, about);
    }

    public CrisisChatModel(
            float[][] vectors,
            double[] weights,
            double intercept,
            double sigma,
            double threshold,
            CrisisChatGate gate,
            JsonNode about) {
        if (vectors.length != weights.length) {
            throw new IllegalArgumentException(
                    vectors.length + " support vectors, " + weights.length + " weights");
        }
        this.vectors = vectors;
        this.weights = weights.clone();
        this.intercept = intercept;
        this.sigma = sigma;
        this.threshold = threshold;
        this.gate = gate;
        this.about = about;
    }

    /** The same machine with another threshold (the training's search). */
    public CrisisChatModel withThreshold(double t) {
        return new CrisisChatModel(vectors, weights, intercept, sigma, t, gate, about);
    }

    /** The same machine behind another gate. */
    public CrisisChatModel withGate(CrisisChatGate g) {
        return new CrisisChatModel(vectors, weights, intercept, sigma, threshold, g, about);
    }

    /** Which messages are worth an embedding and this machine's judgement. */
    public CrisisChatGate gate() {
        return gate;
    }

    /** The shipped chat model, or null when the product was built without one. */
    public static CrisisChatModel shipped() {
        try (InputStream in = CrisisChatModel.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : read(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SVM's decision value, squashed to 0..1 (0.5 is the machine's own boundary). */
    public double probability(float[] embedding) {
        double score = intercept;
        double gamma = 0.5 / (sigma * sigma);
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            double d = 0;
            for (int k = 0; k < v.length; k++) {
                double x = v[k] - embedding[k];
                d += x * x;
            }
            score += weights[i] * Math.exp(-gamma * d);
        }
        return 1 / (1 + Math.exp(-score));
    }

    public double threshold() {
        return threshold;
    }

    public int supportVectors() {
        return vectors.length;
    }

    public JsonNode about() {
        return about;
    }

    /** Support vectors quantised to signed bytes, each with its scale. */
    public ObjectNode write(JsonNode trained) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kernel", "gaussian");
        n.put("sigma", sigma);
        n.put("intercept", intercept);
        n.put("threshold", threshold);
        n.put("dimensions", vectors.length == 0 ? 0 : vectors[0].length);
        var w = n.putArray("weights");
        var s = n.putArray("scales");
        int dims = vectors.length == 0 ? 0 : vectors[0].length;
        byte[] bytes = new byte[vectors.length * dims];
        for (int i = 0; i < vectors.length; i++) {
            w.add(weights[i]);
            float max = 0;
            for (float x : vectors[i]) {
                max = Math.max(max, Math.abs(x));
            }
            float scale = max == 0 ? 1 : max / 127f;
            s.add(scale);
            for (int k = 0; k < dims; k++) {
                bytes[i * dims + k] = (byte) Math.round(vectors[i][k] / scale);
            }
        }
        n.put("vectors", Base64.getEncoder().encodeToString(bytes));
        if (gate != CrisisChatGate.OPEN) {
            n.set("gate", gate.write());
        }
        n.set("trained", trained);
        return n;
    }

    public static CrisisChatModel read(JsonNode n) {
        int count = n.path("weights").size();
        int dims = n.path("dimensions").asInt();
        byte[] bytes = Base64.getDecoder().decode(n.path("vectors").asText());
        if (bytes.length != count * dims) {
            throw new IllegalArgumentException("support vectors do not match their weights");
        }
        float[][] vectors = new float[count][dims];
        double[] weights = new double[count];
        for (int i = 0; i < count; i++) {
            weights[i] = n.path("weights").get(i).asDouble();
            float scale = (float) n.path("scales").get(i).asDouble();
            for (int k = 0; k < dims; k++) {
                vectors[i][k] = bytes[i * dims + k] * scale;
            }
        }
        return new CrisisChatModel(
                vectors,
                weights,
                n.path("intercept").asDouble(),
                n.path("sigma").asDouble(),
                n.path("threshold").asDouble(),
                CrisisChatGate.read(n.get("gate")),
                n.path("trained"));
    }
}
