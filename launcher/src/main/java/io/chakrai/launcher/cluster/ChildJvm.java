package io.chakrai.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of the cluster as its own JVM (a Kafka broker, the JobManager, a TaskManager, an API
 * instance, the CDC service): started with a main class, its arguments and environment, its output
 * in {@code <name>.log}. It can be killed with SIGKILL and started again with the same command, as
 * an operator's supervisor would. Its pid is kept in {@code <name>.pid}, so a cluster whose
 * supervisor died (kill -9) has its orphans stopped at the next start.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path logFile;
    private final Path pidFile;
    private Process process;
    private boolean stopped;

    public ChildJvm(
            String name,
            Path dir,
            List<String> jvmOptions,
            String classPath,
            String mainClass,
            List<String> args,
            Map<String, String> env) {
        this.name = name;
        this.logFile = dir.resolve(name + ".log");
        this.pidFile = dir.resolve(name + ".pid");
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(classPath);
        c.add(mainClass);
        c.addAll(args);
        this.command = List.copyOf(c);
        this.env = new TreeMap<>(env);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return logFile;
    }

    /** Starts the process (again, after a kill); its output is appended to its log. */
    public synchronized ChildJvm start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(
                    name + " is already running (pid " + process.pid() + ")");
        }
        stopOrphan(pidFile);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder b =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        b.environment().putAll(env);
        process = b.start();
        stopped = false;
        Files.writeString(pidFile, Long.toString(process.pid()));
        LOG.info("started {} (pid {}, log {})", name, process.pid(), logFile);
        return this;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the process again if it exited on its own (crashed, was killed) while it should run,
     * as a process supervisor's {@code restart: unless-stopped} would. Returns whether it did.
     */
    public synchronized boolean restartIfDead() throws IOException {
        if (process == null || process.isAlive() || stopped) {
            return false;
        }
        LOG.warn(
                "{} (pid {}) exited with code {}; starting it again",
                name,
                process.pid(),
                process.exitValue());
        start();
        return true;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * kill -9: no shutdown hook, no flush, no goodbye to the cluster. Returns once the process is
     * gone.
     */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        LOG.info("killed {} (pid {}) with SIGKILL", name, process.pid());
    }

    /**
     * SIGTERM without waiting: several services asked to stop at once (then {@link #close()} each).
     */
    public synchronized void terminate() {
        stopped = true;
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /**
     * SIGTERM (the service's own shutdown), then SIGKILL if it has not stopped within {@code
     * grace}.
     */
    public synchronized void stop(Duration grace) throws InterruptedException {
        stopped = true;
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("{} did not stop within {} s; killing it", name, grace.toSeconds());
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(20));
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", pidFile, e.toString());
        }
    }

    /**
     * A process left by a supervisor that died: killed if it still runs this project's Java
     * (checked by its command).
     */
    static void stopOrphan(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()
                && p.get().isAlive()
                && p.get().info().command().map(c -> c.endsWith("java")).orElse(false)) {
            LOG.warn(
                    "stopping pid {} left running by an earlier cluster ({})",
                    pid,
                    pidFile.getFileName());
            p.get().destroyForcibly();
            try {
                p.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("pid " + pid + " from " + pidFile + " did not stop", e);
            }
        }
        Files.delete(pidFile);
    }
}
