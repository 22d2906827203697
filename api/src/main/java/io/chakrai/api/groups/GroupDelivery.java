package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.ws.UserSessions;
import io.chakrai.models.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes group events to the sockets this API instance holds. A message reaches it twice: at once
 * from the instance that stored it (its own members' sockets) and from the change stream (every
 * instance's); the first delivery of a message id wins, the second is dropped. Members per group,
 * and the membership of each who posts here, are cached and forgotten when a membership of the
 * group changes (here, or on the change stream).
 */
public final class GroupDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(GroupDelivery.class);
    private static final int REMEMBERED = 100_000;

    /** Groups whose authors are cached at most (a group holds a handful): then all forgotten. */
    private static final int AUTHOR_GROUPS = 20_000;

    /**
     * The timer of one stage of posting a group message (the stages are listed in {@link
     * #STAGE_HELP}).
     */
    static Timer stageTimer(MeterRegistry metrics, String stage) {
        return Timer.builder("chakrai_group_message_stage")
                .description(STAGE_HELP)
                .tag("stage", stage)
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(metrics);
    }

    /** The help text of the stage timers (one meter name, so one text). */
    private static final String STAGE_HELP =
            "one stage of a group message: membership (this instance's cache; the database when it does not know the author and the socket asked), sentiment (and flood control), crisis (and the author's recent mood when read), pool_wait, store (the guarded insert and its commit; a held message's escalation; after a membership that had ended, the lookup and a second insert), deliver (queued on the member sockets here), socket_write (queued to written)";

    private final GroupRepository groups;
    private final UserSessions sessions;
    private final Map<Integer, List<Integer>> members = new ConcurrentHashMap<>();

    /** Per group, the membership of each who posted here, by user id. */
    private final Map<Integer, Map<Integer, GroupRepository.Member>> authors =
            new ConcurrentHashMap<>();

    /**
     * Membership changes seen per group, so a list read from the database before a change is not
     * kept after it.
     */
    private final Map<Integer, AtomicLong> changes = new ConcurrentHashMap<>();

    private final Map<Integer, String> pseudonyms = new ConcurrentHashMap<>();
    private final Set<Long> delivered = remembered();
    private final Set<Long> alerted = remembered();
    private final Set<Long> helped = remembered();
    private final Counter pushed;
    private final Timer written;
    private final CrisisResources resources;

    public GroupDelivery(
            GroupRepository groups,
            UserSessions sessions,
            CrisisResources resources,
            MeterRegistry metrics) {
        this.groups = groups;
        this.sessions = sessions;
        this.resources = resources;
        this.pushed =
                Counter.builder("chakrai_ws_group_messages")
                        .description("group messages pushed to sockets")
                        .register(metrics);
        this.written = stageTimer(metrics, "socket_write");
    }

    /**
     * The last {@value #REMEMBERED} ids seen, the first seen forgotten first (an escalation raised
     * again is a new id built from an old one, so the smallest is not the oldest). Lock-free: every
     * message passes here on every request thread, and a synchronised map made them queue behind
     * one holder descheduled on a busy machine (waits of up to half a second in a profile of the
     * group benchmark).
     */
    static Set<Long> remembered() {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();
        AtomicInteger size = new AtomicInteger();
        return new AbstractSet<>() {
            @Override
            public boolean add(Long id) {
                if (!ids.add(id)) {
                    return false;
                }
                order.add(id);
                if (size.incrementAndGet() > REMEMBERED) {
                    Long oldest = order.poll();
                    if (oldest != null && ids.remove(oldest)) {
                        size.decrementAndGet();
                    }
                }
                return true;
            }

            @Override
            public boolean contains(Object id) {
                return ids.contains(id);
            }

            @Override
            public Iterator<Long> iterator() {
                return Collections.unmodifiableSet(ids).iterator();
            }

            @Override
            public int size() {
                return size.get();
            }
        };
    }

    /** The server event for a visible message. */
    public static ObjectNode event(GroupRepository.Message m) {
        ObjectNode e =
                Json.MAPPER
                        .createObjectNode()
                        .put("type", "group_message")
                        .put("groupId", m.groupId())
                        .put("messageId", m.id())
                        .put("anonymousId", m.anonymousId())
                        .put("message", m.content())
                        .put("messageType", m.messageType())
                        .put("timestamp", m.timestamp().toString());
        if (m.sentiment() != null) {
            e.put("sentiment", m.sentiment());
        }
        if (m.emotionalIntensity() != null) {
            e.put("emotionalIntensity", m.emotionalIntensity());
        }
        return e;
    }

    /**
     * Delivers a visible message to the group's members connected here, once per message id;
     * returns sockets reached.
     */
    public int deliver(GroupRepository.Message m) {
        if (!"visible".equals(m.status()) || m.removed() || !delivered.add(m.id())) {
            return 0;
        }
        String json = event(m).toString();
        int sent = 0;
        long queued = System.nanoTime();
        WriteCallback timed =
                new WriteCallback() {
                    @Override
                    public void writeSuccess() {
                        written.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS);
                    }
                };
        for (int user : members(m.groupId())) {
            sent += sessions.send(user, json, timed);
        }
        pushed.increment(sent);
        return sent;
    }

    /** A message from the change stream, which names the author by participant id only. */
    public int deliver(
            long id,
            int groupId,
            int participantId,
            String type,
            String content,
            Double sentiment,
            Integer intensity,
            java.time.Instant at,
            boolean held,
            boolean removed) {
        if (held || removed || delivered.contains(id)) {
            return 0;
        }
        String name =
                pseudonyms.computeIfAbsent(
                        participantId,
                        p -> {
                            try {
                                return groups.pseudonym(p).orElse("former member");
                            } catch (SQLException e) {
                                return null;
                            }
                        });
        if (name == null) {
            return 0;
        }
        return deliver(
                new GroupRepository.Message(
                        id, groupId, name, type, content, sentiment, intensity, at, "visible",
                        false));
    }

    /**
     * Tells the staff an escalation goes to, connected here, once per escalation and raise: its
     * group's facilitators (a group with none: every facilitator), the facilitator it was raised
     * to, the clinicians once it is raised.
     */
    public int alert(EscalationRepository.Recipients r) {
        if (!alerted.add(r.id() * 16 + Math.min(r.raises(), 15))) {
            return 0;
        }
        ObjectNode e =
                Json.MAPPER
                        .createObjectNode()
                        .put("type", "crisis_alert")
                        .put("escalationId", r.id())
                        .put("kind", r.kind())
                        .put("severity", r.severity());
        if (r.groupId() != null) {
            e.put("groupId", r.groupId());
        }
        if (r.anonymousId() != null) {
            e.put("anonymousId", r.anonymousId());
        }
        if (r.raises() > 0) {
            e.put("raises", r.raises());
        }
        String json = e.toString();
        int sent = 0;
        if (r.everyFacilitator()) {
            sent += sessions.sendToRoles(Set.of("facilitator"), json);
        } else {
            for (int f : r.facilitators()) {
                sent += sessions.send(f, json);
            }
        }
        if (r.clinicians()) {
            sent += sessions.sendToRoles(Set.of("clinician"), json);
        }
        return sent;
    }

    /**
     * Sends the author of a raised escalation the crisis resources again (connected here), once per
     * raise.
     */
    public int helpAgain(EscalationRepository.Recipients r) {
        if (r.author() == null
                || r.raises() == 0
                || !helped.add(r.id() * 16 + Math.min(r.raises(), 15))) {
            return 0;
        }
        ObjectNode event =
                resources
                        .forLanguages(r.locale())
                        .put("type", "crisis_support")
                        .put("held", true)
                        .put("reminder", true);
        if (r.groupId() != null) {
            event.put("groupId", r.groupId());
        }
        if (r.messageId() != null) {
            event.put("messageId", r.messageId());
        }
        return sessions.send(r.author(), event.toString());
    }

    /** Forget a group's cached members (someone joined or left). */
    public void membersChanged(int groupId) {
        changes.computeIfAbsent(groupId, g -> new AtomicLong()).incrementAndGet();
        members.remove(groupId);
        authors.remove(groupId);
    }

    /**
     * The user's active membership of the group, from this instance's cache or the database (empty:
     * not a member). A hint for the message path, which saves it a query a message: the insert
     * checks the membership again in the same statement ({@link GroupRepository#insertMessage}).
     */
    public Optional<GroupRepository.Member> author(int groupId, int user) throws SQLException {
        Map<Integer, GroupRepository.Member> known = authors.get(groupId);
        GroupRepository.Member m = known == null ? null : known.get(user);
        if (m != null) {
            return Optional.of(m);
        }
        // nothing is added for a group id that turns out to have no such member: anyone signed in
        // may name any id
        long seen = changesOf(groupId);
        Optional<GroupRepository.Member> found = groups.membership(groupId, user);
        if (found.isPresent() && changesOf(groupId) == seen) {
            if (authors.size() >= AUTHOR_GROUPS) {
                authors.clear();
            }
            authors.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(user, found.get());
            if (changesOf(groupId) != seen) {
                forgetAuthor(groupId, user); // a change landed meanwhile: not kept
            }
        }
        return found;
    }

    private long changesOf(int groupId) {
        AtomicLong n = changes.get(groupId);
        return n == null ? 0 : n.get();
    }

    /** Forget one cached membership (the insert found it no longer active). */
    public void forgetAuthor(int groupId, int user) {
        Map<Integer, GroupRepository.Member> known = authors.get(groupId);
        if (known != null) {
            known.remove(user);
        }
    }

    /**
     * Whether this instance's member cache lists the user in the group (false when the group is not
     * cached).
     */
    public boolean knowsMember(int groupId, int userId) {
        List<Integer> m = members.get(groupId);
        return m != null && m.contains(userId);
    }

    private List<Integer> members(int groupId) {
        List<Integer> m = members.get(groupId);
        if (m != null) {
            return m;
        }
        try {
            // a change that lands while the database is read may not be in what it returns: then
            // the list is used
            // once and not kept, so a member who just left is not sent this group's messages from a
            // stale cache
            long seen = changes.computeIfAbsent(groupId, g -> new AtomicLong()).get();
            m = List.copyOf(groups.memberUserIds(groupId));
            if (changes.get(groupId).get() == seen) {
                members.put(groupId, m);
                if (changes.get(groupId).get() != seen) {
                    members.remove(groupId, m);
                }
            }
            return m;
        } catch (SQLException e) {
            LOG.warn("cannot read the members of group {}: {}", groupId, e.getSQLState());
            return List.of();
        }
    }
}
