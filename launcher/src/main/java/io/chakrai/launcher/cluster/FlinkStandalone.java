package io.chakrai.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.embedded.Ports;
import io.chakrai.launcher.FlinkRest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Flink standalone session cluster as separate JVMs, started the way Flink's own {@code
 * jobmanager.sh} and {@code taskmanager.sh} do: one {@code config.yaml}, the JVM memory flags and
 * dynamic properties that {@code BashJavaUtils} computes from it, then {@code
 * StandaloneSessionClusterEntrypoint} and one {@code TaskManagerRunner} per TaskManager. Jobs reach
 * it only through its REST API (the Web UI's port).
 */
public final class FlinkStandalone implements AutoCloseable {
    private static final List<String> OPENS =
            List.of(
                    "--add-opens",
                    "java.base/java.util=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED",
                    "-XX:+UseG1GC");

    private final ChildJvm jobManager;
    private final List<ChildJvm> taskManagers;
    private final String restUrl;
    private final FlinkRest rest;

    private FlinkStandalone(ChildJvm jobManager, List<ChildJvm> taskManagers, String restUrl) {
        this.jobManager = jobManager;
        this.taskManagers = taskManagers;
        this.restUrl = restUrl;
        this.rest = new FlinkRest(restUrl);
    }

    /** The cluster's settings, as a {@code config.yaml} would hold them (one key per line). */
    static Map<String, String> config(
            String host, int restPort, int rpcPort, Path data, int slots, String tmMemory) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", host);
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", host);
        c.put("taskmanager.bind-host", host);
        c.put("taskmanager.host", host);
        c.put("rest.address", host);
        c.put("rest.bind-address", host);
        c.put("rest.port", Integer.toString(restPort));
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.memory.process.size", tmMemory);
        c.put("taskmanager.memory.managed.size", "64m");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        c.put("parallelism.default", "2");
        // spread each job over both TaskManagers, so losing one is a partial failure, as on a real
        // cluster
        c.put("taskmanager.load-balance.mode", "SLOTS");
        c.put("execution.checkpointing.dir", data.resolve("checkpoints").toUri().toString());
        c.put(
                "execution.checkpointing.savepoint-dir",
                data.resolve("savepoints").toUri().toString());
        c.put("restart-strategy.type", "exponential-delay");
        c.put("restart-strategy.exponential-delay.initial-backoff", "500 ms");
        c.put("restart-strategy.exponential-delay.max-backoff", "10 s");
        // a TaskManager that dies is noticed in seconds (defaults: 10 s interval, 50 s timeout)
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "8000");
        c.put("web.submit.enable", "true");
        c.put("web.cancel.enable", "true");
        c.put("web.upload.dir", data.resolve("web-upload").toString());
        return c;
    }

    public static FlinkStandalone start(
            String host,
            int restPort,
            int rpcPort,
            Path dir,
            int taskManagers,
            int slots,
            String tmMemory,
            String classPath,
            Path logConfig,
            Map<String, String> env,
            Duration timeout)
            throws Exception {
        int rest = restPort == 0 ? Ports.freePort() : restPort;
        int rpc = rpcPort == 0 ? Ports.freePort() : rpcPort;
        Ports.requireFree(host, rest, "the Flink Web UI", "--flink-port");
        Ports.requireFree(host, rpc, "the Flink JobManager", "--flink-rpc-port");
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("web-upload"));
        StringBuilder yaml = new StringBuilder("# written by ./chakrai cluster at every start\n");
        config(host, rest, rpc, dir, slots, tmMemory)
                .forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());

        List<String> logging =
                List.of(
                        "-Dlog4j2.configurationFile=" + logConfig.toUri(),
                        "-Dlog4j.configurationFile=" + logConfig.toUri());
        String[] jm = resourceParams(classPath, "GET_JM_RESOURCE_PARAMS", conf);
        List<String> jmJvm = new ArrayList<>(Arrays.asList(jm[0].trim().split("\\s+")));
        jmJvm.addAll(OPENS);
        jmJvm.addAll(logging);
        List<String> jmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
        jmArgs.addAll(Arrays.asList(jm[1].trim().split("\\s+")));
        ChildJvm jobManager =
                new ChildJvm(
                        "flink-jobmanager",
                        dir,
                        jmJvm,
                        classPath,
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        jmArgs,
                        env);

        String[] tm = resourceParams(classPath, "GET_TM_RESOURCE_PARAMS", conf);
        List<ChildJvm> tms = new ArrayList<>();
        for (int i = 1; i <= taskManagers; i++) {
            Path tmp = dir.resolve("taskmanager-" + i + "-tmp");
            Files.createDirectories(tmp);
            List<String> jvm = new ArrayList<>(Arrays.asList(tm[0].trim().split("\\s+")));
            jvm.addAll(OPENS);
            jvm.addAll(logging);
            List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
            args.addAll(Arrays.asList(tm[1].trim().split("\\s+")));
            // a stable id, so a TaskManager brought back is the same one in the Web UI
            args.addAll(
                    List.of(
                            "-D",
                            "taskmanager.resource-id=taskmanager-" + i,
                            "-D",
                            "io.tmp.dirs=" + tmp));
            tms.add(
                    new ChildJvm(
                            "flink-taskmanager-" + i,
                            dir,
                            jvm,
                            classPath,
                            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                            args,
                            env));
        }
        FlinkStandalone flink = new FlinkStandalone(jobManager, tms, "http://" + host + ":" + rest);
        try {
            jobManager.start();
            for (ChildJvm t : tms) {
                t.start();
            }
            flink.awaitSlots(taskManagers * slots, timeout);
            return flink;
        } catch (Exception | Error e) {
            flink.close();
            throw e;
        }
    }

    /**
     * {@code BashJavaUtils} as Flink's scripts call it: the JVM flags (heap, direct, metaspace) and
     * the dynamic properties of a JobManager or TaskManager with this configuration.
     */
    static String[] resourceParams(String classPath, String command, Path conf)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classPath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                command,
                                "--configDir",
                                conf.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("BashJavaUtils " + command + " failed: " + out);
        }
        List<String> results =
                out.lines()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()))
                        .toList();
        if (results.size() < 2) {
            throw new IOException("BashJavaUtils " + command + " printed no parameters: " + out);
        }
        return new String[] {results.get(results.size() - 2), results.get(results.size() - 1)};
    }

    public String restUrl() {
        return restUrl;
    }

    /** TaskManager {@code i} (1-based). */
    public ChildJvm taskManager(int i) {
        return taskManagers.get(i - 1);
    }

    public ChildJvm jobManager() {
        return jobManager;
    }

    public int taskManagers() {
        return taskManagers.size();
    }

    /** The JobManager's REST API (the Web UI's port). */
    public FlinkRest rest() {
        return rest;
    }

    /**
     * The RPC address TaskManager {@code i} registered with (a new one for every process, the
     * resource id staying), or null while it is not registered.
     */
    public String registration(int i) throws IOException, InterruptedException {
        for (JsonNode tm : rest.taskManagers().path("taskmanagers")) {
            if (("taskmanager-" + i).equals(tm.path("id").asText())) {
                return tm.path("path").asText();
            }
        }
        return null;
    }

    /** Waits until the JobManager has {@code slots} slots registered (every TaskManager up). */
    public void awaitSlots(int slots, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) {
                throw new IOException("the JobManager exited; see " + jobManager.log());
            }
            try {
                if (rest.overview().path("slots-total").asInt() >= slots) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(
                "Flink did not register "
                        + slots
                        + " slots within "
                        + timeout.toSeconds()
                        + " s; see "
                        + jobManager.log());
    }

    @Override
    public void close() throws InterruptedException {
        taskManagers.forEach(ChildJvm::terminate);
        for (ChildJvm t : taskManagers) {
            t.close();
        }
        jobManager.close();
    }
}
