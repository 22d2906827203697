package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrisisChatModelTest {
    private static float[] unit(Random r, int dims) {
        float[] v = new float[dims];
        double n = 0;
        for (int k = 0; k < dims; k++) {
            v[k] = (float) r.nextGaussian();
            n += v[k] * v[k];
        }
        for (int k = 0; k < dims; k++) {
            v[k] /= (float) Math.sqrt(n);
        }
        return v;
    }

    @Test
    void aStoredModelScoresAsTheFittedOneToWithinItsQuantisation() {
        Random r = new Random(7);
        float[][] vectors = new float[50][];
        double[] weights = new double[50];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = unit(r, 384);
            weights[i] = r.nextGaussian();
        }
        CrisisChatModel fitted = new CrisisChatModel(vectors, weights, -0.3, 0.7, 0.4, null);
        CrisisChatModel stored = CrisisChatModel.read(fitted.write(null));
        assertEquals(50, stored.supportVectors());
        assertEquals(0.4, stored.threshold());
        for (int i = 0; i < 20; i++) {
            float[] x = i < 10 ? vectors[i] : unit(r, 384);
            assertEquals(fitted.probability(x), stored.probability(x), 2e-3, "message " + i);
        }
    }

    @Test
    void aSupportVectorPullsItsNeighboursTowardsItsSide() {
        Random r = new Random(3);
        float[] crisis = unit(r, 384);
        float[] calm = unit(r, 384);
        CrisisChatModel m =
                new CrisisChatModel(
                        new float[][] {crisis, calm}, new double[] {2, -2}, 0, 0.7, 0.5, null);
        assertTrue(m.probability(crisis) > 0.8, "at a crisis vector");
        assertTrue(m.probability(calm) < 0.2, "at a calm vector");
        assertEquals(0.5, m.probability(unit(r, 384)), 0.05, "far from both: the intercept alone");
    }

    @Test
    void weightsMustMatchTheVectors() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new CrisisChatModel(new float[2][384], new double[1], 0, 0.7, 0.5, null));
    }
}
