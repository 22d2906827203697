package io.chakrai.lab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.stress.EpisodeThresholds;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The personal model's learning curve on Stress-Predict (34 people, questions at the detector's
 * episodes and random check-ins in the first half of each session, answers truthful, priors fitted
 * on the others, the variant chosen on the others, every k scored on the second half): the figures
 * docs/features.md quotes.
 */
class PersonalCurvesITCase {
    @Test
    void answersHalveFalseAlarmsButTheSignalsCapStressPredictFarBelowTheTarget() {
        Assumptions.assumeTrue(
                Files.isDirectory(StressReplayTest.DATA), "shared data not beside the checkout");
        List<StressPredictReplay.Subject> people;
        try {
            people = StressPredictReplay.load(StressReplayTest.DATA);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        PersonalCurvesCommand.Curves c =
                PersonalCurvesCommand.compute(people, PersonalCurves.Asking.ASKED, 0, 42, i -> {});
        kZeroIsTodaysDetector(people, c);
        assertEquals(0.598, PersonalCurvesCommand.mean(c.nested()[0]), 0.001);
        assertEquals(
                2.34, PersonalCurvesCommand.pool(c.nested()[0]).falseAlarmsPerRestHour(), 0.01);
        // the population's model alone, before any answer: part of what answers seem to do is this
        // switch
        assertEquals(0.617, PersonalCurvesCommand.mean(c.populationFromStart()), 0.001);
        assertEquals(
                1.76,
                PersonalCurvesCommand.pool(c.populationFromStart()).falseAlarmsPerRestHour(),
                0.01);
        // up to ten answers (7.2 given on average in the first half hour): false alarms halved
        // again, balanced accuracy held
        int k10 = 3;
        assertEquals(10, PersonalCurvesCommand.KS[k10]);
        assertEquals(0.600, PersonalCurvesCommand.mean(c.nested()[k10]), 0.001);
        assertEquals(
                0.84, PersonalCurvesCommand.pool(c.nested()[k10]).falseAlarmsPerRestHour(), 0.01);
        // every k is scored on the same minutes, the second half, and no answered minute is among
        // them
        for (int h = 0; h < people.size(); h++) {
            int from = (int) Math.round(people.get(h).minutes().size() * PersonalCurves.SPLIT);
            long secondHalf =
                    people
                            .get(h)
                            .secondLabels()
                            .subList(from, people.get(h).minutes().size())
                            .stream()
                            .mapToLong(l -> l.length)
                            .sum();
            for (int k = 0; k < PersonalCurvesCommand.KS.length; k++) {
                PersonalCurves.Replayed r = c.replays()[c.chosen()[h]][k][h];
                assertEquals(
                        secondHalf,
                        r.counts().tp() + r.counts().fp() + r.counts().tn() + r.counts().fn());
                for (int i = from; i < r.answered().length; i++) {
                    assertTrue(!r.answered()[i], "an answered minute in the scored half");
                }
                assertTrue(r.answers() <= PersonalCurvesCommand.KS[k]);
            }
        }
        // the bound no number of answers beats with these signals
        assertEquals(0.701, PersonalCurvesCommand.mean(c.ceilingEpisodes()), 0.001);
        assertEquals(0.719, PersonalCurvesCommand.mean(c.ceilingMinutes()), 0.001);
        assertEquals(4, PersonalCurvesCommand.reaching(c.ceilingEpisodes()));
        // the live job's prior is what all 34 people give, and the variant the live job uses is the
        // one the others chose
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                io.chakrai.models.stress.PersonalModel.POPULATION,
                PersonalCurves.population(people, EpisodeThresholds.DEFAULT),
                0.001);
        int live =
                PersonalCurvesCommand.VARIANTS.indexOf(
                        new PersonalCurves.Variant(
                                io.chakrai.models.stress.PersonalModel.LIVE.strength(),
                                io.chakrai.models.stress.PersonalModel.LIVE.biasOnly()));
        long choosingLive = java.util.Arrays.stream(c.chosen()).filter(v -> v == live).count();
        assertTrue(choosingLive >= 30, choosingLive + " of 34 chose the live variant");
    }

    /**
     * WESAD's wrist windows as minutes (15 people, one block of each condition): answers from the
     * baseline and the first half of each later block, scored on the second halves, the baseline
     * never scored — the figures docs/features.md quotes.
     */
    @Test
    void onWesadAFewAnswersLiftTheDetectorAlittleAndTheSignalsCouldCarryMore() throws Exception {
        Assumptions.assumeTrue(
                Files.isRegularFile(WesadReplayTest.DATA), "shared data not beside the checkout");
        List<StressPredictReplay.Subject> people = WesadMinutes.load(WesadReplayTest.DATA);
        assertEquals(15, people.size());
        PersonalCurvesCommand.Curves c =
                PersonalCurvesCommand.compute(people, PersonalCurves.Asking.ASKED, 0, 42, i -> {});
        kZeroIsTodaysDetector(people, c);
        for (int h = 0; h < people.size(); h++) {
            StressPredictReplay.Subject s = people.get(h);
            long scored = 0;
            for (int i = 0; i < s.minutes().size(); i++) {
                scored += s.scored()[i] ? s.secondLabels().get(i).length : 0;
            }
            for (int k = 0; k < PersonalCurvesCommand.KS.length; k++) {
                PersonalCurves.Replayed r = c.replays()[c.chosen()[h]][k][h];
                assertEquals(
                        scored,
                        r.counts().tp() + r.counts().fp() + r.counts().tn() + r.counts().fn(),
                        "every k scored on the same seconds");
                for (int i = 0; i < s.minutes().size(); i++) {
                    assertTrue(!(r.answered()[i] && s.scored()[i]), "a scored minute answered");
                    assertTrue(!r.answered()[i] || s.answerable()[i], "an unanswerable one");
                }
            }
        }
        assertEquals(0.872, PersonalCurvesCommand.mean(c.nested()[0]), 0.001);
        assertEquals(
                0.77, PersonalCurvesCommand.pool(c.nested()[0]).falseAlarmsPerRestHour(), 0.01);
        assertEquals(0.880, PersonalCurvesCommand.mean(c.populationFromStart()), 0.001);
        assertEquals(0.905, PersonalCurvesCommand.mean(c.nested()[3]), 0.001);
        assertEquals(
                1.15, PersonalCurvesCommand.pool(c.nested()[3]).falseAlarmsPerRestHour(), 0.01);
        assertEquals(1.000, PersonalCurvesCommand.mean(c.ceilingEpisodes()), 0.001);
    }

    /** k = 0 is exactly today's detector: the live defaults, nothing personal, minute by minute. */
    static void kZeroIsTodaysDetector(
            List<StressPredictReplay.Subject> people, PersonalCurvesCommand.Curves c) {
        for (int h = 0; h < people.size(); h++) {
            boolean[][] today = StressPredictReplay.flags(people.get(h), EpisodeThresholds.DEFAULT);
            boolean[] replayed = c.replays()[c.chosen()[h]][0][h].detected();
            for (int i = 0; i < today.length; i++) {
                assertEquals(
                        today[i][0], replayed[i], "person " + people.get(h).id() + " minute " + i);
            }
        }
    }
}
