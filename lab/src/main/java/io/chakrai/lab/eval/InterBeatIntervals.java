package io.chakrai.lab.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An Empatica E4 {@code IBI.csv}: first line the session start (Unix s), then {@code offset_s,
 * ibi_s}. The E4 drops beats it cannot detect, so only successive beats (whose interval spans back
 * to the previous detected beat) can be differenced for HRV.
 */
public final class InterBeatIntervals {
    private InterBeatIntervals() {}

    /**
     * The successive beats as {absolute time (Unix s), interval (ms), previous interval (ms)};
     * intervals outside 0.3–2.0 s are left out. Empty when the file does not exist.
     */
    public static List<double[]> successiveBeats(Path ibiFile) throws IOException {
        List<double[]> out = new ArrayList<>();
        if (!Files.exists(ibiFile)) {
            return out;
        }
        List<String> lines = Files.readAllLines(ibiFile);
        if (lines.size() < 3) {
            return out;
        }
        double start = Double.parseDouble(lines.get(0).split(",")[0].trim());
        double prevOffset = Double.NaN;
        double prevIbi = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length < 2) {
                continue;
            }
            double offset = Double.parseDouble(f[0].trim());
            double ibi = Double.parseDouble(f[1].trim());
            if (Double.isFinite(prevOffset)
                    && Math.abs(offset - prevOffset - ibi) < 0.05
                    && ibi > 0.3
                    && ibi < 2.0
                    && prevIbi > 0.3
                    && prevIbi < 2.0) {
                out.add(new double[] {start + offset, ibi * 1000, prevIbi * 1000});
            }
            prevOffset = offset;
            prevIbi = ibi;
        }
        return out;
    }
}
