package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our session of MiniLM (one thread an inference) embeds exactly as langchain4j's own, which the
 * models were fitted on.
 */
class MiniLmEmbedderTest {
    @Test
    void theSameVectorsAsLangchain4jsDefaultSession() {
        MiniLmEmbedder ours = new MiniLmEmbedder();
        AllMiniLmL6V2QuantizedEmbeddingModel theirs = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (String s :
                List.of(
                        "I wish I was dead",
                        "the breathing exercise helped before my meeting",
                        "a much longer message about a week of work, sleep that would not come and a sister who called at last",
                        "😀 ok")) {
            float[] a = ours.embed(s);
            float[] b = theirs.embed(s).content().vector();
            assertEquals(b.length, a.length);
            assertTrue(
                    SentenceEmbedder.cosine(a, b) > 0.99999,
                    s + ": " + SentenceEmbedder.cosine(a, b));
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnSentencesVectorAndAreCounted() throws Exception {
        MiniLmEmbedder embedder = new MiniLmEmbedder();
        List<String> sentences =
                List.of(
                        "I can't keep myself safe tonight",
                        "work was fine",
                        "slept badly again",
                        "my sister called",
                        "I want it all to stop",
                        "the walk helped");
        List<float[]> alone = sentences.stream().map(embedder::embed).toList();
        long before = MiniLmEmbedder.embedded();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                all.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 30; i++) {
                                        int k = (i + offset) % sentences.size();
                                        if (SentenceEmbedder.cosine(
                                                        embedder.embed(sentences.get(k)),
                                                        alone.get(k))
                                                < 0.99999) {
                                            return false;
                                        }
                                    }
                                    return true;
                                }));
            }
            for (Future<Boolean> f : all) {
                assertTrue(f.get(2, TimeUnit.MINUTES), "a caller got another sentence's vector");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 240, MiniLmEmbedder.embedded(), "every embedding counted once");
        assertTrue(MiniLmEmbedder.ranSeconds() > 0);
    }
}
