package io.chakrai.api.clinician;

import io.chakrai.api.http.ApiException;
import io.chakrai.api.privacy.AuditRepository;
import java.sql.SQLException;
import java.util.List;

/**
 * A clinician's view of the people who granted clinician access — nobody else's (404, as if they
 * did not exist) — with every look written into that person's audit trail.
 */
public final class ClinicianService {
    private final ClinicianRepository repository;
    private final AuditRepository audit;

    public ClinicianService(ClinicianRepository repository, AuditRepository audit) {
        this.repository = repository;
        this.audit = audit;
    }

    /** The schema's {@code Patients}. */
    public record Patients(List<ClinicianRepository.Patient> patients) {}

    /** Everyone in the clinician's care, each look audited. */
    public Patients patients(int clinician) throws SQLException {
        List<ClinicianRepository.Patient> patients = repository.patients();
        for (ClinicianRepository.Patient p : patients) {
            record(clinician, p.userId());
        }
        return new Patients(patients);
    }

    /** One person's current risk if they granted access, the look audited; else 404. */
    public ClinicianRepository.Patient patient(int clinician, int person) throws SQLException {
        ClinicianRepository.Patient p =
                repository.patient(person).orElseThrow(() -> ApiException.notFound("person"));
        record(clinician, person);
        return p;
    }

    private void record(int clinician, int person) throws SQLException {
        audit.append(
                person,
                "clinician:" + clinician,
                "read",
                "current risk (latest assessment)",
                "clinical care (you granted clinician access)");
    }
}
