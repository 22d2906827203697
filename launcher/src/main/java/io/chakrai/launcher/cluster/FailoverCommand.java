package io.chakrai.launcher.cluster;

import io.chakrai.lab.bench.BenchResults;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./chakrai bench-failover}: starts the cluster, streams readings through both API instances
 * while killing TaskManagers and a Kafka broker (SIGKILL, each brought back), then checks the
 * counts and the predictions and prints every recovery's time. Loopback only; bounded in count.
 */
@Command(
        name = "bench-failover",
        mixinStandardHelpOptions = true,
        description =
                "Start the cluster and stream readings through both API instances while TaskManagers and a Kafka "
                        + "broker are killed with SIGKILL: exact row counts, predictions identical to an undisturbed run, recovery times.")
public final class FailoverCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Mixin BenchResults.Option results = new BenchResults.Option();

    @Option(
            names = "--readings",
            defaultValue = "1000000",
            description = "readings in all (default: ${DEFAULT-VALUE})")
    long readings;

    @Option(
            names = "--people",
            defaultValue = "100",
            description = "simulated wearers (default: ${DEFAULT-VALUE})")
    int people;

    @Option(
            names = "--taskmanager-kills",
            defaultValue = "3",
            description = "(default: ${DEFAULT-VALUE})")
    int taskManagerKills;

    @Option(
            names = "--broker-kills",
            defaultValue = "1",
            description = "(default: ${DEFAULT-VALUE})")
    int brokerKills;

    @Option(
            names = "--clients",
            defaultValue = "8",
            description = "concurrent HTTP clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--broker-down-s",
            defaultValue = "15",
            description =
                    "how long a killed broker stays down before it is brought back (default: ${DEFAULT-VALUE})")
    int brokerDownSeconds;

    @Option(
            names = "--rate",
            defaultValue = "4000",
            description =
                    "readings a second, so the stream outlasts the failures; 0: as fast as the cluster takes them "
                            + "(default: ${DEFAULT-VALUE})")
    int rate;

    @Override
    public Integer call() throws Exception {
        if (readings > 5_000_000) {
            System.err.println(
                    "--readings is bounded at 5,000,000 (a load test on loopback, not a flood)");
            return 2;
        }
        FailoverRun.Plan plan =
                new FailoverRun.Plan(
                        readings,
                        people,
                        taskManagerKills,
                        brokerKills,
                        clients,
                        java.time.Duration.ofSeconds(brokerDownSeconds),
                        rate);
        FailoverRun.Result r;
        try (LocalCluster c = LocalCluster.start(cluster.settings(Map.of()))) {
            System.out.println(c.summary());
            r = new FailoverRun(c, plan).run();
        }
        print(r);
        results.append(
                "bench-failover",
                BenchResults.kv(
                        "readings",
                        readings,
                        "people",
                        people,
                        "taskmanager_kills",
                        taskManagerKills,
                        "broker_kills",
                        brokerKills,
                        "broker_down_s",
                        brokerDownSeconds,
                        "clients",
                        clients,
                        "rate",
                        rate),
                BenchResults.kv(
                        "posted",
                        r.posted(),
                        "stored",
                        r.stored(),
                        "retried_requests",
                        r.retried(),
                        "stream_s",
                        r.streamS(),
                        "kills_inside_stream",
                        r.killsInsideStream(),
                        "all_stored_s",
                        r.storedS(),
                        "predictions",
                        r.livePredictions(),
                        "undisturbed_predictions",
                        r.referencePredictions(),
                        "differences",
                        r.differences().size(),
                        "recoveries",
                        r.recoveries().stream()
                                .map(x -> x.what() + ":" + Math.round(x.recoveredS() * 10) / 10.0)
                                .toList()
                                .toString()
                                .replace(" ", "")));
        boolean cross =
                r.crossInstance().stream().noneMatch(s -> s.contains(": 0 stress_prediction"));
        return r.exact() && r.identical() && cross ? 0 : 1;
    }

    static void print(FailoverRun.Result r) {
        System.out.println();
        System.out.printf(
                "posted %,d readings through the API instances in %.1f s (%d requests retried); all in PostgreSQL "
                        + "after %.1f s%n",
                r.posted(), r.streamS(), r.retried(), r.storedS());
        System.out.printf(
                "biometric_readings: %,d rows for %,d posted — %s%n",
                r.stored(), r.posted(), r.exact() ? "exact" : "NOT EXACT");
        for (FailoverRun.Recovery x : r.recoveries()) {
            boolean broker = x.what().startsWith("kafka");
            System.out.printf(
                    "  %-16s killed -9 at reading %,d: %s after %.1f s; %s after %.1f s; %s after %.1f s%n",
                    x.what(),
                    x.atReading(),
                    broker ? "dropped by the controller" : "a job failing over",
                    x.noticedS(),
                    broker ? "restarted and listed again" : "restarted and registered again",
                    x.backS(),
                    broker ? "every replica in sync" : "every job running again",
                    x.recoveredS());
        }
        System.out.printf(
                "stress predictions: %d from the running job, %d from an undisturbed run of the same input — %s%n",
                r.livePredictions(),
                r.referencePredictions(),
                r.identical() ? "identical" : r.differences().size() + " differ");
        r.differences().stream().limit(10).forEach(d -> System.out.println("  " + d));
        r.crossInstance().forEach(s -> System.out.println("socket: " + s));
    }
}
