package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Cursor;
import io.chakrai.api.http.Query;
import io.chakrai.models.groups.SessionType;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v2/therapy/groups…}: matching, membership, messages, mood. */
public final class GroupHandler {
    public static final int MAX_LIMIT = 200;
    private final GroupService service;
    private final GroupRepository groups;
    private final GroupMoodRepository mood;
    private final Clock clock;

    public GroupHandler(
            GroupService service, GroupRepository groups, GroupMoodRepository mood, Clock clock) {
        this.service = service;
        this.groups = groups;
        this.mood = mood;
        this.clock = clock;
    }

    public void findMatch(Context ctx) throws SQLException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String type = p.oneOf(body, "session_type", true, SessionType.names()).orElse(null);
        List<String> goals = p.texts(body, "therapeutic_goals", true, 10, 200).orElse(null);
        String style =
                p.oneOf(body, "participation_style", false, GroupService.STYLES).orElse("active");
        p.throwIfAny("invalid_match_request");
        ctx.json(
                service.findMatch(
                        Caller.id(ctx),
                        SessionType.fromWire(type).orElseThrow(),
                        goals,
                        style,
                        ctx.header("Accept-Language")));
    }

    public void list(Context ctx) throws SQLException {
        int user = Caller.id(ctx);
        String type = ctx.queryParam("session_type");
        if (type != null && SessionType.fromWire(type).isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_query",
                    "session_type: must be one of " + String.join(", ", SessionType.names()));
        }
        int limit = Query.integer(ctx, "limit", 1, 100, 20);
        List<Map<String, Object>> mine = new ArrayList<>();
        for (GroupRepository.Seat row : groups.mine(user)) {
            Map<String, Object> m = new LinkedHashMap<>(asMap(row.group()));
            GroupRepository.Member me = row.me();
            m.put("anonymous_id", me.anonymousId());
            m.put("participation_style", me.participationStyle());
            m.put("joined_at", me.joinedAt());
            mine.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groups", mine);
        out.put("open_groups", groups.open(user, type, limit));
        ctx.json(out);
    }

    public void join(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        JsonNode body = Bodies.objectOrEmpty(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String style =
                p.oneOf(body, "participation_style", false, GroupService.STYLES).orElse("active");
        List<String> goals = p.texts(body, "therapeutic_goals", false, 10, 200).orElse(null);
        p.throwIfAny("invalid_join");
        GroupRepository.Joined j = service.join(Caller.id(ctx), id, style, goals);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group", j.group());
        out.put("anonymous_id", j.member().anonymousId());
        out.put("already_member", j.outcome() == GroupRepository.JoinOutcome.ALREADY_MEMBER);
        ctx.status(j.outcome() == GroupRepository.JoinOutcome.JOINED ? 201 : 200).json(out);
    }

    public void leave(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        service.leave(Caller.id(ctx), id);
        ctx.json(Map.of("left", true, "group_id", id));
    }

    public void postMessage(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        // not a member: 404 before anything about the body is said
        service.author(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String type =
                p.oneOf(body, "message_type", false, List.of("text", "voice", "reaction"))
                        .orElse("text");
        JsonNode content = body.has("content") ? body.get("content") : body.get("message");
        if (content == null || !content.isTextual()) {
            p.add("content", "is required: the message text");
        }
        p.throwIfAny("invalid_message");
        GroupService.Posted posted =
                service.post(
                        Caller.id(ctx), id, type, content.asText(), ctx.header("Accept-Language"));
        Map<String, Object> out = new LinkedHashMap<>(asMap(posted.message()));
        if (posted.crisisSupport() != null) {
            out.put("crisis_support", posted.crisisSupport());
        }
        ctx.status(201).json(out);
    }

    public void messages(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        int limit = Query.integer(ctx, "limit", 1, MAX_LIMIT, 50);
        Cursor after = Query.cursor(ctx);
        List<GroupRepository.Message> page =
                service.messages(
                        Caller.id(ctx),
                        id,
                        after == null ? null : after.timestamp(),
                        after == null ? null : after.id(),
                        limit + 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "messages",
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(GroupHandler::asMap)
                        .toList());
        if (page.size() > limit) {
            GroupRepository.Message last = page.get(limit - 1);
            out.put("next_cursor", new Cursor(last.timestamp(), last.id()).encode());
        } else {
            out.put("next_cursor", null);
        }
        ctx.json(out);
    }

    /**
     * The group's mood: members see the group level; facilitators (and clinicians) also each
     * pseudonym's.
     */
    public void sentiment(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        String role = Caller.role(ctx);
        boolean staff = Set.of("facilitator", "clinician").contains(role);
        if (!staff) {
            service.member(Caller.id(ctx), id);
        } else if (groups.group(id).isEmpty()) {
            throw ApiException.notFound("group");
        }
        int hours = Query.integer(ctx, "hours", 1, 24 * 30, 24);
        Instant now = clock.instant();
        List<GroupMoodRepository.Window> windows =
                mood.windows(id, now.minus(Duration.ofHours(hours)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_id", id);
        out.put("windows", windows);
        out.put("trend", trend(windows));
        out.put("engagement", mood.engagement(id, now.minus(Duration.ofHours(1))));
        if (staff) {
            out.put("members", mood.perMember(id, now.minus(Duration.ofHours(hours))));
        }
        out.put(
                "about",
                "windows of the group's mood from the group-dynamics job (5 minutes each, message-weighted); "
                        + "trend: the slope of mean sentiment over the last windows");
        ctx.json(out);
    }

    /** Least-squares slope of mean sentiment over the last (up to) 12 windows. */
    static Map<String, Object> trend(List<GroupMoodRepository.Window> windows) {
        List<GroupMoodRepository.Window> w =
                windows.subList(Math.max(0, windows.size() - 12), windows.size());
        Map<String, Object> out = new LinkedHashMap<>();
        if (w.size() < 2) {
            out.put("direction", "unknown");
            out.put("slope_per_window", null);
            out.put("windows", w.size());
            return out;
        }
        double n = w.size();
        double mx = (n - 1) / 2;
        double my =
                w.stream()
                        .mapToDouble(GroupMoodRepository.Window::meanSentiment)
                        .average()
                        .orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < w.size(); i++) {
            num += (i - mx) * (w.get(i).meanSentiment() - my);
            den += (i - mx) * (i - mx);
        }
        double slope = num / den;
        out.put("direction", slope > 0.02 ? "rising" : slope < -0.02 ? "falling" : "steady");
        out.put("slope_per_window", GroupMoodRepository.round(slope));
        out.put("windows", w.size());
        return out;
    }

    static Map<String, Object> asMap(GroupRepository.Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("session_type", g.sessionType());
        m.put("status", g.status());
        m.put("current_participants", g.currentParticipants());
        m.put("max_participants", g.maxParticipants());
        m.put("therapeutic_goals", g.therapeuticGoals());
        m.put("compatibility_score", g.compatibilityScore());
        m.put("created_at", g.createdAt());
        return m;
    }

    static Map<String, Object> asMap(GroupRepository.Message msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", msg.id());
        m.put("group_id", msg.groupId());
        m.put("anonymous_id", msg.anonymousId());
        m.put("message_type", msg.messageType());
        m.put("content", msg.content());
        m.put("sentiment", msg.sentiment());
        m.put("emotional_intensity", msg.emotionalIntensity());
        m.put("timestamp", msg.timestamp());
        m.put("status", msg.status());
        if (msg.removed()) {
            m.put("removed", true);
        }
        return m;
    }
}
