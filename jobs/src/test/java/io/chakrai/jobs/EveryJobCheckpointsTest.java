package io.chakrai.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.analytics.AnalyticsJob;
import io.chakrai.jobs.assessment.RiskAssessmentJob;
import io.chakrai.jobs.config.AnalyticsOptions;
import io.chakrai.jobs.config.GroupOptions;
import io.chakrai.jobs.config.IngestionOptions;
import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.jobs.config.ScoringOptions;
import io.chakrai.jobs.groups.GroupDynamicsJob;
import io.chakrai.jobs.ingest.IngestionJob;
import io.chakrai.jobs.scoring.ModelScoringJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every job Flink runs checkpoints the one way (SourceOptions.checkpointing): exactly once, at the
 * interval asked, and kept when the job is cancelled or fails, so an operator can resume it.
 */
class EveryJobCheckpointsTest {
    static final String[] SOURCE = {
        "--db-url",
        "jdbc:postgresql://127.0.0.1:1/none",
        "--kafka-bootstrap",
        "127.0.0.1:1",
        "--checkpoint-interval-ms",
        "1234"
    };

    static <T> T parse(T options, String... more) {
        String[] args = new String[SOURCE.length + more.length];
        System.arraycopy(SOURCE, 0, args, 0, SOURCE.length);
        System.arraycopy(more, 0, args, SOURCE.length, more.length);
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void eachJobCheckpointsExactlyOnceAndKeepsItsCheckpointsOnCancel() {
        Map<String, Consumer<StreamExecutionEnvironment>> jobs = new LinkedHashMap<>();
        jobs.put("ingestion", env -> IngestionJob.buildFrom(env, parse(new IngestionOptions())));
        jobs.put("analytics", env -> AnalyticsJob.buildFrom(env, AnalyticsOptions.parse(SOURCE)));
        jobs.put("groups", env -> GroupDynamicsJob.buildFrom(env, parse(new GroupOptions())));
        jobs.put("risk", env -> RiskAssessmentJob.buildFrom(env, parse(new RiskOptions())));
        jobs.put(
                "scoring",
                env ->
                        ModelScoringJob.buildFrom(
                                env,
                                parse(
                                        new ScoringOptions(),
                                        "--model-name",
                                        "m",
                                        "--model-version",
                                        "1")));
        jobs.forEach(
                (name, build) -> {
                    StreamExecutionEnvironment env =
                            StreamExecutionEnvironment.getExecutionEnvironment();
                    build.accept(env);
                    CheckpointConfig c = env.getCheckpointConfig();
                    assertTrue(c.isCheckpointingEnabled(), name);
                    assertEquals(1234, c.getCheckpointInterval(), name);
                    assertEquals(
                            CheckpointingMode.EXACTLY_ONCE,
                            c.getCheckpointingConsistencyMode(),
                            name);
                    assertEquals(
                            ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
                            c.getExternalizedCheckpointRetention(),
                            name);
                });
    }
}
