package io.chakrai.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.client.contract.MessageContract;
import io.chakrai.models.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of the API with an inbox, for the tests. Every event it receives is held to
 * the events' description ({@code api/asyncapi.yaml}): an event of a type the description lacks, or
 * with a field it does not declare, fails the test at its next look at the inbox.
 */
final class Socket implements AutoCloseable {
    static final MessageContract EVENTS = MessageContract.ofRepository();

    final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new ArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    WebSocket ws;

    /** Opened with {@code ?token=}, waiting for the {@code connected} event. */
    static Socket open(ApiFixture api, String token) throws Exception {
        Socket s = open(api.server.port(), token, "");
        s.await(e -> "connected".equals(e.path("type").asText()));
        return s;
    }

    /** Opened as it is, {@code extraQuery} appended ({@code &since=…}); no event awaited. */
    static Socket open(int port, String token, String extraQuery) throws Exception {
        Socket s = new Socket();
        StringBuilder partial = new StringBuilder();
        s.ws =
                HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .buildAsync(
                                URI.create(
                                        "ws://localhost:"
                                                + port
                                                + "/api/v2/ws?token="
                                                + token
                                                + extraQuery),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket w, CharSequence data, boolean last) {
                                        partial.append(data);
                                        if (last) {
                                            String text = partial.toString();
                                            partial.setLength(0);
                                            s.problems.addAll(EVENTS.socketEvent(text));
                                            try {
                                                s.inbox.add(Json.MAPPER.readTree(text));
                                            } catch (Exception e) {
                                                s.inbox.add(
                                                        Json.MAPPER
                                                                .getNodeFactory()
                                                                .textNode(text));
                                            }
                                        }
                                        w.request(1);
                                        return null;
                                    }

                                    @Override
                                    public CompletionStage<?> onClose(
                                            WebSocket w, int status, String reason) {
                                        s.closed.add(status);
                                        return null;
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        return s;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    private void check() {
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "an event breaks the events' description (api/asyncapi.yaml):\n"
                            + String.join("\n", problems));
        }
    }

    /** The next event, whatever it is. */
    JsonNode next() throws InterruptedException {
        if (!seen.isEmpty()) {
            return seen.remove(0);
        }
        JsonNode e = inbox.poll(10, TimeUnit.SECONDS);
        check();
        if (e == null) {
            throw new AssertionError("no event within 10 s");
        }
        return e;
    }

    JsonNode await(Predicate<JsonNode> what) throws InterruptedException {
        for (JsonNode e : seen) {
            if (what.test(e)) {
                seen.remove(e);
                check();
                return e;
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            JsonNode e = inbox.poll(100, TimeUnit.MILLISECONDS);
            check();
            if (e == null) {
                continue;
            }
            if (what.test(e)) {
                return e;
            }
            seen.add(e);
        }
        throw new AssertionError("no such event within 30 s; saw " + seen);
    }

    /** True when nothing matching arrives within {@code d} (for what must not happen). */
    boolean none(Predicate<JsonNode> what, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            JsonNode e = inbox.poll(50, TimeUnit.MILLISECONDS);
            check();
            if (e != null) {
                if (what.test(e)) {
                    return false;
                }
                seen.add(e);
            }
        }
        return seen.stream().noneMatch(what);
    }

    @Override
    public void close() {
        check();
        ws.abort();
    }
}
