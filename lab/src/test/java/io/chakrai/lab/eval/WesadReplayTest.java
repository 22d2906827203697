package io.chakrai.lab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.stress.EpisodeThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * WESAD's wrist windows through a model trained on the other people and the live episode rule: the
 * windows score as `train` says (0.924 for the calibrated logistic regression with a 120-window
 * calibration period), and the episode rule turns them into 0.820 balanced accuracy with under one
 * false alarm per hour of baseline and amusement.
 */
class WesadReplayTest {
    static final Path DATA =
            Path.of("..", "..", "shared", "data", "wesad-wrist-features", "features.csv");

    @Test
    void theEpisodeRuleStartsOnTheThirdStressMinuteAndEndsOnTheFirstCalmOne() {
        TreeMap<Long, double[]> minutes = new TreeMap<>();
        for (long m = 0; m < 12; m++) {
            boolean stress = m >= 4 && m < 9; // minutes 4..8 labelled stress (12 windows each)
            double p = m >= 5 && m < 10 ? 0.9 : 0.1; // the model one minute late
            minutes.put(m, new double[] {p * 12, 12, stress ? 12 : 0});
        }
        StressReport.Person p = WesadReplay.episodes("x", minutes, EpisodeThresholds.DEFAULT);
        // p ≥ 0.5 from minute 5: the third in a row is minute 7, the episode runs to minute 9
        assertArrayEquals(
                new boolean[] {
                    false, false, false, false, false, false, false, true, true, true, false, false
                },
                p.detected());
        assertEquals(24, p.counts().tp(), "minutes 7 and 8");
        assertEquals(36, p.counts().fn(), "minutes 4 to 6");
        assertEquals(12, p.counts().fp(), "minute 9");
        assertEquals(0, p.counts().falseAlarms(), "the onset came in a stress minute");
        assertEquals(7 * 12 * 5 / 3600.0, p.counts().restHours(), 1e-9);
    }

    @Test
    void wesadWristThroughTheEpisodeRuleLeaveOneSubjectOut() throws Exception {
        Assumptions.assumeTrue(Files.exists(DATA), "shared data not beside the checkout");
        WesadReplay.Result r =
                WesadReplay.run(
                        DATA,
                        ModelKind.LOGISTIC_REGRESSION,
                        120,
                        EpisodeThresholds.DEFAULT,
                        42,
                        s -> {});
        assertEquals(15, r.people().size());
        assertEquals(0.924, r.meanWindowAccuracy(), 0.003);
        assertEquals(0.820, r.meanBalancedAccuracy(), 0.005);
        assertTrue(
                r.pooled().falseAlarmsPerRestHour() < 1,
                "false alarms per rest hour " + r.pooled().falseAlarmsPerRestHour());
        String html = StressReport.html("wesad", "15 people", r.people());
        assertEquals(15, html.split("class=\"person\"", -1).length - 1);
    }
}
