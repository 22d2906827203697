package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * What a person's answer may speak of: the detector's last judged minutes (for a check-in, "how
 * stressed are you right now?") and the onset minutes of their last episodes (for "was this
 * stress?", which may come hours or days later), each with the {@link PersonalModel#features} it
 * was judged on. Onsets are found by {@link EpisodeRun}, the episode rule the stress graph's CEP
 * pattern expresses, so an answer's minute is the one the episode's prediction is stamped after.
 * Two small rings: the state stays bounded however long a person goes without answering. A minute
 * answered is taken out of its ring, so an answer delivered twice teaches once. A plain class with
 * public fields, kept by Flink as a POJO.
 */
public class RecentMinutes {
    /** Judged minutes kept for check-ins. */
    public static final int LATEST = 10;

    /** Episode onsets kept for answers on episodes: weeks of them at the rule's usual rate. */
    public static final int ONSETS = 64;

    public long[] latestAt = new long[0];
    public double[] latestX = new double[0];
    public boolean[] latestStress = new boolean[0];
    public int latestCount;
    public long[] onsetAt = new long[0];
    public double[] onsetX = new double[0];
    public int onsetCount;

    /** The episode rule over the person's minutes, to know which are onsets. */
    public EpisodeRun run = new EpisodeRun();

    public RecentMinutes() {}

    /**
     * Every minute the detector judged, in order: its verdict moves the episode rule on; {@code x}
     * (its features, null when the minute was not judged on signals — moving, no heart rate) is
     * kept for check-ins, and for answers when it is an episode's onset.
     */
    public void add(MinuteEvaluation e, double[] x, EpisodeThresholds t) {
        if (latestAt.length == 0) {
            latestAt = new long[LATEST];
            latestX = new double[LATEST * PersonalModel.DIM];
            latestStress = new boolean[LATEST];
            onsetAt = new long[ONSETS];
            onsetX = new double[ONSETS * PersonalModel.DIM];
            Arrays.fill(latestAt, Long.MIN_VALUE);
            Arrays.fill(onsetAt, Long.MIN_VALUE);
        }
        if (run == null) {
            run = new EpisodeRun();
        }
        boolean onset = run.next(e, t) == EpisodeRun.Step.ONSET;
        if (x == null) {
            return;
        }
        int i = latestCount++ % LATEST;
        latestAt[i] = e.minuteStart();
        latestStress[i] = e.stress();
        System.arraycopy(x, 0, latestX, i * PersonalModel.DIM, PersonalModel.DIM);
        if (onset) {
            int j = onsetCount++ % ONSETS;
            onsetAt[j] = e.minuteStart();
            System.arraycopy(x, 0, onsetX, j * PersonalModel.DIM, PersonalModel.DIM);
        }
    }

    /** A minute found for an answer: its features and whether the detector called it stress. */
    public record Found(double[] features, boolean judgedStress) {}

    /**
     * Takes the minute an answer speaks of: an episode's onset minute exactly, or for a check-in
     * the latest judged minute at most {@code toleranceMs} before it (the minute of the check-in
     * itself may not be judged yet). Null when it is no longer (or never was) here.
     */
    public Found take(long minuteStart, boolean episode, long toleranceMs) {
        if (latestAt.length == 0) {
            return null;
        }
        if (episode) {
            for (int j = 0; j < ONSETS; j++) {
                if (onsetAt[j] == minuteStart) {
                    onsetAt[j] = Long.MIN_VALUE;
                    return new Found(
                            Arrays.copyOfRange(
                                    onsetX, j * PersonalModel.DIM, (j + 1) * PersonalModel.DIM),
                            true);
                }
            }
            return null;
        }
        int best = -1;
        for (int i = 0; i < LATEST; i++) {
            long at = latestAt[i];
            if (at != Long.MIN_VALUE
                    && at <= minuteStart
                    && minuteStart - at <= toleranceMs
                    && (best < 0 || at > latestAt[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        latestAt[best] = Long.MIN_VALUE;
        return new Found(
                Arrays.copyOfRange(
                        latestX, best * PersonalModel.DIM, (best + 1) * PersonalModel.DIM),
                latestStress[best]);
    }
}
