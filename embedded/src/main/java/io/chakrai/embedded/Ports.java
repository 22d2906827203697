package io.chakrai.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port checks, so that a second instance fails with a clear message instead of colliding silently.
 */
public final class Ports {
    private Ports() {}

    /**
     * Throws {@link PortInUseException} naming the service and the setting to change if something
     * listens on the port. Connections a stopped process left in TIME_WAIT do not count
     * (SO_REUSEADDR, as every server binds): a restart right after a crash finds its ports free.
     */
    public static void requireFree(String host, int port, String service, String setting) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new PortInUseException(
                    String.format(
                            "port %d on %s is already in use, so %s cannot start (is another Chakrai running?). "
                                    + "Stop the other process or choose another port with %s.",
                            port, host, service, setting));
        }
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port that was free a moment ago and that this JVM has not handed out before; for services
     * that need several unique ports. The kernel may give the same ephemeral port to two binds in a
     * row once the first socket is closed, so a port already handed out is never handed out again
     * (one Kafka broker once got the same port for its broker and its controller listener).
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port on loopback", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on loopback that was not handed out already");
    }

    /** Raised when a configured port is taken. */
    public static final class PortInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PortInUseException(String message) {
            super(message);
        }
    }
}
