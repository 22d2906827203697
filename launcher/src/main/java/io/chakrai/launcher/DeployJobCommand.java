package io.chakrai.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai deploy-job}: a registered model as a Flink job, submitted through Flink's REST API to the
 * local MiniCluster or any JobManager. {@code --replace JOB} switches versions without losing events: the
 * old job stops with a savepoint and the new one starts from it (same operators, same Kafka offsets).
 */
@Command(name = "deploy-job", mixinStandardHelpOptions = true,
        description = "Submit a model-scoring job for a registered model version to a Flink cluster.")
public final class DeployJobCommand implements Callable<Integer> {
    static final String ENTRY = "io.chakrai.jobs.scoring.ModelScoringJob";

    @picocli.CommandLine.Mixin
    JobTarget target = new JobTarget();

    @Option(names = "--model-name", required = true)
    String modelName;

    @Option(names = "--model-version", required = true)
    int modelVersion;

    @Option(names = "--bounded", description = "backfill: score what is on the topic now, then finish")
    boolean bounded;

    @Option(names = "--replace", description = "id of the running job of an older version to replace")
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
        FlinkRest rest = new FlinkRest(target.flink);
        String jarId = rest.upload(target.jar);
        String savepoint = null;
        if (replace != null) {
            savepoint = rest.stopWithSavepoint(replace, savepointDir);
            // the old job releases its slots and its sink's last batch before the new one starts
            for (int i = 0; i < 120 && !rest.state(replace).equals("FINISHED"); i++) {
                Thread.sleep(500);
            }
            System.out.println("stopped " + replace + " (" + rest.state(replace) + ") with savepoint " + savepoint);
        }
        List<String> args = new ArrayList<>(List.of("--model-name", modelName, "--model-version", Integer.toString(modelVersion),
                "--kafka-bootstrap", target.kafka, "--db-url", target.dbUrl));
        if (bounded) {
            args.add("--bounded");
        }
        return rest.run(jarId, ENTRY, args, savepoint);
    }
}
