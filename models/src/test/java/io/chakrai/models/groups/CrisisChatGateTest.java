package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrisisChatGateTest {
    private static final CrisisChatGate GATE =
            new CrisisChatGate(
                    Map.of(
                            "w:hardware",
                            2.5f,
                            "b:the hardware",
                            1.0f,
                            "w:diy",
                            -3.0f,
                            "b:^ went",
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
        assertEquals(1 / (1 + Math.exp(-z)), GATE.score("went to the hardware store"), 1e-9);
        assertEquals(
                GATE.score("went to the hardware store"),
                GATE.score("went to the hardware store, the hardware store"),
                1e-9);
    }

    @Test
    void theRegressionOpensTheGateForWordsNoListHas() {
        assertTrue(GATE.passes("went to the hardware store"));
        assertFalse(
                GATE.passes("went to the hardware store for diy"),
                "a word against it closes what only the regression opened");
        assertFalse(GATE.passes("lovely walk today"), "nothing for it: the bias alone");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "went to the hardware store for diy, got a rope",
                "i can't do this anymore, years of anxiety and crying",
                "i wish i could just disappear, we had a great run though",
                "got a hose that fits the exhaust"
            })
    void aWordOfTheVocabularyAlwaysOpensItWhateverElseTheMessageSays(String message) {
        assertTrue(GATE.score(message) < GATE.threshold(), "not the regression's doing");
        assertTrue(GATE.passes(message));
    }

    @Test
    void theStoredGateScoresAsTheFittedOne() {
        CrisisChatGate stored = CrisisChatGate.read(GATE.write());
        assertEquals(GATE.size(), stored.size());
        assertEquals(0.5, stored.threshold());
        for (String m : List.of("went to the hardware store", "diy", "hello")) {
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
        CrisisDetector.Result r = d.assess("went to the hardware store", List.of(), 0);
        assertTrue(r.concepts().contains(CrisisConcept.LEARNED), r.toString());
        assertEquals(List.of("went to the hardware store"), seen, "let through: judged");
        seen.clear();
        assertTrue(d.assess("I want to kill myself", List.of(), 0).flagged(), "the rules' own");
        CrisisChatModel stored = CrisisChatModel.read(near.write(null));
        assertEquals(
                GATE.score("went to the hardware store"),
                stored.gate().score("went to the hardware store"),
                1e-5);
    }

    /**
     * The gate judges what the rules leave, not the whole message: a crisis word the rules vetoed
     * (the past, a negation) does not open it for the ordinary sentence beside it, and a veiled
     * sentence beside it is still let through by the regression.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            back in 2015 i wanted to die every day. today i went for a run | false
            i used to cut myself. now i'm off to the gym | false
            i'm not suicidal. just tired of this weather | false
            back in 2015 i wanted to die every day. the thought of not being here is the only thing that calms me down | true
            """)
    void theGateJudgesWhatTheRulesLeftNotTheWordsTheyVetoed(String text, boolean judged) {
        CrisisChatGate shipped = CrisisChatModel.shipped().gate();
        assertTrue(
                shipped.passes(CrisisDetector.prepared(text)),
                "the whole message, vetoed words and all, would open the gate");
        List<String> seen = new ArrayList<>();
        SentenceEmbedder recording = CrisisWarningSignsTest.recording(seen, 0, 1);
        CrisisChatModel far =
                new CrisisChatModel(new float[][] {{1, 0}}, new double[] {3}, -5, 0.7, 0.5, null)
                        .withGate(shipped);
        CrisisDetector d =
                new CrisisDetector(
                        recording, CrisisModel.shipped(), far, CrisisDetector.PRODUCTION);
        d.assess(text, List.of(), 0);
        assertEquals(judged, !seen.isEmpty(), "embedded: " + seen);
    }

    /**
     * Chat validation messages needing a human with no word of the vocabulary: only the shipped
     * regression lets them through.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "the thought of not being here is the only thing that calms me down",
                "I told my manager I'm taking a week off. I'm not coming back.",
                "Made a permanent decision. Thanks for listening all these months, you lot were kind to me."
            })
    void theShippedRegressionLetsVeiledMessagesThroughThatNoListedWordDoes(String message) {
        String p = CrisisDetector.prepared(message);
        assertFalse(CrisisChatGate.inVocabulary(p), "a message only the regression can open for");
        assertTrue(CrisisChatModel.shipped().gate().passes(p), message);
    }
}
