package io.chakrai.launcher.voice;

import io.chakrai.models.voice.VoiceFeatures;
import io.chakrai.models.voice.WavAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chakrai voice-features FILE.wav…}: the acoustic features of recordings, one line each, with extraction time. */
@Command(name = "voice-features", mixinStandardHelpOptions = true, description = "Acoustic features of WAV recordings.")
public final class VoiceFeaturesCommand implements Callable<Integer> {
    @Parameters(arity = "1..*")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            WavAudio a = WavAudio.read(Files.readAllBytes(f));
            VoiceFeatures.extract(a); // warm-up
            long t0 = System.nanoTime();
            Map<String, Double> x = VoiceFeatures.extract(a);
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "%s %.2f %.2f %.5f %.5f %.2f %.2f %.1f %.1f%n", f.getFileName(), x.get("f0_mean_hz"),
                    x.get("f0_sd_hz"), x.get("jitter_local"), x.get("shimmer_local"), x.get("hnr_db"), x.get("speech_rate_per_s"),
                    ms, ms / a.seconds() * 60);
        }
        return 0;
    }
}
