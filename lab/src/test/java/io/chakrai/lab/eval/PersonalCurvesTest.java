package io.chakrai.lab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.stress.EpisodeThresholds;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The personal model's learning curve on Stress-Predict (34 people, questions at the detector's episodes and random
 * check-ins, answers truthful, priors fitted on the others, the variant chosen on the others): the figures
 * docs/features.md quotes.
 */
class PersonalCurvesTest {
    @Test
    void answersCutFalseAlarmsButTheSignalsCapStressPredictFarBelowTheTarget() {
        Assumptions.assumeTrue(Files.isDirectory(StressReplayTest.DATA), "shared data not beside the checkout");
        List<StressPredictReplay.Subject> people;
        try {
            people = StressPredictReplay.load(StressReplayTest.DATA);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        PersonalCurvesCommand.Curves c = PersonalCurvesCommand.compute(people, PersonalCurves.Asking.ASKED, 0, 42, i -> { });
        // k = 0 is exactly today's detector: the live defaults, nothing personal
        StressPredictReplay.Counts[] today = people.stream()
                .map(p -> StressPredictReplay.replay(p, EpisodeThresholds.DEFAULT)).toArray(StressPredictReplay.Counts[]::new);
        for (int h = 0; h < people.size(); h++) {
            assertEquals(today[h], c.nested()[0][h], "person " + people.get(h).id());
        }
        assertEquals(0.572, PersonalCurvesCommand.mean(c.nested()[0]), 0.001);
        assertEquals(2.14, PersonalCurvesCommand.pool(c.nested()[0]).falseAlarmsPerRestHour(), 0.01);
        // ten answers: false alarms per rest hour cut to a fifth, balanced accuracy held
        int k10 = 3;
        assertEquals(10, PersonalCurvesCommand.KS[k10]);
        assertEquals(0.568, PersonalCurvesCommand.mean(c.nested()[k10]), 0.001);
        assertEquals(0.39, PersonalCurvesCommand.pool(c.nested()[k10]).falseAlarmsPerRestHour(), 0.01);
        // nobody's answered minutes are scored
        for (int h = 0; h < people.size(); h++) {
            PersonalCurves.Replayed r = c.replays()[c.chosen()[h]][k10][h];
            long scoredSeconds = r.counts().tp() + r.counts().fp() + r.counts().tn() + r.counts().fn();
            long answeredSeconds = 0;
            for (int i = 0; i < r.answered().length; i++) {
                answeredSeconds += r.answered()[i] ? people.get(h).secondLabels().get(i).length : 0;
            }
            long allSeconds = people.get(h).secondLabels().stream().mapToLong(l -> l.length).sum();
            assertEquals(allSeconds, scoredSeconds + answeredSeconds);
            assertTrue(r.answers() <= 10);
        }
        // the bound no number of answers beats with these signals
        assertEquals(0.662, PersonalCurvesCommand.mean(c.ceilingEpisodes()), 0.001);
        assertEquals(0.719, PersonalCurvesCommand.mean(c.ceilingMinutes()), 0.001);
        assertEquals(0, PersonalCurvesCommand.reaching(c.ceilingEpisodes()));
        // the live job's prior is what all 34 people give, and the variant the live job uses is the one the others chose
        org.junit.jupiter.api.Assertions.assertArrayEquals(io.chakrai.models.stress.PersonalModel.POPULATION,
                PersonalCurves.population(people, EpisodeThresholds.DEFAULT), 0.001);
        int live = PersonalCurvesCommand.VARIANTS.indexOf(new PersonalCurves.Variant(
                io.chakrai.models.stress.PersonalModel.LIVE.strength(), io.chakrai.models.stress.PersonalModel.LIVE.biasOnly()));
        long choosingLive = java.util.Arrays.stream(c.chosen()).filter(v -> v == live).count();
        assertTrue(choosingLive >= 30, choosingLive + " of 34 chose the live variant");
    }
}
