package io.chakrai.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboard's two static files, served with a strict Content-Security-Policy. */
final class Dashboard {
    private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

    private Dashboard() {
    }

    static void serve(Context ctx, String name, String contentType) {
        byte[] body = FILES.computeIfAbsent(name, n -> {
            try (InputStream in = Dashboard.class.getResourceAsStream("/web/" + n)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ctx.header("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(contentType).result(body);
    }
}
