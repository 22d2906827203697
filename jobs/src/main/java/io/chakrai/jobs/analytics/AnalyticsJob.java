package io.chakrai.jobs.analytics;

import io.chakrai.jobs.assessment.RiskAssessmentJob;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.config.StressJobConfig;
import io.chakrai.jobs.content.ContentEffectivenessJob;
import io.chakrai.jobs.io.ReadingSerializer;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.stress.StressEpisodeJob;
import io.chakrai.models.readings.BiometricReading;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The platform's analytics on the readings as one Flink job: the stress-episode, risk-assessment
 * and content-effectiveness graphs on <em>one</em> readings source, each reading fetched and parsed
 * once instead of three times (the three parses were a third of the stack's CPU with every job
 * running: docs/benchmarks.md). Each graph keeps its own operators, state, sinks and operator ids,
 * exactly as in its own job ({@link StressEpisodeJob}, {@link RiskAssessmentJob}, {@link
 * ContentEffectivenessJob} still run alone: a backfill, a test, a cluster that wants them apart).
 * One consumer group, {@code chakrai-analytics} by default; the content-usage change stream is read
 * by the stress and content graphs under {@code <group>-stress-usage} and {@code
 * <group>-content-usage}.
 *
 * <p>It takes every option of the three jobs (the source's once); an option none of them knows is
 * refused.
 */
public final class AnalyticsJob {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsJob.class);
    public static final String NAME = "chakrai-analytics";
    public static final String DEFAULT_GROUP = "chakrai-analytics";

    private AnalyticsJob() {}

    /**
     * The three graphs' settings, parsed from one argument list; {@code groupId} is the shared
     * source's consumer group.
     */
    public record Options(
            String groupId,
            StressJobConfig stress,
            RiskAssessmentJob.Options risk,
            ContentEffectivenessJob.Options content)
            implements Serializable {
        /** The consumer group the stress graph reads the content-usage change stream as. */
        public String stressUsageGroup() {
            return groupId + "-stress-usage";
        }

        /** The consumer group the content graph reads the content-usage change stream as. */
        public String contentUsageGroup() {
            return groupId + "-content-usage";
        }

        /**
         * Where the shared source reads from (Kafka, the topic, event time): the same options every
         * graph was given.
         */
        public SourceOptions source() {
            return stress.source;
        }
    }

    /**
     * The options of the three jobs from one argument list, as each job takes them ({@code
     * --group-id} defaults to {@value #DEFAULT_GROUP}). An argument none of the three knows is an
     * error, and so is {@code --bounded}: a backfill is the risk job's alone.
     */
    public static Options options(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.equals("--group-id") || a.startsWith("--group-id="))) {
            all.add("--group-id=" + DEFAULT_GROUP);
        }
        String[] argv = all.toArray(String[]::new);
        StressJobConfig stress = new StressJobConfig();
        RiskAssessmentJob.Options risk = new RiskAssessmentJob.Options();
        ContentEffectivenessJob.Options content = new ContentEffectivenessJob.Options();
        List<List<String>> unmatched = new ArrayList<>();
        for (Object settings : List.of(stress, risk, content)) {
            CommandLine cl = new CommandLine(settings).setUnmatchedArgumentsAllowed(true);
            cl.parseArgs(argv);
            unmatched.add(cl.getUnmatchedArguments());
        }
        for (String a : argv) {
            if (unmatched.stream().allMatch(u -> u.contains(a))) {
                throw new IllegalArgumentException(
                        "the analytics job does not know "
                                + a
                                + " (it takes the stress-episode, risk-assessment and content-effectiveness jobs' options)");
            }
        }
        if (risk.bounded) {
            throw new IllegalArgumentException(
                    "the analytics job runs unbounded; backfill risk scores with the risk job "
                            + "(RiskAssessmentJob --bounded, or chakrai reassess)");
        }
        return new Options(stress.groupId, stress, risk, content);
    }

    /**
     * The whole job: the readings topic in once; the three graphs' PostgreSQL tables and Kafka
     * topics out.
     */
    public static void buildFrom(StreamExecutionEnvironment env, Options o) {
        o.source().checkpointing(env);
        // every element of the three graphs is an immutable record, made new by the operator that
        // emits it: handed on
        // as it is inside a chain instead of copied (each reading was copied from the source to the
        // parser)
        env.getConfig().enableObjectReuse();
        // invalid records are dropped here: the ingestion job dead-letters them
        // each reading crosses to three keyed graphs: by the compact serializer (no graph keeps
        // readings in state)
        DataStream<BiometricReading> readings =
                ReadingsSource.parsed(
                                env,
                                o.source(),
                                o.groupId(),
                                false,
                                "analytics-source",
                                "analytics-parse",
                                "stress, risk, content")
                        .returns(ReadingSerializer.TYPE);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("group.id", o.groupId());
        prefixed(
                params,
                "stress.",
                StressEpisodeJob.attach(env, readings, o.stress(), o.stressUsageGroup()));
        prefixed(params, "risk.", RiskAssessmentJob.attach(readings, o.risk()));
        prefixed(
                params,
                "content.",
                ContentEffectivenessJob.attach(env, readings, o.content(), o.contentUsageGroup()));
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(params));
    }

    private static void prefixed(
            Map<String, String> into, String prefix, Map<String, String> params) {
        // each graph's own group is not used here (the shared source's is)
        params.forEach(
                (k, v) -> {
                    if (!k.equals("group.id")) {
                        into.put(k.startsWith(prefix) ? k : prefix + k, v);
                    }
                });
    }

    /**
     * {@code flink run -c io.chakrai.jobs.analytics.AnalyticsJob chakrai-jobs-job.jar [the three
     * jobs' options]}.
     */
    public static void main(String[] args) throws Exception {
        Options o = options(args);
        LOG.info("starting {} as consumer group {}", NAME, o.groupId());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(NAME);
    }
}
