package io.chakrai.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai deploy-job}: a registered model as a Flink job, submitted through Flink's REST API
 * to the local MiniCluster or any JobManager — the model-scoring job, or ({@code --job stress}) the
 * analytics job (the stress-episode, risk and content graphs on one readings source) with a
 * per-minute model as its stress detector. {@code --replace JOB} switches versions without losing
 * events or state: the old job stops with a savepoint and the new one starts from it (same
 * operators, same Kafka offsets; for the analytics job its open episodes, baselines, pending
 * outcomes, open days and measured sessions too).
 */
@Command(
        name = "deploy-job",
        mixinStandardHelpOptions = true,
        description =
                "Submit a model-scoring job for a registered model version, or the analytics job with a "
                        + "model as its detector, to a Flink cluster.")
public final class DeployJobCommand implements Callable<Integer> {
    static final String ENTRY = "io.chakrai.jobs.scoring.ModelScoringJob";

    /**
     * The stress detector runs in the analytics job (with the risk and content graphs, on one
     * readings source).
     */
    static final String STRESS_ENTRY = "io.chakrai.jobs.analytics.AnalyticsJob";

    @picocli.CommandLine.Mixin JobTarget target = new JobTarget();

    @Option(
            names = "--job",
            defaultValue = "scoring",
            description =
                    "scoring (the model-scoring job) or stress (the "
                            + "analytics job, the model judging its stress minutes; without a model, the rule) (default: ${DEFAULT-VALUE})")
    String job;

    @Option(
            names = "--model-name",
            description = "the registered model (required for the scoring job)")
    String modelName;

    @Option(
            names = "--model-version",
            defaultValue = "0",
            description = "its version (stress job: 0 = the production one)")
    int modelVersion;

    @Option(
            names = "--job-arg",
            description =
                    "one more option for the job, as it takes it, e.g. --job-arg=--group-id=chakrai-analytics "
                            + "(repeatable): a replacement must read and write as the job it replaces")
    List<String> jobArgs = new ArrayList<>();

    @Option(
            names = "--bounded",
            description = "backfill: score what is on the topic now, then finish")
    boolean bounded;

    @Option(
            names = "--replace",
            description = "id of the running job of an older version to replace")
    String replace;

    @Option(names = "--savepoint-dir", defaultValue = "file:///tmp/chakrai-savepoints")
    String savepointDir;

    @Override
    public Integer call() throws Exception {
        System.out.println("job " + deploy() + " submitted; see " + target.flink);
        return 0;
    }

    /** Uploads, (stops the old version with a savepoint,) runs; returns the new job id. */
    public String deploy() throws Exception {
        boolean stress = job.equals("stress");
        if (!stress && !job.equals("scoring")) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--job must be scoring or stress");
        }
        if (!stress && (modelName == null || modelVersion < 1)) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "the scoring job needs --model-name and --model-version");
        }
        FlinkRest rest = new FlinkRest(target.flink);
        String jarId = rest.upload(target.jar);
        String savepoint = null;
        if (replace != null) {
            savepoint = rest.stopWithSavepoint(replace, savepointDir);
            // the old job releases its slots and its sink's last batch before the new one starts
            for (int i = 0; i < 120 && !rest.state(replace).equals("FINISHED"); i++) {
                Thread.sleep(500);
            }
            System.out.println(
                    "stopped "
                            + replace
                            + " ("
                            + rest.state(replace)
                            + ") with savepoint "
                            + savepoint);
        }
        List<String> args =
                new ArrayList<>(
                        List.of("--kafka-bootstrap", target.kafka, "--db-url", target.dbUrl));
        if (modelName != null) {
            args.addAll(
                    List.of(
                            "--model-name",
                            modelName,
                            "--model-version",
                            Integer.toString(modelVersion)));
        }
        if (bounded) {
            args.add("--bounded");
        }
        args.addAll(jobArgs);
        return rest.run(jarId, stress ? STRESS_ENTRY : ENTRY, args, savepoint);
    }
}
