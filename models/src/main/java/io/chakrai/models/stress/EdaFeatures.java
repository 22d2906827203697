package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * Skin conductance (EDA, µS) over a span of time, as the classic markers of acute stress: the tonic
 * level (the slow baseline: the span's 10th percentile, robust to the responses riding on it) and
 * the phasic skin-conductance responses (SCRs): a rise of at least {@link #MIN_AMPLITUDE_US} from a
 * trough to the next peak within {@link #MAX_RISE_MS}, counted per minute with their mean
 * amplitude. Works at any sampling rate a wrist device reports (the Empatica E4's 4 Hz, a watch's 1
 * Hz); samples must be in time order. Pure, so training, evaluation and the live job compute the
 * same figures.
 *
 * @param tonic µS, the span's 10th percentile (NaN without samples)
 * @param scrPerMinute responses per minute of the span
 * @param scrAmplitude mean rise of those responses, µS (0 when none)
 */
public record EdaFeatures(double tonic, double scrPerMinute, double scrAmplitude) {
    /** The smallest rise counted as a response (the usual 0.01–0.05 µS threshold's middle). */
    public static final double MIN_AMPLITUDE_US = 0.03;

    /** A response rises within this long (onset to peak is 1–3 s, up to ~5 s). */
    public static final long MAX_RISE_MS = 5_000;

    /**
     * @param timesMs sample times, epoch ms, ascending
     * @param valuesUs conductance, µS
     * @param spanMs the span the samples cover (e.g. 60,000 for a minute), for the rate
     */
    public static EdaFeatures of(long[] timesMs, double[] valuesUs, long spanMs) {
        int n = valuesUs.length;
        if (n == 0 || spanMs <= 0) {
            return new EdaFeatures(Double.NaN, 0, 0);
        }
        double[] sorted = valuesUs.clone();
        Arrays.sort(sorted);
        double tonic = sorted[(int) Math.floor(0.1 * (n - 1))];
        int responses = 0;
        double rise = 0;
        int since = 0; // responses do not share a rise: each starts after the previous one's peak
        for (int i = 1; i < n; i++) {
            boolean peak =
                    valuesUs[i] >= valuesUs[i - 1] && (i == n - 1 || valuesUs[i + 1] < valuesUs[i]);
            if (!peak) {
                continue;
            }
            double low = valuesUs[i];
            for (int j = i - 1; j >= since && timesMs[i] - timesMs[j] <= MAX_RISE_MS; j--) {
                low = Math.min(low, valuesUs[j]);
            }
            if (valuesUs[i] - low >= MIN_AMPLITUDE_US) {
                responses++;
                rise += valuesUs[i] - low;
                since = i;
            }
        }
        return new EdaFeatures(
                tonic, responses * 60_000.0 / spanMs, responses == 0 ? 0 : rise / responses);
    }
}
