package io.chakrai.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's two static files, served with a strict Content-Security-Policy. They live under
 * {@code chakrai-dashboard/}, not {@code web/}: Flink's Web UI serves its own files from {@code
 * web/} on the classpath, and in one JVM a second {@code web/} folder hides them.
 */
final class Dashboard {
    private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

    private Dashboard() {}

    static void serve(Context ctx, String name, String contentType) {
        byte[] body =
                FILES.computeIfAbsent(
                        name,
                        n -> {
                            try (InputStream in =
                                    Dashboard.class.getResourceAsStream(
                                            "/chakrai-dashboard/" + n)) {
                                return in.readAllBytes();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; connect-src 'self' ws: wss:; "
                        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(contentType).result(body);
    }
}
