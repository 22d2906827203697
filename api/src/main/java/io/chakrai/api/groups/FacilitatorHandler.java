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
 * {@code /api/v2/facilitator/…}: the people a human must reach now, by pseudonym and group, for the
 * staff they go to (a facilitator: their groups' escalations, those of groups with no facilitator
 * and those raised to them; a clinician: those raised because nobody answered in time); the groups
 * a facilitator is in charge of. A held message's text is shown only when one escalation is opened,
 * and that read goes into its author's audit trail. Never an e-mail or user id.
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
            throw ApiException.badRequest(
                    "invalid_query", "status: must be one of " + String.join(", ", STATUSES));
        }
        ctx.json(
                Map.of(
                        "escalations",
                        escalations.list(
                                status, Query.integer(ctx, "limit", 1, 500, 100), staff(ctx))));
    }

    private static EscalationRepository.Staff staff(Context ctx) {
        return new EscalationRepository.Staff(Caller.id(ctx), Caller.role(ctx));
    }

    /**
     * The escalation, if the caller may handle it (anyone else: 404, as for one that does not
     * exist).
     */
    private EscalationRepository.Found visible(Context ctx, long id) throws SQLException {
        if (!escalations.visible(id, staff(ctx))) {
            throw ApiException.notFound("escalation");
        }
        return escalations.one(id).orElseThrow(() -> ApiException.notFound("escalation"));
    }

    /** {@code GET /api/v2/facilitator/groups}: the groups the facilitator is in charge of. */
    public void groups(Context ctx) throws SQLException {
        ctx.json(Map.of("groups", escalations.groupsOf(Caller.id(ctx))));
    }

    /** {@code PUT /api/v2/facilitator/groups/{id}}: the facilitator takes charge of a group too. */
    public void take(Context ctx) throws SQLException {
        int group = (int) Query.pathId(ctx, "group", Integer.MAX_VALUE);
        if (!escalations.take(group, Caller.id(ctx))) {
            throw ApiException.notFound("group");
        }
        ctx.json(Map.of("groups", escalations.groupsOf(Caller.id(ctx))));
    }

    public void get(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation", Long.MAX_VALUE);
        EscalationRepository.Found found = visible(ctx, id);
        EscalationRepository.Escalation e = found.escalation();
        Integer author = found.author();
        if (author != null && e.message() != null) {
            audit.append(
                    author,
                    Caller.role(ctx) + " #" + Caller.id(ctx),
                    "read",
                    "the group message that raised escalation " + id,
                    "safety: crisis language was found in it");
        }
        ctx.json(e);
    }

    public void update(Context ctx) throws SQLException {
        long id = Query.pathId(ctx, "escalation", Long.MAX_VALUE);
        // not the caller's to handle: 404 before anything about the body is said
        visible(ctx, id);
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = new Bodies.Problems();
        String to = p.oneOf(body, "status", true, List.of("acknowledged", "resolved")).orElse(null);
        String note = p.text(body, "note", false, 2_000).orElse(null);
        p.throwIfAny("invalid_escalation_update");
        if (!escalations.transition(id, to, Caller.id(ctx), note)) {
            throw new ApiException(
                    409,
                    "invalid_transition",
                    "escalation "
                            + id
                            + " cannot become "
                            + to
                            + " from its current status (open → acknowledged → resolved)");
        }
        ctx.json(escalations.one(id).orElseThrow().escalation());
    }

    static final Set<String> STAFF = Set.of("facilitator", "clinician");
}
