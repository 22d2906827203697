package io.chakrai.launcher;

import java.nio.file.Path;
import picocli.CommandLine;

/** The embedded stack as the tests start it: every port free-picked, no simulator. */
final class TestStacks {
    private TestStacks() {}

    static EmbeddedStack start(Path data) throws Exception {
        StackOptions o = new StackOptions();
        new CommandLine(o)
                .parseArgs(
                        "--data-dir",
                        data.toString(),
                        "--pg-port",
                        "0",
                        "--kafka-port",
                        "0",
                        "--kafka-controller-port",
                        "0",
                        "--flink-port",
                        "0",
                        "--api-port",
                        "0",
                        "--no-simulator",
                        // short, so that an unanswered escalation is raised within a test
                        "--escalation-ack-seconds",
                        "4");
        return EmbeddedStack.start(o);
    }
}
