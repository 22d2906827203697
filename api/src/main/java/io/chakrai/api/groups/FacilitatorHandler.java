package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.javalin.http.Context;
import java.sql.SQLException;

/** {@code /api/v2/facilitator/…}: HTTP only, the rules in {@link EscalationService}. */
public final class FacilitatorHandler {
    private final EscalationService service;

    public FacilitatorHandler(EscalationService service) {
        this.service = service;
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(service.list(staff(ctx), Query.text(ctx, "status"), Query.integer(ctx, "limit")));
    }

    private static EscalationRepository.Staff staff(Context ctx) {
        return new EscalationRepository.Staff(Caller.id(ctx), Caller.role(ctx));
    }

    /** {@code GET /api/v2/facilitator/groups}: the groups the facilitator is in charge of. */
    public void groups(Context ctx) throws SQLException {
        ctx.json(service.groupsOf(Caller.id(ctx)));
    }

    /** {@code PUT /api/v2/facilitator/groups/{id}}: the facilitator takes charge of a group too. */
    public void take(Context ctx) throws SQLException {
        int group = (int) Query.pathId(ctx, "group");
        ctx.json(service.take(group, Caller.id(ctx)));
    }

    public void get(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation");
        ctx.json(service.open(staff(ctx), id));
    }

    public void update(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation");
        // not the caller's to handle: 404 before anything about the body is said
        EscalationRepository.Found found = service.visible(staff(ctx), id);
        JsonNode body = Bodies.object(ctx);
        ctx.json(
                service.transition(
                        staff(ctx), found, Bodies.text(body, "status"), Bodies.text(body, "note")));
    }
}
