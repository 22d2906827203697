package io.chakrai.api.ws;

import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open WebSocket connections of each user, so server events reach only their owner. */
public final class UserSessions {
    private final Map<Integer, Set<WsContext>> byUser = new ConcurrentHashMap<>();

    public void add(int userId, WsContext ctx) {
        byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(ctx);
    }

    public void remove(int userId, WsContext ctx) {
        byUser.computeIfPresent(userId, (k, set) -> {
            set.remove(ctx);
            return set.isEmpty() ? null : set;
        });
    }

    /** Sends a JSON text to every open connection of the user; returns how many got it. */
    public int send(int userId, String json) {
        int sent = 0;
        for (WsContext ctx : byUser.getOrDefault(userId, Set.of())) {
            if (ctx.session.isOpen()) {
                ctx.send(json);
                sent++;
            }
        }
        return sent;
    }

    public boolean isConnected(int userId) {
        return byUser.containsKey(userId);
    }

    public int connections() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }
}
