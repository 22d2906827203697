package io.chakrai.launcher;

import io.chakrai.models.assessment.RiskAssessment;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai reassess}: the bounded run of the risk re-assessment job, submitted through
 * Flink's REST API like {@code deploy-job}: every person's every day on the readings topic is
 * assessed with the current {@link RiskAssessment#MODEL_VERSION} (a backfill, or the re-score after
 * the version was raised), and the command follows the job until it finishes.
 */
@Command(
        name = "reassess",
        mixinStandardHelpOptions = true,
        description =
                "Backfill / re-score every person's daily risk assessments with the current risk model version.")
public final class ReassessCommand implements Callable<Integer> {
    static final String ENTRY = "io.chakrai.jobs.assessment.RiskAssessmentJob";

    @picocli.CommandLine.Mixin JobTarget target = new JobTarget();

    @Option(
            names = "--timeout-s",
            defaultValue = "3600",
            description = "give up following the job after this long")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        FlinkRest rest = new FlinkRest(target.flink);
        String job = submit(rest);
        System.out.println(
                "submitted "
                        + job
                        + " ("
                        + RiskAssessment.MODEL_VERSION
                        + "); see "
                        + target.flink);
        long start = System.nanoTime();
        String state = rest.state(job);
        while (!List.of("FINISHED", "FAILED", "CANCELED").contains(state)
                && System.nanoTime() - start < timeoutSeconds * 1_000_000_000L) {
            Thread.sleep(2_000);
            state = rest.state(job);
            System.out.printf("  %s after %.0f s%n", state, (System.nanoTime() - start) / 1e9);
        }
        System.out.println(job + " " + state);
        return state.equals("FINISHED") ? 0 : 1;
    }

    /** Uploads the job jar and runs the bounded re-assessment; returns the job id. */
    public String submit(FlinkRest rest) throws Exception {
        String jarId = rest.upload(target.jar);
        return rest.run(
                jarId,
                ENTRY,
                List.of("--bounded", "--kafka-bootstrap", target.kafka, "--db-url", target.dbUrl),
                null);
    }
}
