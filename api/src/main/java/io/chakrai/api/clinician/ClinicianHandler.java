package io.chakrai.api.clinician;

import io.chakrai.api.Caller;
import io.chakrai.api.http.Query;
import io.javalin.http.Context;
import java.sql.SQLException;

/**
 * {@code /api/v2/clinician/patients[/{id}/risk]}: HTTP only, the rules in {@link ClinicianService}.
 */
public final class ClinicianHandler {
    private final ClinicianService service;

    public ClinicianHandler(ClinicianService service) {
        this.service = service;
    }

    public void patients(Context ctx) throws SQLException {
        ctx.json(service.patients(Caller.id(ctx)));
    }

    public void risk(Context ctx) throws SQLException {
        int person = (int) Query.pathId(ctx, "person");
        ctx.json(service.patient(Caller.id(ctx), person));
    }
}
