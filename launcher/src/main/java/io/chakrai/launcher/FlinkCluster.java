package io.chakrai.launcher;

import io.chakrai.embedded.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster with its Web UI and REST API, as a long-lived local "cluster" that jobs are
 * submitted to (as on a real cluster). Each job checkpoints under {@code <checkpoints>/<job name>}
 * and, unless told otherwise, resumes from its newest retained checkpoint.
 */
public final class FlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);
    private final MiniCluster cluster;
    private final Path checkpoints;
    private final int parallelism;

    private FlinkCluster(MiniCluster cluster, Path checkpoints, int parallelism) {
        this.cluster = cluster;
        this.checkpoints = checkpoints;
        this.parallelism = parallelism;
    }

    public static FlinkCluster start(
            String host, int restPort, Path checkpoints, int slots, int parallelism)
            throws Exception {
        Ports.requireFree(host, restPort, "the Flink Web UI", "--flink-port / CHAKRAI_FLINK_PORT");
        Files.createDirectories(checkpoints);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, host);
        conf.set(RestOptions.BIND_ADDRESS, host);
        conf.set(RestOptions.PORT, restPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        conf.setString("web.submit.enable", "true");
        // Jobs submitted as jars (deploy-job, the Web UI) run in this JVM, whose class path already
        // has the
        // same libraries their jar bundles: resolve from it first, so one class is never loaded
        // twice.
        conf.setString("classloader.resolve-order", "parent-first");
        conf.setString("web.cancel.enable", "true");
        // jobs submitted as jars (deploy-job, reassess, the Web UI) checkpoint here, so a failed or
        // cancelled one leaves its last checkpoint to resume from (flink run -s); the stack's own
        // jobs each set a directory of their own (environment)
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpoints.resolve("submitted").toUri().toString());
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        LOG.info("Flink MiniCluster ready, Web UI on {}", cluster.getRestAddress().get());
        return new FlinkCluster(cluster, checkpoints, parallelism);
    }

    public String webUrl() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    /**
     * An environment for building one job, configured to checkpoint into this job's own directory.
     */
    public StreamExecutionEnvironment environment(String jobName) {
        Configuration conf = new Configuration();
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpoints.resolve(jobName).toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * Builds and submits a job, restoring its newest retained checkpoint when there is one (and
     * {@code restore} is true). Returns the job id.
     */
    public JobID submit(String jobName, boolean restore, Consumer<StreamExecutionEnvironment> graph)
            throws Exception {
        StreamExecutionEnvironment env = environment(jobName);
        graph.accept(env);
        StreamGraph g = env.getStreamGraph();
        g.setJobName(jobName);
        Optional<Path> last =
                restore ? latestCheckpoint(checkpoints.resolve(jobName)) : Optional.empty();
        last.ifPresent(
                p ->
                        g.setSavepointRestoreSettings(
                                SavepointRestoreSettings.forPath(p.toUri().toString(), true)));
        JobID id = cluster.submitJob(g).get().getJobID();
        LOG.info(
                "submitted Flink job {} ({}){}",
                jobName,
                id,
                last.map(p -> ", restored from " + p).orElse(""));
        return id;
    }

    public MiniCluster miniCluster() {
        return cluster;
    }

    /** The newest completed checkpoint under a job's checkpoint directory. */
    public static Optional<Path> latestCheckpoint(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.walk(jobDir, 3)) {
            return all.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(
                            Comparator.comparingLong(
                                    p -> p.resolve("_metadata").toFile().lastModified()));
        }
    }

    @Override
    public void close() throws Exception {
        for (var job : cluster.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                cluster.cancelJob(job.getJobId()).get();
                LOG.info("cancelled Flink job {} (its last checkpoint is kept)", job.getJobName());
            }
        }
        cluster.close();
        LOG.info("Flink stopped");
    }
}
