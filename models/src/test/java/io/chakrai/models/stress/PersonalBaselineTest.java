package io.chakrai.models.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kept-sorted statistics equal sorting the ring on every question, through filling, forgetting
 * and restoring.
 */
class PersonalBaselineTest {
    @Test
    void sameStatisticsAsSortingTheWholeRing() {
        Random random = new Random(7);
        PersonalBaseline b = new PersonalBaseline();
        double[] hrs = new double[PersonalBaseline.CAPACITY * 3 + 17];
        for (int i = 0; i < hrs.length; i++) {
            // whole beats, so ties are common, as they are in minute means of a steady day
            hrs[i] = 55 + random.nextInt(30) + (i > 2_000 ? 8 : 0);
            b.addCalm(hrs[i], hrs[i] / 2);
            b.addCalmEda(hrs[i] / 30);
            if (i % 97 == 0 || i < 40) {
                double[] window =
                        Arrays.copyOfRange(
                                hrs, Math.max(0, i + 1 - PersonalBaseline.CAPACITY), i + 1);
                int n = i + 1;
                double w = n / (n + PersonalBaseline.PRIOR_WEIGHT);
                assertEquals(
                        w * median(window) + (1 - w) * PersonalBaseline.PRIOR_HR,
                        b.restingHr(),
                        1e-9,
                        "after " + n);
                if (n >= 2) {
                    double sd =
                            Math.max(
                                    PersonalBaseline.MIN_HR_SD,
                                    w * 1.4826 * mad(window)
                                            + (1 - w) * PersonalBaseline.PRIOR_HR_SD);
                    assertEquals(sd, b.hrSd(), 1e-9, "after " + n);
                }
                if (n >= PersonalBaseline.EDA_MIN_MINUTES) {
                    double[] eda = Arrays.stream(window).map(x -> x / 30).toArray();
                    double z =
                            (3 - median(eda))
                                    / Math.max(PersonalBaseline.MIN_EDA_SD, 1.4826 * mad(eda));
                    assertEquals(z, b.edaZ(3), 1e-9, "after " + n);
                }
            }
        }
    }

    @Test
    void stateFromBeforeTheSortedCopiesRestoresTheSame() {
        PersonalBaseline b = new PersonalBaseline();
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            b.addCalm(60 + random.nextGaussian() * 5, 40 + random.nextGaussian() * 10);
        }
        double hr = b.restingHr();
        double sd = b.rmssdSd();
        PersonalBaseline old = new PersonalBaseline();
        old.hr = b.hr.clone();
        old.hrCount = b.hrCount;
        old.rmssd = b.rmssd.clone();
        old.rmssdCount = b.rmssdCount;
        assertEquals(hr, old.restingHr(), 0);
        assertEquals(sd, old.rmssdSd(), 0);
        b.addCalm(90, 10);
        old.addCalm(90, 10);
        assertEquals(b.restingHr(), old.restingHr(), 0);
        assertEquals(b.hrSd(), old.hrSd(), 0);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double mad(double[] values) {
        double m = median(values);
        return median(Arrays.stream(values).map(x -> Math.abs(x - m)).toArray());
    }
}
