package io.chakrai.lab.bench;

import java.net.URI;

/** Benchmarks load the API hard, so they only ever target this machine. */
final class Loopback {
    private Loopback() {}

    /** True, with the reason on stderr, when {@code api} is not on the loopback interface. */
    static boolean refused(String api) {
        if (URI.create(api).getHost().matches("localhost|127\\.0\\.0\\.1|\\[::1]")) {
            return false;
        }
        System.err.println("bench targets loopback only: --api must be on localhost");
        return true;
    }
}
