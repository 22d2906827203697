package io.chakrai.jobs.scoring;

import io.chakrai.jobs.config.ScoringOptions;
import io.chakrai.jobs.io.ReadingsSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * A data scientist's model as a Flink job ({@link ScoringGraph} on a readings source of its own).
 * Unbounded it scores new readings as they come; {@code --bounded} reads the topic up to its
 * current end and finishes (a backfill that re-scores everyone with a new version). Submitted with
 * {@code chakrai deploy-job}.
 */
public final class ModelScoringJob {
    public static final String NAME_PREFIX = "chakrai-model-";

    private ModelScoringJob() {}

    /** The job's name in Flink: the model, its version, and whether it is a backfill. */
    public static String jobName(ScoringOptions o) {
        return NAME_PREFIX + o.modelName + "-v" + o.modelVersion + (o.bounded ? "-backfill" : "");
    }

    /** The whole job from its options: the readings topic in, {@code model_scores} out. */
    public static void buildFrom(StreamExecutionEnvironment env, ScoringOptions o) {
        o.source.checkpointing(env);
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(o.describe()));
        ScoringGraph.attach(
                ReadingsSource.parsed(
                        env,
                        o.source,
                        "chakrai-scoring-" + o.modelName + "-" + o.modelVersion,
                        o.bounded,
                        "scoring-source",
                        "scoring-parse",
                        "scoring"),
                o,
                ScoringGraph.Sinks.of(o));
    }

    /**
     * {@code flink run -c io.chakrai.jobs.scoring.ModelScoringJob chakrai-jobs-job.jar --model-name
     * … --model-version …}.
     */
    public static void main(String[] args) throws Exception {
        ScoringOptions o = new ScoringOptions();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(jobName(o));
    }
}
