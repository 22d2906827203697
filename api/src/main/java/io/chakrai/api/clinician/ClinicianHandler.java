package io.chakrai.api.clinician;

import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.privacy.AuditRepository;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/clinician/patients[/{id}/risk]}: a clinician sees the current risk of the people
 * who granted clinician access — nobody else's (404, as if they did not exist) — and every look is
 * written into that person's audit trail.
 */
public final class ClinicianHandler {
    private final ClinicianRepository repository;
    private final AuditRepository audit;

    public ClinicianHandler(ClinicianRepository repository, AuditRepository audit) {
        this.repository = repository;
        this.audit = audit;
    }

    public void patients(Context ctx) throws SQLException {
        List<ClinicianRepository.Patient> patients = repository.patients();
        for (ClinicianRepository.Patient p : patients) {
            record(ctx, p.userId());
        }
        ctx.json(Map.of("patients", patients));
    }

    public void risk(Context ctx) throws SQLException {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_path", "id: must be a whole number");
        }
        ClinicianRepository.Patient p =
                repository.patient(id).orElseThrow(() -> ApiException.notFound("person"));
        record(ctx, id);
        ctx.json(p);
    }

    private void record(Context ctx, int person) throws SQLException {
        audit.append(
                person,
                "clinician:" + Caller.id(ctx),
                "read",
                "current risk (latest assessment)",
                "clinical care (you granted clinician access)");
    }
}
