package io.chakrai.lab.crisis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The frozen test split of public text (data/crisis/test.tsv) is the file whose SHA-256 was
 * committed before any model was fitted; the chat test set (chat-test.tsv, written blind) the one
 * committed alone before the chat model was fitted, the second (chat-test-2.tsv) before it was
 * fitted again, the third and fourth (chat-test-3.tsv, chat-test-4.tsv, two writers each) before
 * any detector read them. What the shipped detector scores on it: {@link CrisisReportITCase}
 * (./mvnw verify, about 20 s).
 */
class CrisisFrozenSplitTest {
    static final Path DATA = Path.of("..", "data", "crisis");

    @Test
    void theSplitIsTheOneFrozenBeforeAnyFit() throws Exception {
        String sums = Files.readString(DATA.resolve("SHA256SUMS"));
        assertTrue(
                sums.contains(
                        CrisisSplitCommand.sha256(Files.readAllBytes(DATA.resolve("test.tsv")))
                                + "  test.tsv"),
                "data/crisis/test.tsv is not the file whose hash was committed with the split");
        assertTrue(
                sums.contains(
                        "6ab2ab9a738498343fda27ba1e270624b1c546bfcdaa336ec999d6f561e92a56  chat-test.tsv"),
                "the chat test set's hash is the one committed alone before any chat fit");
        assertTrue(
                sums.contains(
                        CrisisSplitCommand.sha256(Files.readAllBytes(DATA.resolve("chat-test.tsv")))
                                + "  chat-test.tsv"),
                "data/crisis/chat-test.tsv is not the file whose hash was committed before any chat fit");
        assertTrue(
                sums.contains(
                        "91f3bda4076a8033db1f4c78b9501bbb5d025e94a9f5137e8a727e92c8c4fa0c  chat-test-2.tsv"),
                "the second chat test set's hash is the one committed alone (b047ed8) before the refit");
        assertTrue(
                sums.contains(
                        CrisisSplitCommand.sha256(
                                        Files.readAllBytes(DATA.resolve("chat-test-2.tsv")))
                                + "  chat-test-2.tsv"),
                "data/crisis/chat-test-2.tsv is not the file whose hash was committed before the refit");
        assertTrue(
                sums.contains(
                        "a6b8ac62c47a19f56dcca4025ff6feee7c77e4ba6f8b9b689547c2915b8965c5  chat-test-3.tsv"),
                "the third chat test set's hash is the one committed alone (506b08f) before it was read");
        assertTrue(
                sums.contains(
                        CrisisSplitCommand.sha256(
                                        Files.readAllBytes(DATA.resolve("chat-test-3.tsv")))
                                + "  chat-test-3.tsv"),
                "data/crisis/chat-test-3.tsv is not the file whose hash was committed before it was read");
        assertTrue(
                sums.contains(
                        "c57a0645b6164d86eef467abe7133bbb62507d8619318bdb0ee471f0b47256fe  chat-test-4.tsv"),
                "the fourth chat test set's hash is the one committed alone (339bbb5) before it was read");
        assertTrue(
                sums.contains(
                        CrisisSplitCommand.sha256(
                                        Files.readAllBytes(DATA.resolve("chat-test-4.tsv")))
                                + "  chat-test-4.tsv"),
                "data/crisis/chat-test-4.tsv is not the file whose hash was committed before it was read");
        assertTrue(
                sums.startsWith(
                        "8f4976c12392f8adbb19e74517aa3515cc3d63295546ee91e15c8a530a7b7c5f  test.tsv"),
                sums);
    }
}
