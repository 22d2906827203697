package io.chakrai.lab.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.RunningStandardiser;
import io.chakrai.models.ml.SyntheticTables;
import io.chakrai.models.ml.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPipelineTest {

    /**
     * Six people; stress raises "hr" and lowers "rmssd", each person with their own offset; "noise"
     * is noise.
     */
    static FeatureTable synthetic(long seed) {
        return SyntheticTables.synthetic(seed);
    }

    @Test
    void aFoldNeverHasTheSamePersonInTrainingAndTest() {
        FeatureTable t = synthetic(1);
        for (String s : t.subjectIds()) {
            FeatureTable[] fold = LeaveOneSubjectOut.split(t, s);
            assertFalse(Arrays.asList(fold[0].subjects()).contains(s));
            assertTrue(Arrays.stream(fold[1].subjects()).allMatch(s::equals));
            assertEquals(t.y().length, fold[0].y().length + fold[1].y().length);
        }
    }

    @Test
    void metricsMatchHandCountedFigures() {
        int[] y = {1, 1, 0, 0, 0};
        double[] p = {0.9, 0.4, 0.6, 0.2, 0.1};
        Metrics m = Metrics.of(y, p, 0.5);
        assertEquals(1, m.tp());
        assertEquals(1, m.fn());
        assertEquals(1, m.fp());
        assertEquals(2, m.tn());
        assertEquals(0.6, m.accuracy(), 1e-12);
        assertEquals((0.5 + 2.0 / 3) / 2, m.balancedAccuracy(), 1e-12);
        assertEquals(0.5, m.f1(), 1e-12);
        // pairs (pos, neg) ranked right: 0.9 beats all 3; 0.4 beats 0.2 and 0.1 → 5 of 6
        assertEquals(5.0 / 6, m.auc(), 1e-12);
    }

    @Test
    void everyModelLearnsTheSignalOnPeopleItDidNotSee() {
        FeatureTable t = synthetic(2);
        for (ModelKind k : ModelKind.values()) {
            LeaveOneSubjectOut.Result r = LeaveOneSubjectOut.run(t, k, 7, msg -> {});
            assertTrue(r.pooled().auc() > 0.9, k + " auc " + r.pooled().auc());
            assertTrue(
                    r.meanBalancedAccuracy() > 0.8,
                    k + " balanced accuracy " + r.meanBalancedAccuracy());
        }
    }

    @Test
    void aSavedModelLoadsAndScoresIdentically() throws Exception {
        FeatureTable t = synthetic(3);
        TrainedModel m = LeaveOneSubjectOut.finalModel(t, ModelKind.RANDOM_FOREST, 11, 3);
        assertTrue(m.calibrated());
        TrainedModel back = TrainedModel.fromBytes(m.toBytes());
        assertArrayEquals(m.probabilities(t.x()), back.probabilities(t.x()), 0.0);
        assertEquals(m.features(), back.features());
        double[] imp = back.importance();
        assertTrue(
                imp[2] < imp[0] && imp[2] < imp[1],
                "noise is the least important: " + Arrays.toString(imp));
    }

    @Test
    void calibrationMakesConfidenceMeanWhatItSays() {
        FeatureTable t = synthetic(4);
        TrainedModel m = LeaveOneSubjectOut.finalModel(t, ModelKind.GRADIENT_BOOSTING, 5, 3);
        FeatureTable fresh = synthetic(40);
        double[] p = m.probabilities(fresh.x());
        double meanP = Arrays.stream(p).average().orElseThrow();
        double rate = Arrays.stream(fresh.y()).average().orElseThrow();
        assertEquals(
                rate, meanP, 0.06, "mean predicted probability ≈ observed stress rate on new data");
    }

    @Test
    void simulatedCortisolColumnsAreNeverFeatures(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("f.csv");
        Files.writeString(
                csv,
                "subject,label,hr_mean,cort_mean,cort_auc\nS2,2,80,9,9\nS2,1,70,1,1\nS3,4,60,1,1\n");
        FeatureTable t =
                FeatureTable.csv(csv, "subject", "label", Set.of("2"), Set.of("4"), Set.of());
        assertEquals(List.of("hr_mean"), t.features());
        assertArrayEquals(new int[] {1, 0}, t.y());
        assertEquals(64, t.dataHash().length());
    }

    @Test
    void perSubjectStandardisationCentresEachPersonOnTheirOwnRowsOnly() {
        double[][] x = {{60, 1}, {80, 1}, {100, Double.NaN}, {200, 5}, {220, 5}};
        FeatureTable t =
                new FeatureTable(
                                List.of("hr", "c"),
                                x,
                                new int[] {0, 1, 1, 0, 1},
                                new String[] {"A", "A", "A", "B", "B"},
                                "h")
                        .standardisedPerSubject();
        double sdA = Math.sqrt((400 + 0 + 400) / 3.0);
        assertEquals(-20 / sdA, t.x()[0][0], 1e-12);
        assertEquals(0, t.x()[1][0], 1e-12);
        assertEquals(-1, t.x()[3][0], 1e-12, "B is centred on B's mean, not everyone's");
        assertEquals(1, t.x()[4][0], 1e-12);
        assertEquals(0, t.x()[0][1], 1e-12, "a constant feature becomes 0");
        assertTrue(Double.isNaN(t.x()[2][1]), "missing stays missing");
        assertEquals(60, x[0][0], "the original table is untouched");
        assertEquals("h+per-subject-z", t.dataHash());
    }

    @Test
    void runningStandardisationUsesOnlyThePersonsEarlierRows() {
        java.util.Random r = new java.util.Random(4);
        int n = 40;
        double[][] x = new double[n][];
        String[] who = new String[n];
        for (int i = 0; i < n; i++) {
            // rows arrive shuffled; column 0 is the time
            x[i] = new double[] {(i * 17) % n, 70 + r.nextGaussian() * 5};
            who[i] = i % 2 == 0 ? "A" : "B";
        }
        FeatureTable t = new FeatureTable(List.of("t", "hr"), x, new int[n], who, "h");
        FeatureTable z = t.standardisedPerSubjectInTimeOrder("t");
        assertEquals(List.of("hr"), z.features());
        // the same numbers from a person's rows fed in time order, and unchanged by a later row
        java.util.List<Integer> a = new java.util.ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            a.add(i);
        }
        a.sort(java.util.Comparator.comparingDouble(i -> x[i][0]));
        RunningStandardiser s = new RunningStandardiser(1);
        for (int k = 0; k < a.size(); k++) {
            double want = s.addAndStandardise(new double[] {x[a.get(k)][1]})[0];
            assertEquals(want, z.x()[a.get(k)][0], 1e-12);
            if (k < RunningStandardiser.WARM_UP - 1) {
                assertEquals(0, want, "warm-up rows score as the mean");
            }
        }
        double[][] more = java.util.Arrays.copyOf(x, n + 1);
        more[n] = new double[] {1_000, 500};
        String[] moreWho = java.util.Arrays.copyOf(who, n + 1);
        moreWho[n] = "A";
        FeatureTable later =
                new FeatureTable(List.of("t", "hr"), more, new int[n + 1], moreWho, "h")
                        .standardisedPerSubjectInTimeOrder("t");
        for (int i = 0; i < n; i++) {
            assertEquals(
                    z.x()[i][0], later.x()[i][0], 1e-12, "row " + i + " must not see the future");
        }
        assertTrue(later.x()[n][0] > 3, "an outlier stands out against the person's past");
    }

    @Test
    void aFrozenBaselineLearnsFromThePersonsFirstRowsOnlySoLaterStressStandsOut() {
        RunningStandardiser frozen = new RunningStandardiser(1, 20);
        RunningStandardiser running = new RunningStandardiser(1);
        java.util.Random r = new java.util.Random(9);
        double zFrozen = 0;
        double zRunning = 0;
        for (int i = 0; i < 200; i++) {
            // 20 calm rows, then a long stretch 15 bpm higher: a running baseline absorbs it, a
            // frozen one does not
            double hr = (i < 20 ? 65 : 80) + r.nextGaussian();
            zFrozen = frozen.addAndStandardise(new double[] {hr})[0];
            zRunning = running.addAndStandardise(new double[] {hr})[0];
        }
        assertEquals(20, frozen.n[0]);
        assertTrue(zFrozen > 8, "still far above the calibration: " + zFrozen);
        assertTrue(zRunning < 1, "absorbed: " + zRunning);
    }

    @Test
    void theNestedSearchChoosesInsideEachFoldAndNeverPicksASettingThatDestroysTheSignal() {
        FeatureTable t = synthetic(21);
        // a penalty so large it flattens every weight, beside two sensible ones
        List<HyperParameters> grid =
                List.of(
                        new HyperParameters(0, 0, 0, 0, 0, 0, 1e7),
                        new HyperParameters(0, 0, 0, 0, 0, 0, 0.1),
                        new HyperParameters(0, 0, 0, 0, 0, 0, 1));
        LeaveOneSubjectOut.Result r =
                LeaveOneSubjectOut.run(t, ModelKind.LOGISTIC_REGRESSION, grid, 3, 1, m -> {});
        assertEquals(
                Set.copyOf(t.subjectIds()), r.chosen().keySet(), "a choice per held-out person");
        assertTrue(
                r.chosen().values().stream().noneMatch(h -> h.lambda() == 1e7),
                r.chosen().toString());
        assertTrue(r.meanAccuracy() > 0.8, "accuracy " + r.meanAccuracy());
        // the search on one fold's training people alone gives that fold's choice: the held-out
        // person had no say
        String s = t.subjectIds().get(0);
        assertEquals(
                r.chosen().get(s),
                LeaveOneSubjectOut.search(
                        LeaveOneSubjectOut.split(t, s)[0],
                        ModelKind.LOGISTIC_REGRESSION,
                        grid,
                        3,
                        1));
    }
}
