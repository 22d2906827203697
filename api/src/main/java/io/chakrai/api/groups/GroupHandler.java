package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.api.http.RouteTable;
import io.chakrai.models.groups.SessionType;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

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
        ctx.json(
                service.findMatch(
                        Caller.id(ctx),
                        SessionType.fromWire(Bodies.text(body, "session_type")).orElseThrow(),
                        Bodies.texts(body, "therapeutic_goals"),
                        style(body),
                        ctx.header("Accept-Language")));
    }

    private static String style(JsonNode body) {
        String style = Bodies.text(body, "participation_style");
        return style == null ? "active" : style;
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(
                service.list(
                        Caller.id(ctx),
                        Query.text(ctx, "session_type"),
                        Query.integer(ctx, "limit")));
    }

    public void join(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group");
        JsonNode body = Bodies.object(ctx);
        List<String> goals = Bodies.texts(body, "therapeutic_goals");
        GroupRepository.Joined j =
                service.join(Caller.id(ctx), id, style(body), goals.isEmpty() ? null : goals);
        boolean already = j.outcome() == GroupRepository.JoinOutcome.ALREADY_MEMBER;
        ctx.status(already ? 200 : 201)
                .json(new Joined(j.group(), j.member().anonymousId(), already));
    }

    /** The schema's {@code Joined}. */
    record Joined(GroupRepository.Group group, String anonymousId, boolean alreadyMember) {}

    public void leave(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group");
        service.leave(Caller.id(ctx), id);
        ctx.json(new Left(true, id));
    }

    /** The schema's {@code Left}. */
    record Left(boolean left, int groupId) {}

    public void postMessage(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group");
        // not a member: 404 before anything about the body is said
        service.author(Caller.id(ctx), id);
        JsonNode body = Bodies.object(ctx);
        String type = Objects.requireNonNullElse(Bodies.text(body, "message_type"), "text");
        Bodies.Problems p = Bodies.problems(ctx);
        String content = body.get("content").asText();
        GroupService.messageProblem(type, content).ifPresent(why -> p.add("content", why));
        p.throwIfAny();
        ctx.status(201)
                .json(
                        service.post(
                                Caller.id(ctx), id, type, content, ctx.header("Accept-Language")));
    }

    public void messages(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group");
        int limit = Query.integer(ctx, "limit");
        ctx.json(service.messages(Caller.id(ctx), id, Query.cursor(ctx), limit));
    }

    /**
     * The group's mood: members see the group level; facilitators (and clinicians) also each
     * pseudonym's.
     */
    public void sentiment(Context ctx) throws SQLException {
        int id = (int) Query.pathId(ctx, "group");
        RouteTable.Role role = RouteTable.Role.of(Caller.role(ctx));
        boolean staff = role == RouteTable.Role.FACILITATOR || role == RouteTable.Role.CLINICIAN;
        // not theirs to see: 404 before the query's 400
        GroupMoodService.Visible group = mood.visible(Caller.id(ctx), staff, id);
        int hours = Query.integer(ctx, "hours");
        ctx.json(mood.of(group, hours));
    }
}
