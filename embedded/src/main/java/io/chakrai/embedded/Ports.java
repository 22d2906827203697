package io.chakrai.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
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
     * that need several unique ports. A port is chosen by binding port 0; one handed out already
     * (one Kafka broker once got the same port for its broker and its controller listener) is kept
     * bound while the next is asked for, so each try gets another port.
     */
    public static int freePort() {
        List<ServerSocket> refused = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    socket.close();
                    return port;
                }
                refused.add(socket);
            }
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback", e);
        } finally {
            for (ServerSocket s : refused) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // only a port held while trying others
                }
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
