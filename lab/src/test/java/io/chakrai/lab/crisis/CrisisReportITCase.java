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
 * (chat-test.tsv, committed alone before the chat model was fitted): the figures
 * docs/crisis-language-report.md states, to within two texts (ONNX Runtime may round an embedding
 * differently on another CPU, and a text at the threshold may fall either side).
 */
class CrisisReportITCase {
    /** What the report states for the production detector: hits of total. */
    static final Map<String, int[]> STATED =
            Map.of(
                    "people at risk found (C-SSRS)", new int[] {85, 88},
                    "posts held of people not at risk (C-SSRS)", new int[] {276, 1044},
                    "  C-SSRS chat-length", new int[] {10, 392},
                    "GoEmotions comments held", new int[] {38, 5427},
                    "CounselChat questions held", new int[] {286, 1630},
                    "  CounselChat chat-length", new int[] {12, 1000},
                    "chat messages needing a human, held (labelled one by one)",
                            new int[] {98, 120},
                    "chat messages needing no human, held", new int[] {13, 120});

    @Test
    void theShippedDetectorScoresWhatItsReportStates() throws Exception {
        List<CrisisText> test =
                new java.util.ArrayList<>(
                        CrisisTrainCommand.read(CrisisFrozenSplitTest.DATA.resolve("test.tsv")));
        test.addAll(CrisisTrainCommand.read(CrisisFrozenSplitTest.DATA.resolve("chat-test.tsv")));
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
