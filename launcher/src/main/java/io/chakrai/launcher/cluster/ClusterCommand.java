package io.chakrai.launcher.cluster;

import io.chakrai.embedded.Ports;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./chakrai cluster}: the production shape on this machine, every service its own process.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Start the production shape on this machine, every service its own process: PostgreSQL, three Kafka "
                        + "brokers (replication 3, min.insync.replicas 2), a Flink standalone cluster (JobManager + 2 TaskManagers), "
                        + "the CDC service, two API instances; the jobs submitted as the job jar through Flink's REST API.")
public final class ClusterCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCommand.class);

    @Mixin ClusterOptions options = new ClusterOptions();

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(options.settings(Map.of()));
        } catch (Ports.PortInUseException e) {
            LOG.error(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    LOG.info("shutting down the cluster");
                                    cluster.close();
                                    stopped.countDown();
                                },
                                "chakrai-cluster-shutdown"));
        LOG.info(cluster.summary());
        // a supervisor: a service that dies (a crash, kill -9) is started again; the Flink jobs
        // recover on their own
        while (!stopped.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
            try {
                cluster.restartDead();
            } catch (Exception e) {
                LOG.warn("could not restart a service: {}", e.toString());
            }
        }
        return 0;
    }
}
