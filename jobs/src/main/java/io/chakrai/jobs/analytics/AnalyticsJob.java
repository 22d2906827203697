package io.chakrai.jobs.analytics;

import io.chakrai.jobs.assessment.RiskGraph;
import io.chakrai.jobs.config.AnalyticsOptions;
import io.chakrai.jobs.content.ContentGraph;
import io.chakrai.jobs.io.ReadingSerializer;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.jobs.stress.StressGraph;
import io.chakrai.models.readings.BiometricReading;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's analytics on the readings as one Flink job: the stress-episode, risk-assessment
 * and content-effectiveness graphs on <em>one</em> readings source, each reading fetched and parsed
 * once instead of three times (the three parses were a third of the stack's CPU with every job
 * running: docs/benchmarks.md): {@link StressGraph}, {@link RiskGraph} and {@link ContentGraph},
 * each with its own operators, state, sinks and operator ids ({@link
 * io.chakrai.jobs.assessment.RiskAssessmentJob} runs the risk graph alone: a backfill). One
 * consumer group, {@code chakrai-analytics} by default; the content-usage change stream is read by
 * the stress and content graphs under {@code <group>-stress-usage} and {@code
 * <group>-content-usage}, the stress answers under the stress options' group with {@code -answers}.
 *
 * <p>It takes every option of the three graphs (the source's once: {@link AnalyticsOptions}); an
 * option none of them knows is refused.
 */
public final class AnalyticsJob {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsJob.class);
    public static final String NAME = "chakrai-analytics";

    private AnalyticsJob() {}

    /**
     * The whole job: the readings topic in once; the three graphs' PostgreSQL tables and Kafka
     * topics out.
     */
    public static void buildFrom(StreamExecutionEnvironment env, AnalyticsOptions o) {
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
        StressGraph.attach(
                StressGraph.Inputs.fromKafka(
                        env, readings, o.stress(), o.stressUsageGroup(), o.answersGroup(), false),
                o.stress(),
                StressGraph.Sinks.of(o.stress()));
        RiskGraph.attach(readings, o.risk(), RiskGraph.Sinks.of(o.risk()));
        ContentGraph.attach(
                ContentGraph.Inputs.fromKafka(env, readings, o.content(), o.contentUsageGroup()),
                o.content(),
                ContentGraph.Sinks.of(o.content()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("group.id", o.groupId());
        prefixed(params, "stress.", o.stress().describe());
        prefixed(params, "risk.", o.risk().describe());
        prefixed(params, "content.", o.content().describe());
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
     * graphs' options]}.
     */
    public static void main(String[] args) throws Exception {
        AnalyticsOptions o = AnalyticsOptions.parse(args);
        LOG.info("starting {} as consumer group {}", NAME, o.groupId());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(NAME);
    }
}
