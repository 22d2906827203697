package io.chakrai.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

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

    /** A port that was free a moment ago; for tests that need several services on unique ports. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback", e);
        }
    }

    /** Raised when a configured port is taken. */
    public static final class PortInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PortInUseException(String message) {
            super(message);
        }
    }
}
