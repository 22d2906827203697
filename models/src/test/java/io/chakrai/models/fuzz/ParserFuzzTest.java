package io.chakrai.models.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.readings.ParseResult;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingReader;
import io.chakrai.models.storage.Storable;
import io.chakrai.models.voice.VoiceFeatures;
import io.chakrai.models.voice.WavAudio;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzz tests (Jazzer) of everything that parses what a client or a topic sends. In
 * every build they replay their seeds (src/test/resources/.../ParserFuzzTestInputs: the WAV target
 * starts from a real recording, so it gets past the header); {@code .ci/run} fuzzes each for its
 * maxDuration (20 s), and {@code JAZZER_FUZZ=1 ./mvnw -pl models -am test
 * -Dtest='ParserFuzzTest#name'} does the same by hand (raise maxDuration for a longer run).
 */
class ParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Whatever bytes arrive on the readings topic: a result, never an exception, the same as their
     * text gives; what it accepts is storable.
     */
    @FuzzTest(maxDuration = "20s")
    void readingRecords(FuzzedDataProvider in) {
        byte[] bytes = in.consumeRemainingAsBytes();
        String record = new String(bytes, StandardCharsets.UTF_8);
        ParseResult r = ReadingCodec.fromRecord(bytes);
        ParseResult text = ReadingCodec.fromRecord(record);
        assertEquals(text.reading(), r.reading(), record);
        assertEquals(text.problems(), r.problems(), record);
        assertTrue(r.isOk() != !r.problems().isEmpty(), "ok xor problems");
        if (r.isOk()) {
            assertTrue(Storable.storable(r.reading().timestamp()), record);
            assertTrue(Double.isFinite(r.reading().value()), record);
            if (r.reading().metadata() != null) {
                assertTrue(
                        r.reading().metadata().length() <= ReadingCodec.MAX_METADATA_CHARS, record);
                try {
                    assertTrue(
                            Storable.jsonProblem(JSON.readTree(r.reading().metadata())).isEmpty(),
                            record);
                } catch (JsonProcessingException e) {
                    throw new AssertionError("accepted metadata that is not JSON: " + record, e);
                }
            }
            // what was accepted survives the trip through Kafka unchanged
            assertEquals(
                    r.reading(),
                    ReadingCodec.fromRecord(ReadingCodec.toRecord(r.reading())).reading(),
                    record);
        }
    }

    /** Any upload: a WAV or a clear refusal, and features from whatever was read. */
    @FuzzTest(maxDuration = "20s")
    void wavUploads(byte[] bytes) {
        WavAudio audio;
        try {
            audio = WavAudio.read(bytes);
        } catch (WavAudio.InvalidAudioException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return;
        }
        VoiceFeatures.extract(audio);
    }

    /**
     * Any body posted as readings: an answer, never an exception. It is refused as not JSON exactly
     * when a strict mapper (the API's: duplicate keys and trailing tokens refused) cannot read it;
     * refused for unstorable text exactly when the storable check finds some, at the same place;
     * and what it accepts is one valid reading per item.
     */
    @FuzzTest(maxDuration = "20s")
    void jsonBodies(FuzzedDataProvider in) {
        byte[] body = in.consumeRemainingAsBytes();
        ReadingReader.Body read = ReadingCodec.fromBody(body, 1, 10);
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (java.io.IOException e) {
            assertTrue(
                    read.refused() == ReadingReader.Refused.MALFORMED,
                    "read a body the mapper refuses: " + read);
            return;
        }
        if (node == null || node.isMissingNode()) {
            assertEquals(ReadingReader.Refused.EMPTY, read.refused());
            return;
        }
        java.util.Optional<Storable.JsonProblem> problem = Storable.jsonProblem(node);
        problem.ifPresent(
                p -> {
                    assertTrue(p.path().isEmpty() || p.path().startsWith("/"), p.path());
                    assertFalse(p.reason().isBlank());
                    assertEquals(ReadingReader.Refused.UNSTORABLE_TEXT, read.refused());
                    assertEquals(p.path().isEmpty() ? "body" : p.path().substring(1), read.field());
                });
        if (problem.isEmpty()) {
            assertTrue(
                    read.refused() != ReadingReader.Refused.MALFORMED
                            && read.refused() != ReadingReader.Refused.UNSTORABLE_TEXT,
                    "refused a readable, storable body: " + read);
        }
        if (read.refused() == null) {
            assertEquals(node.isArray() ? node.size() : 1, read.items().size());
            for (ParseResult r : read.items()) {
                assertTrue(r.isOk() != !r.problems().isEmpty(), "ok xor problems");
                if (r.isOk()) {
                    assertTrue(Storable.storable(r.reading().timestamp()));
                    assertTrue(Double.isFinite(r.reading().value()));
                    assertEquals(1, r.reading().userId());
                }
            }
        }
    }

    /** Strict as the API's mapper is: duplicate keys and trailing tokens refused. */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT =
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(
                            com.fasterxml.jackson.databind.DeserializationFeature
                                    .FAIL_ON_TRAILING_TOKENS)
                    .build();
}
