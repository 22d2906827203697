package io.chakrai.api.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.chakrai.api.auth.AuthService;
import io.chakrai.api.auth.PasswordHasher;
import io.chakrai.api.auth.UserRepository;
import io.chakrai.api.http.ApiException;
import io.chakrai.models.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A person's right to take their data and to have it erased. The export is a ZIP streamed as it is
 * written (JSON per kind of data, the readings as CSV through a database cursor, a manifest with
 * the counts); erasure, confirmed with the password, removes the person from every table in one
 * transaction.
 */
public final class PrivacyService {
    /**
     * How long Kafka keeps records keyed by a person after they were written (set on the topics at
     * start).
     */
    public static final String KAFKA_RETENTION =
            "readings and predictions stay on their Kafka topics (keyed by "
                    + "your user id) until the topics' retention removes them: 7 days for biometric.readings and predictions, "
                    + "30 days for the dead-letter topic; the change stream of your answers about stress "
                    + "(cdc.public.stress_answers) 7 days";

    private final PrivacyRepository repository;
    private final AuditRepository audit;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public PrivacyService(
            PrivacyRepository repository,
            AuditRepository audit,
            UserRepository users,
            PasswordHasher hasher,
            Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** How many rows the export will hold, per file. */
    public Map<String, Long> counts(int user) throws SQLException {
        return repository.counts(user);
    }

    /** Writes the whole export of {@code user} to {@code out} as a ZIP; the trail records it. */
    public void export(int user, Map<String, Long> counts, OutputStream out)
            throws SQLException, IOException {
        audit.append(
                user,
                "person:" + user,
                "export",
                counts.values().stream().mapToLong(Long::longValue).sum()
                        + " rows of everything stored about you",
                "your own export (GET /api/v2/me/export)");
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("generated_at", clock.instant().toString());
            manifest.put("user_id", user);
            manifest.put("rows", counts);
            manifest.put(
                    "files",
                    "account.json … sign_in_sessions.json: JSON arrays, one object per row; readings.csv: "
                            + "every reading, oldest first (timestamp ISO-8601 UTC, value in the unit named beside it)");
            manifest.put(
                    "not_included",
                    "your password (only a bcrypt hash is kept, and not exported), device vendor tokens "
                            + "(stored encrypted, never returned), refresh tokens (only their SHA-256 is kept)");
            manifest.put("kafka", KAFKA_RETENTION);
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            for (String table : PrivacyRepository.TABLES.keySet()) {
                zip.putNextEntry(new ZipEntry(table + ".json"));
                try (JsonGenerator g =
                        Json.MAPPER.getFactory().createGenerator(new NonClosing(zip))) {
                    g.writeStartArray();
                    repository.rows(user, table, row -> Json.MAPPER.writeTree(g, row));
                    g.writeEndArray();
                }
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("readings.csv"));
            CsvMapper mapper =
                    CsvMapper.builder()
                            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                            // the record's order, not CsvMapper's default alphabetical one
                            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                            .build();
            CsvSchema schema =
                    mapper.schemaFor(PrivacyRepository.ExportedReading.class).withHeader();
            try (SequenceWriter csv = mapper.writer(schema).writeValues(new NonClosing(zip))) {
                repository.readings(user, csv::write);
            }
            zip.closeEntry();
        }
    }

    /**
     * Erases {@code user} after checking their password (403 otherwise); returns how many rows went
     * from each table.
     */
    public Map<String, Integer> erase(int user, String password) throws SQLException {
        var stored = users.byId(user).orElseThrow(() -> ApiException.notFound("account"));
        if (!hasher.matches(password, stored.passwordHash())) {
            throw new ApiException(
                    403, "wrong_password", "password: is not your password; nothing was erased");
        }
        return repository.erase(user, AuthService.throttleKey(stored.email()), clock.instant());
    }

    /** Who read or changed the person's data, newest first. */
    public List<AuditRepository.Entry> trail(int user, int limit) throws SQLException {
        return audit.trail(user, limit);
    }

    public Map<String, AuditRepository.Consent> consents(int user) throws SQLException {
        return audit.consents(user);
    }

    /**
     * Records the person's choice for one kind of use (one of {@link
     * AuditRepository#CONSENT_KINDS}, as the route declares); the trail records it too.
     */
    public AuditRepository.Consent consent(int user, String kind, boolean granted)
            throws SQLException {
        AuditRepository.Consent c = audit.consent(user, kind, granted).orElseThrow();
        audit.append(
                user,
                "person:" + user,
                "consent",
                kind + (granted ? " granted" : " withdrawn"),
                "your own choice");
        return c;
    }

    /** Lets the ZIP stream stay open when a writer inside it closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
