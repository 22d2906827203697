package io.chakrai.lab.voice;

import io.chakrai.models.Json;
import io.chakrai.models.voice.VoiceFeatures;
import io.chakrai.models.voice.WavAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code chakrai voice-features FILE.wav…}: the acoustic features of recordings, one line each
 * (file, F0 mean, F0 SD, jitter, shimmer, HNR, speech rate, extraction ms, ms per minute of audio),
 * or every feature as JSON with {@code --json}. A file that is not a readable recording is reported
 * and the rest still run (exit 2).
 */
@Command(
        name = "voice-features",
        mixinStandardHelpOptions = true,
        description = "Acoustic features of WAV recordings.")
public final class VoiceFeaturesCommand implements Callable<Integer> {
    @Parameters(arity = "1..*")
    List<Path> files;

    @picocli.CommandLine.Option(
            names = "--json",
            description = "print every feature (MFCCs included) as one JSON object per file")
    boolean json;

    @picocli.CommandLine.Option(
            names = "--csv",
            description =
                    "print a CSV (header, then file and every feature per "
                            + "recording): add subject and label columns and it trains with chakrai train --dataset CSV")
    boolean csv;

    @Override
    public Integer call() throws Exception {
        int exit = 0;
        boolean header = false;
        for (Path f : files) {
            WavAudio a;
            try {
                a = WavAudio.read(Files.readAllBytes(f));
            } catch (WavAudio.InvalidAudioException | IOException e) {
                System.err.println(f + ": " + e.getMessage());
                exit = 2;
                continue;
            }
            VoiceFeatures.extract(a); // warm-up
            long t0 = System.nanoTime();
            Map<String, Double> x = VoiceFeatures.extract(a);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (csv) {
                if (!header) {
                    System.out.println("file," + String.join(",", x.keySet()));
                    header = true;
                }
                System.out.println(
                        f.getFileName()
                                + ","
                                + String.join(
                                        ",",
                                        x.values().stream()
                                                .map(
                                                        v ->
                                                                Double.isFinite(v)
                                                                        ? Double.toString(v)
                                                                        : "")
                                                .toList()));
                continue;
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>(x);
                out.put("file", f.toString());
                out.put("extraction_ms_per_audio_minute", Math.round(ms / a.seconds() * 60));
                System.out.println(Json.MAPPER.writeValueAsString(out));
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s %.2f %.2f %.5f %.5f %.2f %.2f %.1f %.1f%n",
                    f.getFileName(),
                    x.get("f0_mean_hz"),
                    x.get("f0_sd_hz"),
                    x.get("jitter_local"),
                    x.get("shimmer_local"),
                    x.get("hnr_db"),
                    x.get("speech_rate_per_s"),
                    ms,
                    ms / a.seconds() * 60);
        }
        return exit;
    }
}
