package io.chakrai.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.lab.bench.BenchComparison.Direction;
import io.chakrai.lab.bench.BenchComparison.Run;
import io.chakrai.lab.bench.BenchComparison.Verdict;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BenchComparisonTest {
    static Run run(String benchmark, String settings, String figures) {
        return Run.parse(
                String.join("\t", "2026-12-06T00:00:00Z", "abc", benchmark, settings, figures));
    }

    static Map<String, Verdict> byFigure(List<Verdict> v) {
        return v.stream().collect(Collectors.toMap(Verdict::figure, x -> x));
    }

    @Test
    void aFigureWorseThanTheMedianByMoreThanTheSpreadIsARegressionEitherWay() {
        List<Run> runs =
                List.of(
                        run("bench-groups", "groups=1000", "p99_ms=100;sent_per_s=200"),
                        run("bench-groups", "groups=1000", "p99_ms=120;sent_per_s=198"),
                        run("bench-groups", "groups=1000", "p99_ms=110;sent_per_s=202"),
                        run("bench-groups", "groups=1000", "p99_ms=145;sent_per_s=170"));
        Map<String, Verdict> v = byFigure(BenchComparison.compare(runs, 3));
        Verdict p99 = v.get("p99_ms");
        assertEquals(110, p99.median());
        assertEquals(3, p99.earlier());
        assertTrue(
                p99.regression(),
                "145 is 35 above a median of 110 whose runs deviate 10 from it (twice: 20)");
        assertTrue(
                v.get("sent_per_s").regression(),
                "170 is 30 below 200; the spread is 4, a tenth is 20");
    }

    @Test
    void withinTheSpreadOrBetterIsNoRegression() {
        List<Run> runs =
                List.of(
                        run("bench", "clients=4", "p99_ms=100;durable_per_s=50000"),
                        run("bench", "clients=4", "p99_ms=300;durable_per_s=52000"),
                        run("bench", "clients=4", "p99_ms=200;durable_per_s=51000"),
                        run("bench", "clients=4", "p99_ms=380;durable_per_s=90000"));
        Map<String, Verdict> v = byFigure(BenchComparison.compare(runs, 3));
        assertFalse(
                v.get("p99_ms").regression(),
                "380 is 180 above 200 and the runs deviate 100 from it (twice: 200)");
        assertFalse(v.get("durable_per_s").regression(), "higher is better");
    }

    @Test
    void onlyRunsWithTheSameSettingsCountAndOnlyTheLastThree() {
        List<Run> runs =
                List.of(
                        run("bench", "clients=4", "lost=5"),
                        run("bench", "clients=4", "lost=0"),
                        run("bench", "clients=8", "lost=9"),
                        run("bench", "clients=4", "lost=0"),
                        run("bench", "clients=4", "lost=0"),
                        run("bench", "clients=4", "lost=1"));
        Verdict lost = BenchComparison.compare(runs, 5).get(0);
        assertEquals(3, lost.earlier());
        assertEquals(
                0, lost.max(), "the run of 5 is four runs back, the run of 9 had other settings");
        assertTrue(lost.regression(), "one lost reading where none were is worse, however small");
    }

    @Test
    void aFirstRunIsABaselineAndUnjudgedFiguresAreShownOnly() {
        List<Run> runs =
                List.of(
                        run("bench-groups", "groups=1", "api_cores=1.5;recoveries=[a:1]"),
                        run("bench-groups", "groups=1", "api_cores=1.9"));
        List<Verdict> first = BenchComparison.compare(runs.subList(0, 1), 0);
        assertEquals(1, first.size(), "a list is not a figure");
        assertEquals(0, first.get(0).earlier());
        assertTrue(first.get(0).line().contains("no earlier run"));
        Verdict cores = BenchComparison.compare(runs, 1).get(0);
        assertEquals(Direction.NOT_JUDGED, cores.direction());
        assertFalse(cores.regression());
    }

    @Test
    void theFiguresOfEveryBenchmarkHaveADirection() {
        for (String f :
                List.of(
                        "p50_ms",
                        "catch_up_s",
                        "errors",
                        "lost",
                        "doubled",
                        "differences",
                        "rss_kb_per_socket")) {
            assertEquals(Direction.LOWER_IS_BETTER, BenchComparison.direction(f), f);
        }
        for (String f :
                List.of(
                        "durable_per_s",
                        "delivered_per_s",
                        "durable_over_ceiling",
                        "answered",
                        "stored",
                        "undisturbed_predictions")) {
            assertEquals(Direction.HIGHER_IS_BETTER, BenchComparison.direction(f), f);
        }
    }

    @Test
    void withFewerThanThreeEarlierRunsTheSpreadIsUnknownAndNothingIsARegression() {
        List<Run> runs =
                List.of(
                        run("bench-content", "requests=50", "story_p99_ms=100"),
                        run("bench-content", "requests=50", "story_p99_ms=110"),
                        run("bench-content", "requests=50", "story_p99_ms=400"));
        Verdict v = BenchComparison.compare(runs, 2).get(0);
        assertEquals(2, v.earlier());
        assertFalse(v.regression());
        assertTrue(v.line().contains("spread not known yet"), v.line());
    }

    @Test
    void oneBadRunAmongTheLastThreeDoesNotOpenTheGateForAReturnToIt() {
        List<Run> runs =
                List.of(
                        run("bench-groups", "groups=1000", "p99_ms=155;ceiling_per_s=110000"),
                        run("bench-groups", "groups=1000", "p99_ms=3186;ceiling_per_s=105000"),
                        run("bench-groups", "groups=1000", "p99_ms=452;ceiling_per_s=112000"),
                        run("bench-groups", "groups=1000", "p99_ms=3000;ceiling_per_s=80000"));
        Map<String, Verdict> v = byFigure(BenchComparison.compare(runs, 3));
        assertTrue(
                v.get("p99_ms").regression(),
                "3,000 against a median of 452 whose typical deviation is 297");
        assertFalse(
                v.get("ceiling_per_s").regression(),
                "the machine's own ceiling is shown, not judged");
    }
}
