package io.chakrai.lab.crisis;

import io.chakrai.models.groups.MiniLmEmbedder;
import io.chakrai.models.groups.SentenceEmbedder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MiniLM embeddings of texts, kept in a file between runs (tens of thousands of texts take minutes
 * to embed on two cores; training and evaluation read each many times). The file is a cache only:
 * delete it and it is rebuilt.
 */
final class CachedEmbedder implements SentenceEmbedder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CachedEmbedder.class);

    private final Path file;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final SentenceEmbedder model;
    private int added;

    CachedEmbedder(Path file) throws IOException {
        this.file = file;
        this.model = new MiniLmEmbedder();
        if (Files.isRegularFile(file)) {
            try (DataInputStream in =
                    new DataInputStream(
                            new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    String key;
                    try {
                        key = in.readUTF();
                    } catch (EOFException e) {
                        break;
                    }
                    float[] v = new float[in.readInt()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                    cache.put(key, v);
                }
            }
            LOG.info("{} embeddings read from {}", cache.size(), file);
        }
    }

    @Override
    public float[] embed(String sentence) {
        String key = CrisisSplitCommand.sha256(sentence.getBytes(StandardCharsets.UTF_8));
        float[] v = cache.get(key);
        if (v == null) {
            v = model.embed(sentence);
            cache.put(key, v);
            synchronized (this) {
                if (++added % 1_000 == 0) {
                    LOG.info("{} new embeddings ({} in all)", added, cache.size());
                }
            }
        }
        return v;
    }

    @Override
    public synchronized void close() throws IOException {
        if (added == 0) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out =
                new DataOutputStream(
                        new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
            for (var e : cache.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LOG.info("{} embeddings kept in {}", cache.size(), file);
    }
}
