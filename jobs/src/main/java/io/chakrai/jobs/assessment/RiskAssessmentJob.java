package io.chakrai.jobs.assessment;

import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.models.assessment.RiskAssessment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * The risk graph ({@link RiskGraph}) as a job of its own, on its own readings source: what {@code
 * chakrai reassess} submits. With {@code --bounded} it reads the readings topic from its start to
 * its current end and finishes: a backfill, or a re-score of everyone when {@link
 * RiskAssessment#MODEL_VERSION} changes (the new version's rows sit beside the old one's). Its last
 * day may be partial; the running analytics job overwrites it when that day closes. Unbounded, it
 * runs the graph apart from the analytics job, for a cluster that wants it so.
 */
public final class RiskAssessmentJob {
    public static final String NAME = "chakrai-risk-assessment";

    private RiskAssessmentJob() {}

    /** The job's name in Flink: a backfill is named so. */
    public static String jobName(RiskOptions o) {
        return NAME + (o.bounded ? "-backfill" : "");
    }

    /**
     * The whole job from its options: the readings topic in, {@code mental_health_assessments} and
     * {@code risk_scores} out.
     */
    public static void buildFrom(StreamExecutionEnvironment env, RiskOptions o) {
        o.source.checkpointing(env);
        RiskGraph.attach(
                ReadingsSource.parsed(
                        env, o.source, o.groupId, o.bounded, "risk-source", "risk-parse", "risk"),
                o,
                RiskGraph.Sinks.of(o));
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(o.describe()));
    }

    /**
     * {@code flink run -c io.chakrai.jobs.assessment.RiskAssessmentJob chakrai-jobs-job.jar
     * [--bounded]}.
     */
    public static void main(String[] args) throws Exception {
        RiskOptions o = new RiskOptions();
        new CommandLine(o).parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(jobName(o));
    }
}
