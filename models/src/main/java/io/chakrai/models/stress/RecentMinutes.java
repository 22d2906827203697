package io.chakrai.models.stress;

import java.util.Arrays;

/**
 * What a person's answer may speak of: the detector's last judged minutes (for a check-in, "how stressed are you right
 * now?") and its last stress minutes (for "was this stress?" on an episode, which may come hours later), each with the
 * {@link PersonalModel#features} it was judged on and the verdict. Two small rings, so the state stays bounded however
 * long a person goes without answering; a minute answered is taken out, so an answer delivered twice teaches once.
 * A plain class with public fields, kept by Flink as a POJO.
 */
public class RecentMinutes {
    /** Judged minutes kept for check-ins. */
    public static final int LATEST = 10;
    /** Stress minutes kept for answers on episodes. */
    public static final int STRESS = 16;

    public long[] latestAt = new long[0];
    public double[] latestX = new double[0];
    public boolean[] latestStress = new boolean[0];
    public int latestCount;
    public long[] stressAt = new long[0];
    public double[] stressX = new double[0];
    public int stressCount;

    public RecentMinutes() {
    }

    /** A minute the detector judged, with its features and verdict. */
    public void add(long minuteStart, double[] x, boolean stress) {
        if (latestAt.length == 0) {
            latestAt = new long[LATEST];
            latestX = new double[LATEST * PersonalModel.DIM];
            latestStress = new boolean[LATEST];
            stressAt = new long[STRESS];
            stressX = new double[STRESS * PersonalModel.DIM];
            Arrays.fill(latestAt, Long.MIN_VALUE);
            Arrays.fill(stressAt, Long.MIN_VALUE);
        }
        int i = latestCount++ % LATEST;
        latestAt[i] = minuteStart;
        latestStress[i] = stress;
        System.arraycopy(x, 0, latestX, i * PersonalModel.DIM, PersonalModel.DIM);
        if (stress) {
            int j = stressCount++ % STRESS;
            stressAt[j] = minuteStart;
            System.arraycopy(x, 0, stressX, j * PersonalModel.DIM, PersonalModel.DIM);
        }
    }

    /** A minute found for an answer: its features and whether the detector called it stress. */
    public record Found(double[] features, boolean judgedStress) {
    }

    /**
     * Takes the minute an answer speaks of: an episode's onset minute exactly (among the stress minutes), or for a
     * check-in the latest judged minute at most {@code toleranceMs} before it (the minute of the check-in itself may
     * not be judged yet). Null when it is no longer (or never was) here.
     */
    public Found take(long minuteStart, boolean episode, long toleranceMs) {
        if (latestAt.length == 0) {
            return null;
        }
        if (episode) {
            for (int j = 0; j < STRESS; j++) {
                if (stressAt[j] == minuteStart) {
                    stressAt[j] = Long.MIN_VALUE;
                    forgetLatest(minuteStart);
                    return new Found(Arrays.copyOfRange(stressX, j * PersonalModel.DIM, (j + 1) * PersonalModel.DIM), true);
                }
            }
            return null;
        }
        int best = -1;
        for (int i = 0; i < LATEST; i++) {
            long at = latestAt[i];
            if (at != Long.MIN_VALUE && at <= minuteStart && minuteStart - at <= toleranceMs && (best < 0 || at > latestAt[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        Found f = new Found(Arrays.copyOfRange(latestX, best * PersonalModel.DIM, (best + 1) * PersonalModel.DIM), latestStress[best]);
        long at = latestAt[best];
        latestAt[best] = Long.MIN_VALUE;
        for (int j = 0; j < STRESS; j++) {
            if (stressAt[j] == at) {
                stressAt[j] = Long.MIN_VALUE;
            }
        }
        return f;
    }

    private void forgetLatest(long minuteStart) {
        for (int i = 0; i < LATEST; i++) {
            if (latestAt[i] == minuteStart) {
                latestAt[i] = Long.MIN_VALUE;
            }
        }
    }
}
