package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrisisChatGateTest {
    private static final CrisisChatGate GATE =
            new CrisisChatGate(
                    Map.of(
                            "w:rope",
                            2.5f,
                            "b:the rope",
                            1.0f,
                            "w:climbing",
                            -3.0f,
                            "b:^ got",
                            0.5f),
                    -2,
                    0.5);

    @Test
    void aMessageIsItsWordsAndTheirPairsFromStartToEnd() {
        assertEquals(
                Set.of(
                        "w:got",
                        "w:the",
                        "w:rope",
                        "b:^ got",
                        "b:got the",
                        "b:the rope",
                        "b:rope $"),
                CrisisChatGate.features("Got the rope!"));
        assertEquals(Set.of("b:^ $"), CrisisChatGate.features("  ..."));
    }

    @Test
    void theScoreIsTheRegressionOfTheFeaturesPresentEachCountedOnce() {
        double z = -2 + 0.5 + 2.5 + 1.0;
        assertEquals(1 / (1 + Math.exp(-z)), GATE.score("got the rope"), 1e-9);
        assertEquals(GATE.score("got the rope"), GATE.score("got the rope, the rope"), 1e-9);
        assertTrue(GATE.passes("got the rope"));
        assertFalse(GATE.passes("got the rope for climbing"), "a word against it closes the gate");
        assertFalse(GATE.passes("lovely walk today"), "nothing for it: the bias alone");
    }

    @Test
    void theStoredGateScoresAsTheFittedOne() {
        CrisisChatGate stored = CrisisChatGate.read(GATE.write());
        assertEquals(GATE.size(), stored.size());
        assertEquals(0.5, stored.threshold());
        for (String m : List.of("got the rope", "rope", "climbing rope", "hello")) {
            assertEquals(GATE.score(m), stored.score(m), 1e-5, m);
        }
    }

    @Test
    void aChatModelWithoutAGateJudgesEveryMessage() {
        assertTrue(CrisisChatGate.OPEN.passes("lovely walk today"));
        assertTrue(CrisisChatGate.read(null).passes("anything"));
    }

    @Test
    void aMessageTheGateKeepsOutCostsNoEmbeddingButTheRulesStillSeeIt() {
        List<String> seen = new ArrayList<>();
        SentenceEmbedder recording = CrisisWarningSignsTest.recording(seen, 1, 0);
        CrisisChatModel near =
                new CrisisChatModel(new float[][] {{1, 0}}, new double[] {3}, 0, 0.7, 0.5, null)
                        .withGate(GATE);
        CrisisDetector d =
                new CrisisDetector(
                        recording, CrisisModel.shipped(), near, CrisisDetector.PRODUCTION);
        assertFalse(d.assess("lovely walk today", List.of(), 0).flagged());
        assertEquals(List.of(), seen, "kept out by the gate: not embedded");
        assertTrue(d.assess("got the rope", List.of(), 0).flagged());
        assertEquals(List.of("got the rope"), seen, "let through: judged by the chat model");
        seen.clear();
        assertTrue(d.assess("I want to kill myself", List.of(), 0).flagged(), "the rules' own");
        assertEquals(List.of(), seen);
        CrisisChatModel stored = CrisisChatModel.read(near.write(null));
        assertEquals(GATE.score("got the rope"), stored.gate().score("got the rope"), 1e-5);
    }
}
