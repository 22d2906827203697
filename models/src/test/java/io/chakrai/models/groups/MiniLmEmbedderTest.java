package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our session of MiniLM (one thread an inference) embeds exactly as langchain4j's own, which the models were fitted on. */
class MiniLmEmbedderTest {
    @Test
    void theSameVectorsAsLangchain4jsDefaultSession() {
        MiniLmEmbedder ours = new MiniLmEmbedder();
        AllMiniLmL6V2QuantizedEmbeddingModel theirs = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (String s : List.of("I wish I was dead", "the breathing exercise helped before my meeting",
                "a much longer message about a week of work, sleep that would not come and a sister who called at last", "😀 ok")) {
            float[] a = ours.embed(s);
            float[] b = theirs.embed(s).content().vector();
            assertEquals(b.length, a.length);
            assertTrue(SentenceEmbedder.cosine(a, b) > 0.99999, s + ": " + SentenceEmbedder.cosine(a, b));
        }
    }
}
