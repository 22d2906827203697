package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.api.privacy.AuditRepository;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v2/facilitator/escalations…}: the people a human must reach now, by pseudonym and group. A
 * held message's text is shown only when one escalation is opened, and that read goes into its author's audit
 * trail. Never an e-mail or user id.
 */
public final class FacilitatorHandler {
    public static final List<String> STATUSES = List.of("open", "acknowledged", "resolved");
    private final EscalationRepository escalations;
    private final AuditRepository audit;

    public FacilitatorHandler(EscalationRepository escalations, AuditRepository audit) {
        this.escalations = escalations;
        this.audit = audit;
    }

    public void list(Context ctx) throws SQLException {
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("invalid_query", "status: must be one of " + String.join(", ", STATUSES));
        }
        ctx.json(Map.of("escalations", escalations.list(status, Query.integer(ctx, "limit", 1, 500, 100))));
    }

    public void get(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation", Long.MAX_VALUE);
        Object[] found = escalations.one(id).orElseThrow(() -> ApiException.notFound("escalation"));
        EscalationRepository.Escalation e = (EscalationRepository.Escalation) found[0];
        Integer author = (Integer) found[1];
        if (author != null && e.message() != null) {
            audit.append(author, Caller.role(ctx) + " #" + Caller.id(ctx), "read", "the group message that raised escalation " + id,
                    "safety: crisis language was found in it");
        }
        ctx.json(e);
    }

    public void update(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation", Long.MAX_VALUE);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String to = p.oneOf(body, "status", true, List.of("acknowledged", "resolved")).orElse(null);
        String note = p.text(body, "note", false, 2_000).orElse(null);
        p.throwIfAny("invalid_escalation_update");
        if (escalations.one(id).isEmpty()) {
            throw ApiException.notFound("escalation");
        }
        if (!escalations.transition(id, to, Caller.id(ctx), note)) {
            throw new ApiException(409, "invalid_transition", "escalation " + id + " cannot become " + to
                    + " from its current status (open → acknowledged → resolved)");
        }
        ctx.json(((Object[]) escalations.one(id).orElseThrow())[0]);
    }

    static final Set<String> STAFF = Set.of("facilitator", "clinician");
}
