package io.chakrai.lab.crisis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.MiniLmEmbedder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped crisis detector on the frozen test split of public text (data/crisis/test.tsv, its
 * SHA-256 committed before any model was fitted) and on the chat messages written blind
 * (chat-test.tsv, committed alone before the chat model was fitted; chat-test-2.tsv, committed
 * alone before it was fitted again; chat-test-3.tsv and chat-test-4.tsv, two writers each,
 * committed alone before they were read): the figures docs/crisis-language-report.md states, to
 * within two texts (ONNX Runtime may round an embedding differently on another CPU, and a text at
 * the threshold may fall either side).
 */
class CrisisReportITCase {
    /** What the report states for the production detector: hits of total. */
    static final Map<String, int[]> STATED =
            Map.ofEntries(
                    Map.entry("people at risk found (C-SSRS)", new int[] {86, 88}),
                    Map.entry("posts held of people not at risk (C-SSRS)", new int[] {284, 1044}),
                    Map.entry("  C-SSRS chat-length", new int[] {19, 392}),
                    Map.entry("GoEmotions comments held", new int[] {120, 5427}),
                    Map.entry("CounselChat questions held", new int[] {313, 1630}),
                    Map.entry("  CounselChat chat-length", new int[] {39, 1000}),
                    Map.entry("  chat-d: needing a human, held", new int[] {117, 120}),
                    Map.entry("  chat-d: needing no human, held", new int[] {23, 120}),
                    Map.entry("  chat-k: needing a human, held", new int[] {136, 149}),
                    Map.entry("  chat-k: needing no human, held", new int[] {24, 149}),
                    Map.entry("  chat-q: needing a human, held", new int[] {90, 99}),
                    Map.entry("  chat-q: needing no human, held", new int[] {11, 100}),
                    Map.entry("  chat-r: needing a human, held", new int[] {93, 100}),
                    Map.entry("  chat-r: needing no human, held", new int[] {21, 100}),
                    Map.entry("  chat-s: needing a human, held", new int[] {89, 98}),
                    Map.entry("  chat-s: needing no human, held", new int[] {14, 100}),
                    Map.entry("  chat-t: needing a human, held", new int[] {87, 100}),
                    Map.entry("  chat-t: needing no human, held", new int[] {25, 100}));

    @Test
    void theShippedDetectorScoresWhatItsReportStates() throws Exception {
        List<CrisisText> test =
                new java.util.ArrayList<>(
                        CrisisTrainCommand.read(CrisisFrozenSplitTest.DATA.resolve("test.tsv")));
        test.addAll(CrisisEvaluateCommand.chatSets(CrisisFrozenSplitTest.DATA, "test"));
        CrisisEvaluateCommand.Figures f =
                CrisisEvaluateCommand.measure(
                        "production", CrisisDetector.production(new MiniLmEmbedder()), test);
        CrisisEvaluateCommand.print(f);
        STATED.forEach(
                (figure, stated) -> {
                    CrisisFigures.Rate r = f.rates().get(figure);
                    assertEquals(stated[1], r.total(), figure);
                    assertTrue(
                            Math.abs(r.hits() - stated[0]) <= 2,
                            figure + ": " + r.show() + ", stated " + stated[0] + "/" + stated[1]);
                });
        assertTrue(
                f.rates().get("people at risk found (C-SSRS)").value() >= 0.95,
                "recall below the target");
    }
}
