package io.chakrai.api.groups;

import io.chakrai.api.http.ApiException;
import io.chakrai.api.privacy.AuditRepository;
import java.sql.SQLException;
import java.util.List;

/**
 * The people a human must reach now, for the staff they go to (a facilitator: their groups'
 * escalations, those of groups with no facilitator and those raised to them; a clinician: those
 * raised because nobody answered in time), and the groups a facilitator is in charge of. A held
 * message's text is shown only when one escalation is opened, and that read goes into its author's
 * audit trail. Never an e-mail or user id.
 */
public final class EscalationService {
    public static final List<String> STATUSES = List.of("open", "acknowledged", "resolved");

    private final EscalationRepository escalations;
    private final AuditRepository audit;

    public EscalationService(EscalationRepository escalations, AuditRepository audit) {
        this.escalations = escalations;
        this.audit = audit;
    }

    /** The schema's {@code Escalations}. */
    public record Escalations(List<EscalationRepository.Escalation> escalations) {}

    /** The schema's {@code FacilitatorGroups}. */
    public record Groups(List<EscalationRepository.FacilitatedGroup> groups) {}

    /** What {@code staff} may handle, of one {@code status} (null: any), newest first. */
    public Escalations list(EscalationRepository.Staff staff, String status, int limit)
            throws SQLException {
        return new Escalations(escalations.list(status, limit, staff));
    }

    public Groups groupsOf(int facilitator) throws SQLException {
        return new Groups(escalations.groupsOf(facilitator));
    }

    /** The facilitator takes charge of a group too; 404 for a group that does not exist. */
    public Groups take(int group, int facilitator) throws SQLException {
        if (!escalations.take(group, facilitator)) {
            throw ApiException.notFound("group");
        }
        return groupsOf(facilitator);
    }

    /** One escalation opened, its message's read written into the author's audit trail. */
    public EscalationRepository.Escalation open(EscalationRepository.Staff staff, long id)
            throws SQLException {
        EscalationRepository.Found found = visible(staff, id);
        EscalationRepository.Escalation e = found.escalation();
        Integer author = found.author();
        if (author != null && e.message() != null) {
            audit.append(
                    author,
                    staff.role() + " #" + staff.id(),
                    "read",
                    "the group message that raised escalation " + id,
                    "safety: crisis language was found in it");
        }
        return e;
    }

    /**
     * The escalation, if the caller may handle it (anyone else: 404, as for one that does not
     * exist); checked before anything about a request's body is said.
     */
    public EscalationRepository.Found visible(EscalationRepository.Staff staff, long id)
            throws SQLException {
        if (!escalations.visible(id, staff)) {
            throw ApiException.notFound("escalation");
        }
        return escalations.one(id).orElseThrow(() -> ApiException.notFound("escalation"));
    }

    /**
     * Moves an escalation found by {@link #visible} on (open → acknowledged → resolved); 409 from
     * anywhere else.
     */
    public EscalationRepository.Escalation transition(
            EscalationRepository.Staff staff,
            EscalationRepository.Found found,
            String to,
            String note)
            throws SQLException {
        long id = found.escalation().id();
        if (!escalations.transition(id, to, staff.id(), note)) {
            throw new ApiException(
                    409,
                    "invalid_transition",
                    "escalation "
                            + id
                            + " cannot become "
                            + to
                            + " from its current status (open → acknowledged → resolved)");
        }
        return escalations.one(id).orElseThrow().escalation();
    }
}
