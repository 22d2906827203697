package io.chakrai.launcher;

import io.chakrai.api.auth.UserRepository;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.devices.TokenCipher;
import io.chakrai.api.imports.Import;
import io.chakrai.api.imports.ImportRepository;
import io.chakrai.api.imports.ImportService;
import io.chakrai.api.privacy.AuditRepository;
import io.chakrai.api.readings.ReadingPublisher;
import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.models.Topics;
import io.chakrai.models.imports.ImportFormat;
import io.chakrai.models.readings.ReadingTiming;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chakrai import FILE --user EMAIL}: an operator imports an export file on this machine for
 * a person, through the same checks and the same Kafka topic as an upload through the API; prints
 * what was read, accepted and skipped.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Import a person's Apple Health / Fitbit / Oura export from a file (see docs/imports.md). "
                        + "Try it: ./chakrai sample-export --out /tmp/export.zip, then ./chakrai import /tmp/export.zip --user sim-001@chakrai.local")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            description =
                    "the export: export.zip / export.xml, a Takeout ZIP or a Fitbit file, Oura's JSON")
    Path file;

    @Option(names = "--user", required = true, description = "the person's e-mail")
    String email;

    @Option(
            names = "--format",
            description =
                    "apple_health, fitbit, oura, health_connect or garmin_fit (default: detected from the file)")
    String format;

    @Option(
            names = "--time-zone",
            defaultValue = "UTC",
            description = "for exports that write local times (default: ${DEFAULT-VALUE})")
    String zone;

    @Option(
            names = "--kafka-bootstrap",
            defaultValue = "${env:CHAKRAI_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka (default: ${DEFAULT-VALUE})")
    String kafka;

    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("no file " + file);
            return 2;
        }
        Optional<ImportFormat> f =
                format == null ? Optional.empty() : ImportFormat.fromWire(format);
        if (format != null && f.isEmpty()) {
            System.err.println("--format must be one of " + ImportFormat.names());
            return 2;
        }
        DataSource ds = db.dataSource();
        Optional<UserRepository.StoredUser> user = new UserRepository(ds).byEmail(email);
        if (user.isEmpty()) {
            System.err.println("no account with e-mail " + email);
            return 1;
        }
        try (ReadingPublisher publisher =
                ReadingPublisher.create(kafka, Topics.READINGS, Map.of())) {
            ImportService service =
                    new ImportService(
                            new ImportRepository(ds),
                            // an import registers devices without a vendor token, so the cipher's
                            // key is never used
                            new DeviceRepository(ds, new TokenCipher(throwawayKey())),
                            new AuditRepository(ds),
                            publisher,
                            ReadingTiming.DEFAULT,
                            Clock.systemUTC(),
                            Files.createTempDirectory("chakrai-import"),
                            new SimpleMeterRegistry());
            long began = System.nanoTime();
            service.onProgress(
                    (u, json) ->
                            System.out.print(
                                    "\r"
                                            + json.replaceAll(
                                                    ".*\"records_read\":(\\d+).*\"accepted\":(\\d+).*",
                                                    "read $1 records, accepted $2 readings")
                                            + "   "));
            Import done =
                    service.importLocal(user.get().id(), file, f.orElse(null), ZoneId.of(zone));
            double seconds = (System.nanoTime() - began) / 1e9;
            System.out.printf(
                    "%nimport %d %s in %.1f s: %d records read, %d readings accepted, %d already stored%n",
                    done.id(),
                    done.status(),
                    seconds,
                    done.recordsRead(),
                    done.accepted(),
                    done.duplicates());
            done.skipped().forEach((why, n) -> System.out.printf("  skipped %,d: %s%n", n, why));
            if (done.error() != null) {
                System.out.println("  " + done.error());
            }
            return Import.DONE.equals(done.status()) ? 0 : 1;
        }
    }

    private static String throwawayKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
