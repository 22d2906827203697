package io.chakrai.launcher;

import io.chakrai.embedded.Ports;
import io.chakrai.lab.bench.ApiFuzzer;
import io.chakrai.lab.bench.AssessLatencyBenchmark;
import io.chakrai.lab.bench.ContentLatencyBenchmark;
import io.chakrai.lab.bench.IngestBenchmark;
import io.chakrai.lab.bench.StressLatencyBenchmark;
import io.chakrai.lab.eval.EvaluateStress;
import io.chakrai.lab.ml.ModelsCommand;
import io.chakrai.lab.ml.TrainCommand;
import io.chakrai.lab.ml.TransferCommand;
import io.chakrai.lab.voice.VoiceFeaturesCommand;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code chakrai run} (the whole system in one process), the operator's commands ({@code
 * deploy-job}, {@code reassess}), and the lab's commands for data scientists and benchmarks, so one
 * script runs them all.
 */
@Command(
        name = "chakrai",
        mixinStandardHelpOptions = true,
        version = "chakrai 0.1.0",
        description = "Chakrai analytics for mental-health wearables.",
        subcommands = {
            Main.Run.class,
            DeployJobCommand.class,
            ReassessCommand.class,
            GrantRoleCommand.class,
            IngestBenchmark.class,
            StressLatencyBenchmark.class,
            AssessLatencyBenchmark.class,
            ApiFuzzer.class,
            EvaluateStress.class,
            io.chakrai.lab.eval.PersonalCurvesCommand.class,
            TrainCommand.class,
            ModelsCommand.class,
            io.chakrai.lab.ml.SimulateMinutesCommand.class,
            TransferCommand.class,
            VoiceFeaturesCommand.class,
            BenchGroupsCommand.class,
            BenchAllCommand.class,
            ContentLatencyBenchmark.class,
            io.chakrai.lab.crisis.CrisisSplitCommand.class,
            io.chakrai.lab.crisis.CrisisTrainCommand.class,
            io.chakrai.lab.crisis.CrisisEvaluateCommand.class,
            io.chakrai.launcher.cluster.ClusterCommand.class,
            io.chakrai.launcher.cluster.FailoverCommand.class,
            ImportCommand.class,
            SampleExportCommand.class,
            io.chakrai.lab.bench.ImportBenchmark.class
        })
public final class Main implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new Main())
                        .execute(args.length == 0 ? new String[] {"run"} : args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description =
                    "Start PostgreSQL, Kafka, Flink (with its Web UI and the jobs), the API and the device simulator.")
    static final class Run implements Callable<Integer> {
        @Mixin StackOptions options = new StackOptions();

        @Override
        public Integer call() throws Exception {
            EmbeddedStack stack;
            try {
                stack = EmbeddedStack.start(options);
            } catch (Ports.PortInUseException e) {
                LOG.error(e.getMessage());
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        LOG.info("shutting down");
                                        stack.close();
                                        stopped.countDown();
                                    },
                                    "chakrai-shutdown"));
            LOG.info(stack.summary());
            stopped.await();
            return 0;
        }
    }
}
