package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.api.http.RouteTable;
import io.chakrai.models.groups.SessionType;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code /api/v2/therapy/groups…}: matching, membership, messages, mood — HTTP only: reads the
 * request, asks {@link GroupService} or {@link GroupMoodService}, writes their records.
 */
public final class GroupHandler {
    public static final int MAX_LIMIT = 200;
    private final GroupService service;
    private final GroupMoodService mood;

    public GroupHandler(GroupService service, GroupMoodService mood) {
        this.service = service;
        this.mood = mood;
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
        String type = ctx.queryParam("session_type");
        if (type != null && SessionType.fromWire(type).isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_query",
                    "session_type: must be one of " + String.join(", ", SessionType.names()));
        }
        int limit = Query.integer(ctx, "limit", 1, 100, 20);
        ctx.json(service.list(Caller.id(ctx), type, limit));
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
        boolean already = j.outcome() == GroupRepository.JoinOutcome.ALREADY_MEMBER;
        ctx.status(already ? 200 : 201)
                .json(new Joined(j.group(), j.member().anonymousId(), already));
    }

    /** The schema's {@code Joined}. */
    record Joined(GroupRepository.Group group, String anonymousId, boolean alreadyMember) {}

    public void leave(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        service.leave(Caller.id(ctx), id);
        ctx.json(new Left(true, id));
    }

    /** The schema's {@code Left}. */
    record Left(boolean left, int groupId) {}

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
        ctx.status(201)
                .json(
                        service.post(
                                Caller.id(ctx),
                                id,
                                type,
                                content.asText(),
                                ctx.header("Accept-Language")));
    }

    public void messages(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        int limit = Query.integer(ctx, "limit", 1, MAX_LIMIT, 50);
        ctx.json(service.messages(Caller.id(ctx), id, Query.cursor(ctx), limit));
    }

    /**
     * The group's mood: members see the group level; facilitators (and clinicians) also each
     * pseudonym's.
     */
    public void sentiment(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        RouteTable.Role role = RouteTable.Role.of(Caller.role(ctx));
        boolean staff = role == RouteTable.Role.FACILITATOR || role == RouteTable.Role.CLINICIAN;
        // not theirs to see: 404 before the query's 400
        GroupMoodService.Visible group = mood.visible(Caller.id(ctx), staff, id);
        int hours = Query.integer(ctx, "hours", 1, 24 * 30, 24);
        ctx.json(mood.of(group, hours));
    }
}
