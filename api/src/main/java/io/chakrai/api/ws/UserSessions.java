package io.chakrai.api.ws;

import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * The open WebSocket connections of each user, so server events reach only their owner, with the
 * sign-in session each was opened under, so a sign-out closes exactly the sockets it should.
 */
public final class UserSessions {
    /** Close code for a socket whose sign-in ended (RFC 6455 policy violation). */
    public static final int SIGNED_OUT = 1008;

    private final Map<Integer, Set<WsContext>> byUser = new ConcurrentHashMap<>();
    private final Map<WsContext, UUID> signIn = new ConcurrentHashMap<>();
    private final Map<Integer, String> roles = new ConcurrentHashMap<>();

    /** Adds a socket opened under sign-in {@code session} by an account of {@code role}. */
    public void add(int userId, UUID session, String role, WsContext ctx) {
        roles.put(userId, role);
        add(userId, session, ctx);
    }

    /**
     * Sends a JSON text to every open socket of accounts with one of {@code wanted} roles; returns
     * how many got it.
     */
    public int sendToRoles(Set<String> wanted, String json) {
        int sent = 0;
        for (var e : roles.entrySet()) {
            if (wanted.contains(e.getValue())) {
                sent += send(e.getKey(), json);
            }
        }
        return sent;
    }

    /** Adds a socket opened under sign-in {@code session}. */
    public void add(int userId, UUID session, WsContext ctx) {
        signIn.put(ctx, session);
        add(userId, ctx);
    }

    public void add(int userId, WsContext ctx) {
        byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(ctx);
    }

    public void remove(int userId, WsContext ctx) {
        signIn.remove(ctx);
        byUser.computeIfPresent(
                userId,
                (k, set) -> {
                    set.remove(ctx);
                    return set.isEmpty() ? null : set;
                });
        if (!byUser.containsKey(userId)) {
            roles.remove(userId);
        }
    }

    /**
     * Sends a JSON text to every open connection of the user without waiting for the writes (a slow
     * reader must not hold up the thread that serves everyone else); returns how many sockets it
     * was queued on.
     */
    public int send(int userId, String json) {
        return send(userId, json, WriteCallback.NOOP);
    }

    /** {@link #send(int, String)}, told when each write is done (or failed). */
    public int send(int userId, String json, WriteCallback written) {
        int sent = 0;
        for (WsContext ctx : byUser.getOrDefault(userId, Set.of())) {
            if (ctx.session.isOpen()) {
                try {
                    ctx.session.getRemote().sendString(json, written);
                    sent++;
                } catch (RuntimeException e) {
                    // a socket closing under us: its close handler removes it
                }
            }
        }
        return sent;
    }

    public boolean isConnected(int userId) {
        return byUser.containsKey(userId);
    }

    /** The sign-in sessions of the open sockets (for checking which have ended). */
    public Set<UUID> openSessions() {
        return Set.copyOf(signIn.values());
    }

    /**
     * Closes every socket whose session was among {@code checked} and is not in {@code active};
     * returns how many. A socket opened after the check began is left alone (its session was not
     * looked at).
     */
    public int closeEnded(Set<UUID> checked, Set<UUID> active) {
        int closed = 0;
        for (var e : signIn.entrySet()) {
            if (checked.contains(e.getValue()) && !active.contains(e.getValue())) {
                closed += close(e.getKey());
            }
        }
        return closed;
    }

    /**
     * Closes the user's sockets of {@code session}, or all of them when it is null; returns how
     * many.
     */
    public int close(int userId, UUID session) {
        int closed = 0;
        for (WsContext ctx : byUser.getOrDefault(userId, Set.of())) {
            if (session == null || session.equals(signIn.get(ctx))) {
                closed += close(ctx);
            }
        }
        return closed;
    }

    private static int close(WsContext ctx) {
        if (ctx.session.isOpen()) {
            ctx.send(
                    "{\"type\":\"signed_out\",\"message\":\"this sign-in has ended; sign in again\"}");
            ctx.closeSession(SIGNED_OUT, "signed out");
            return 1;
        }
        return 0;
    }

    public int connections() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }
}
