package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crisis detector on the sets the team wrote while building its rules ({@code
 * src/test/resources/crisis}: label, category, text). These are development data, regression cases
 * only: the rules were fitted to all three, the "holdout" included, so no figure here says how the
 * detector does on words nobody here wrote. That is measured on public text other people wrote and
 * labelled, in a split frozen before any fit: lab's {@code CrisisFrozenSplitTest} and {@code
 * CrisisReportITCase} and docs/crisis-language.md.
 */
class CrisisDetectorTest {
    private static final MessageSentiment SENTIMENT = new MessageSentiment();
    private static CrisisDetector production;

    record Line(boolean risk, String category, String text) {}

    @BeforeAll
    static void loadEmbeddings() {
        production = CrisisDetector.production(new MiniLmEmbedder());
    }

    static List<Line> load(String set) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (InputStream in =
                CrisisDetectorTest.class.getResourceAsStream("/crisis/" + set + ".tsv")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\t", 3);
                lines.add(new Line(f[0].equals("1"), f[1], f[2]));
            }
        }
        return lines;
    }

    /**
     * Recall and false-positive rate of a detector on a set; prints the misses so a failure
     * explains itself.
     */
    static double[] measure(CrisisDetector d, List<Line> lines, String label) {
        int tp = 0;
        int fn = 0;
        int fp = 0;
        int tn = 0;
        for (Line l : lines) {
            boolean flagged =
                    d.assess(l.text(), List.of(), SENTIMENT.score(l.text()).sentiment()).flagged();
            if (l.risk() && flagged) {
                tp++;
            } else if (l.risk()) {
                fn++;
                System.out.println("missed (" + l.category() + "): " + l.text());
            } else if (flagged) {
                fp++;
                System.out.println("false alarm (" + l.category() + "): " + l.text());
            } else {
                tn++;
            }
        }
        double recall = tp / (double) (tp + fn);
        double fpr = fp / (double) (fp + tn);
        System.out.printf(
                Locale.ROOT,
                "crisis %s: recall %.3f (%d/%d), false positives %.3f (%d/%d)%n",
                label,
                recall,
                tp,
                tp + fn,
                fpr,
                fp,
                fp + tn);
        return new double[] {recall, fpr};
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "holdout", "challenge"})
    void rulesAloneStillFindWhatTheyWereWrittenFor(String set) throws IOException {
        double[] r = measure(new CrisisDetector(), load(set), set + " (rules)");
        assertTrue(r[0] >= 0.95, "recall " + r[0]);
        assertTrue(r[1] <= 0.10, "false positives " + r[1]);
    }

    /**
     * The chat threshold is chosen for recall (0.95 of the chat validation messages), and recall
     * costs the team's hard ordinary lines ("my plan for tonight is a bath and an early night"): 16
     * of 106, 7 of 63 and 7 of 30 held at 0.39, each bound one line above that.
     */
    @ParameterizedTest
    @CsvSource({"dev, 17", "holdout, 8", "challenge, 8"})
    void theProductionDetectorKeepsTheirRecallAndHoldsNoMoreOfTheirOrdinaryLinesThanStated(
            String set, int ordinaryHeld) throws IOException {
        List<Line> lines = load(set);
        double[] r = measure(production, lines, set + " (production)");
        assertTrue(r[0] >= 0.95, "recall " + r[0]);
        long ordinary = lines.stream().filter(l -> !l.risk()).count();
        assertTrue(
                Math.round(r[1] * ordinary) <= ordinaryHeld,
                "ordinary lines held: " + Math.round(r[1] * ordinary) + " of " + ordinary);
    }

    @Test
    void aContentRequestIsNotReadAsAChatMessage() {
        CrisisDetector requests = CrisisDetector.forRequests(new MiniLmEmbedder());
        for (String asked :
                List.of(
                        "calm after work. feel calmer",
                        "letting go. sleep better",
                        "a quiet mind")) {
            assertFalse(requests.assess(asked, List.of(), -0.5).flagged(), asked);
        }
        assertTrue(requests.assess("I want to end my life", List.of(), -0.5).flagged());
    }

    /**
     * Ordinary lines the product itself sends (the browser test's reply, the group benchmark's
     * line): held at a lower chat threshold once, never again.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {"Good to hear, I will try it tonight", "Trying the journaling tip tonight"})
    void theProductsOwnOrdinaryLinesAreNotHeld(String line) {
        assertFalse(production.assess(line, List.of(), 0).flagged(), line);
    }

    @Test
    void theLearnedLayerCatchesWhatNoRuleNamesAndSaysSo() {
        String text = "I keep wishing my life would just stop";
        assertFalse(
                new CrisisDetector().assess(text, List.of(), -0.3).flagged(),
                "no rule should name this one");
        CrisisDetector.Result r = production.assess(text, List.of(), -0.3);
        assertTrue(r.flagged(), r.toString());
        assertEquals(java.util.Set.of(CrisisConcept.LEARNED), r.concepts());
        assertTrue(
                r.reasons().get(0).startsWith(CrisisConcept.LEARNED.label()),
                r.reasons().toString());
    }

    @Test
    void supportForSomeoneElseIsNotHeldByTheModel() {
        // second person, no first: a sentence about another person's crisis is the rules' to judge,
        // not the model's
        CrisisDetector.Result r =
                production.assess(
                        "please don't kill yourself, we are all here for you", List.of(), 0.2);
        assertFalse(r.concepts().contains(CrisisConcept.LEARNED), r.toString());
        assertTrue(
                CrisisDetector.sentences("one. two three four five. six seven eight nine ten")
                                .size()
                        <= CrisisDetector.MAX_SENTENCES);
    }

    @Test
    void conceptsAndReasonsNameWhatFired() {
        CrisisDetector.Result r =
                new CrisisDetector()
                        .assess("I have a plan and I've been saving up my pills", List.of(), -0.5);
        assertTrue(
                r.concepts().contains(CrisisConcept.PLAN)
                        || r.concepts().contains(CrisisConcept.PREPARATORY_ACTS),
                r.toString());
        assertTrue(r.severe());
        assertTrue(r.reasons().stream().anyMatch(s -> s.contains("pills")), r.reasons().toString());
    }

    @Test
    void aFallingMoodTurnsOneSignOfHopelessnessIntoAnAlert() {
        CrisisDetector d = new CrisisDetector();
        String text = "honestly it all feels hopeless";
        assertFalse(d.assess(text, List.of(0.4, 0.3, 0.2), -0.6).flagged(), "one cue, steady mood");
        assertFalse(d.assess(text, List.of(), -0.6).flagged(), "one cue, no history");
        CrisisDetector.Result r = d.assess(text, List.of(0.1, -0.2, -0.4, -0.5), -0.6);
        assertTrue(r.flagged());
        assertEquals(java.util.Set.of(CrisisConcept.HOPELESSNESS_TREND), r.concepts());
    }

    @Test
    void emptyAndOddTextIsNotACrisis() {
        CrisisDetector d = new CrisisDetector();
        for (String s :
                new String[] {"", "   ", "!!!", "😂😂😂", "\"\"", ",,,", "a".repeat(5_000)}) {
            assertFalse(d.assess(s, List.of(), 0).flagged(), s);
        }
    }
}
