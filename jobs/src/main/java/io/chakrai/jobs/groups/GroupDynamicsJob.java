package io.chakrai.jobs.groups;

import io.chakrai.jobs.config.GroupOptions;
import io.chakrai.jobs.io.ChangeSource;
import io.chakrai.jobs.io.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The group graph ({@link GroupGraph}) as a job: the change stream of {@code group_messages} in;
 * group mood, engagement and alerts out.
 */
public final class GroupDynamicsJob {
    private static final Logger LOG = LoggerFactory.getLogger(GroupDynamicsJob.class);
    public static final String NAME = "chakrai-group-dynamics";

    private GroupDynamicsJob() {}

    /** The whole job from its options: Kafka change events in; PostgreSQL out. */
    public static void buildFrom(StreamExecutionEnvironment env, GroupOptions o) {
        o.source.checkpointing(env);
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(o.describe()));
        KafkaSource<RawRecord> source = ChangeSource.kafka(o.source, o.messagesTopic, o.groupId);
        GroupGraph.attach(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), o.messagesTopic)
                        .uid("group-source"),
                o,
                GroupGraph.Sinks.of(o));
    }

    public static void main(String[] args) throws Exception {
        GroupOptions o = new GroupOptions();
        new CommandLine(o).parseArgs(args);
        LOG.info("starting {} with {}", NAME, o.describe());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, o);
        env.execute(NAME);
    }
}
