package io.chakrai.launcher;

import io.chakrai.models.imports.ImportFormat;
import io.chakrai.models.imports.SampleExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chakrai sample-export}: an export of a simulated person in one of the formats the platform
 * imports.
 */
@Command(
        name = "sample-export",
        mixinStandardHelpOptions = true,
        description =
                "Write an Apple Health / Fitbit / Oura export of a simulated person, to try ./chakrai import or the "
                        + "app's upload (docs/imports.md).")
public final class SampleExportCommand implements Callable<Integer> {
    @Option(
            names = "--format",
            defaultValue = "apple_health",
            description =
                    "apple_health, fitbit, oura, health_connect or garmin_fit (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--days",
            defaultValue = "30",
            description = "days of history, ending now (default: ${DEFAULT-VALUE})")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "which simulated person (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "the ZIP to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        Optional<ImportFormat> f = ImportFormat.fromWire(format);
        if (f.isEmpty() || days < 1 || days > 730) {
            System.err.println(
                    "--format must be one of "
                            + ImportFormat.names()
                            + " and --days from 1 to 730");
            return 2;
        }
        long began = System.nanoTime();
        SampleExport.write(f.get(), out, seed, Instant.now(), days);
        System.out.printf(
                "wrote %s: %d days of a simulated person as %s, %,d bytes, in %.1f s%n",
                out, days, format, Files.size(out), (System.nanoTime() - began) / 1e9);
        return 0;
    }
}
