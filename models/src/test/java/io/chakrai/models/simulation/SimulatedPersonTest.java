package io.chakrai.models.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.readings.DataType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedPersonTest {
    private static final Instant T0 = Instant.parse("2026-05-04T09:00:00Z");

    /** Mean of one data type over a scripted period, after a settling time. */
    private static double mean(SimulatedPerson p, Activity a, DataType type, Instant from) {
        p.startActivity(a, from, Duration.ofMinutes(20));
        List<Double> values = new ArrayList<>();
        for (int s = 0; s < 20 * 60; s += 5) {
            for (SimulatedPerson.Sample x : p.step(from.plusSeconds(s))) {
                if (x.type() == type && s > 8 * 60) {
                    values.add(x.value());
                }
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void stressRaisesHeartRateAndSuppressesHrvWhileExerciseAlsoRaisesSteps() {
        SimulatedPerson p = new SimulatedPerson(7, 0.2, T0);
        double restHr = mean(p, Activity.REST, DataType.HEART_RATE, T0);
        double stressHr = mean(p, Activity.STRESS, DataType.HEART_RATE, T0.plusSeconds(1_200));
        double exerciseHr = mean(p, Activity.EXERCISE, DataType.HEART_RATE, T0.plusSeconds(2_400));
        assertTrue(stressHr > restHr + 12, restHr + " -> " + stressHr);
        assertTrue(exerciseHr > stressHr + 20, stressHr + " -> " + exerciseHr);

        double restHrv = mean(p, Activity.REST, DataType.HRV, T0.plusSeconds(3_600));
        double stressHrv = mean(p, Activity.STRESS, DataType.HRV, T0.plusSeconds(4_800));
        assertTrue(stressHrv < restHrv * 0.8, restHrv + " -> " + stressHrv);

        double stressSteps = mean(p, Activity.STRESS, DataType.STEPS, T0.plusSeconds(6_000));
        double exerciseSteps = mean(p, Activity.EXERCISE, DataType.STEPS, T0.plusSeconds(7_200));
        assertEquals(0, stressSteps);
        assertTrue(exerciseSteps > 100);
    }

    @Test
    void everyGeneratedValueIsInsideItsTypesAcceptedRange() {
        SimulatedPerson p = new SimulatedPerson(11, 0.3, T0);
        for (int s = 0; s < 48 * 3600; s += 5) {
            for (SimulatedPerson.Sample x : p.step(T0.plusSeconds(s))) {
                assertTrue(
                        x.value() >= x.type().min() && x.value() <= x.type().max(), x.toString());
            }
        }
    }

    @Test
    void theSameSeedReplaysTheSameReadings() {
        SimulatedPerson a = new SimulatedPerson(3, 0.2, T0);
        SimulatedPerson b = new SimulatedPerson(3, 0.2, T0);
        for (int s = 0; s < 7200; s += 5) {
            assertEquals(a.step(T0.plusSeconds(s)), b.step(T0.plusSeconds(s)));
        }
    }

    /**
     * The skin conductance features of the last ten minutes of 20 scripted minutes of an activity.
     */
    private static io.chakrai.models.stress.EdaFeatures skin(
            SimulatedPerson p, Activity a, Instant from) {
        p.startActivity(a, from, Duration.ofMinutes(20));
        List<Long> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int s = 5; s <= 20 * 60; s += 5) {
            for (SimulatedPerson.Sample x : p.step(from.plusSeconds(s))) {
                if (x.type() == DataType.EDA && s > 10 * 60) {
                    t.add(x.timestamp().toEpochMilli());
                    v.add(x.value());
                }
            }
        }
        return io.chakrai.models.stress.EdaFeatures.of(
                t.stream().mapToLong(Long::longValue).toArray(),
                v.stream().mapToDouble(Double::doubleValue).toArray(),
                10 * 60_000L);
    }

    @Test
    void skinConductanceRisesWithMoreResponsesUnderStressAndOnlyWhenMeasured() {
        SimulatedPerson p = new SimulatedPerson(3, 0, T0).measuringEda();
        var rest = skin(p, Activity.REST, T0);
        var stress = skin(p, Activity.STRESS, T0.plusSeconds(20 * 60));
        assertTrue(stress.tonic() > rest.tonic() * 1.15, rest + " vs " + stress);
        assertTrue(stress.scrPerMinute() > rest.scrPerMinute() * 2, rest + " vs " + stress);
        assertTrue(rest.scrPerMinute() > 0.3 && rest.scrPerMinute() < 4, rest.toString());
        SimulatedPerson without = new SimulatedPerson(3, 0, T0);
        assertTrue(
                without.step(T0.plusSeconds(5)).stream().noneMatch(x -> x.type() == DataType.EDA));
        // the other signals replay exactly as without skin conductance
        without = new SimulatedPerson(3, 0, T0);
        SimulatedPerson with = new SimulatedPerson(3, 0, T0).measuringEda();
        for (int s = 5; s < 3600; s += 5) {
            List<SimulatedPerson.Sample> a = without.step(T0.plusSeconds(s));
            List<SimulatedPerson.Sample> b =
                    with.step(T0.plusSeconds(s)).stream()
                            .filter(x -> x.type() != DataType.EDA)
                            .toList();
            assertEquals(a, b);
        }
    }
}
