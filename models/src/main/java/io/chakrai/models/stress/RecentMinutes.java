package io.chakrai.models.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * What a person's answer may speak of: the detector's last judged minutes (for a check-in, "how
 * stressed are you right now?") and the onset minutes of their last episodes (for "was this
 * stress?", which may come hours or days later), each with the {@link PersonalModel#features} it
 * was judged on. Onsets are found by {@link EpisodeRun}, the episode rule the stress graph's CEP
 * pattern expresses, so an answer's minute is the one the episode's prediction is stamped after.
 * Two small rings: the state stays bounded however long a person goes without answering. An onset
 * answered is taken out of its ring and the last {@link #ANSWERED} check-ins are remembered, so an
 * answer delivered twice teaches once. An answer that comes before the minute it speaks of is
 * judged waits for it, up to {@link #WAITING} at a time and until {@link #expire} gives up on it: a
 * check-in (the phone posts it at once, the watch syncs every quarter or half hour), or an answer
 * on an episode whose onset a restore from a checkpoint is judging again. A plain class with public
 * fields, kept by Flink as a POJO.
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

    /** Answers kept until the minutes they speak of are judged; the longest waiting gives way. */
    public static final int WAITING = 8;

    /** Start of the newest minute judged (with features or not): how far the person's data is. */
    public long newestAt = Long.MIN_VALUE;

    public long[] waitingAt = new long[0];
    public int[] waitingLabel = new int[0];

    /** Which waiting answers are on an episode; null in state kept before answers on one waited. */
    public boolean[] waitingEpisode = new boolean[0];

    /** Check-ins answered lately (at most one a minute), so one delivered again teaches nothing. */
    public static final int ANSWERED = 16;

    public long[] answeredAt = new long[0];
    public int answeredCount;

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
        newestAt = Math.max(newestAt, e.minuteStart());
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

    private void remember(long checkIn) {
        if (answeredAt.length == 0) {
            answeredAt = new long[ANSWERED];
            Arrays.fill(answeredAt, Long.MIN_VALUE);
        }
        answeredAt[answeredCount++ % ANSWERED] = checkIn;
    }

    /** A minute found for an answer: its features and whether the detector called it stress. */
    public record Found(double[] features, boolean judgedStress) {}

    /**
     * Takes the minute an answer speaks of: an episode's onset minute exactly (taken out, so an
     * answer delivered twice teaches once), or for a check-in the latest judged minute at most
     * {@code toleranceMs} before it; the check-in is remembered as answered, found or not, so a
     * copy is {@link #seen}. Null when the minute is no longer (or never was) here.
     */
    public Found take(long minuteStart, boolean episode, long toleranceMs) {
        if (episode) {
            for (int j = 0; j < onsetAt.length; j++) {
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
        remember(minuteStart);
        int best = -1;
        for (int i = 0; i < latestAt.length; i++) {
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
        return new Found(
                Arrays.copyOfRange(
                        latestX, best * PersonalModel.DIM, (best + 1) * PersonalModel.DIM),
                latestStress[best]);
    }

    /**
     * A check-in's answer and the minute it found; {@code minute} null when none was judged within
     * the tolerance before it.
     */
    public record Settled(int label, Found minute) {}

    /**
     * Whether the person's judged minutes have not reached {@code minuteStart} yet: a check-in
     * there (the watch syncs after the phone, or its own minute is still open) should {@link
     * #await} them, to be matched with its own minute rather than an older one; so should an answer
     * on an episode whose onset it is (judged again after a restore).
     */
    public boolean ahead(long minuteStart) {
        long newest = newestAt;
        for (long at : latestAt) { // state kept before newestAt was (its judged minutes)
            newest = Math.max(newest, at);
        }
        return newest < minuteStart;
    }

    /**
     * Whether the check-in at {@code minuteStart} was answered already or is waiting: the change
     * stream is at-least-once, and a second copy would take an older minute and teach again.
     */
    public boolean seen(long minuteStart) {
        for (long at : answeredAt) {
            if (at == minuteStart) {
                return true;
            }
        }
        return waiting(minuteStart, false);
    }

    private boolean waiting(long minuteStart, boolean episode) {
        for (int i = 0; i < waitingAt.length; i++) {
            if (waitingAt[i] == minuteStart && episodeAt(i) == episode) {
                return true;
            }
        }
        return false;
    }

    private boolean episodeAt(int i) {
        return waitingEpisode != null && i < waitingEpisode.length && waitingEpisode[i];
    }

    /**
     * Keeps an answer until a minute at or after its own is judged; a check-in already waiting or
     * answered ({@link #seen}), or an answer on the same episode already waiting, does not wait
     * again. Returns the label of the one waiting longest, given way to make room, or -1.
     */
    public int await(long minuteStart, int label, boolean episode) {
        if (episode ? waiting(minuteStart, true) : seen(minuteStart)) {
            return -1;
        }
        boolean[] kinds = kinds();
        int dropped = -1;
        int n = waitingAt.length;
        if (n == WAITING) {
            dropped = waitingLabel[0];
            waitingAt = Arrays.copyOfRange(waitingAt, 1, n);
            waitingLabel = Arrays.copyOfRange(waitingLabel, 1, n);
            kinds = Arrays.copyOfRange(kinds, 1, n);
            n--;
        }
        waitingAt = Arrays.copyOf(waitingAt, n + 1);
        waitingLabel = Arrays.copyOf(waitingLabel, n + 1);
        waitingEpisode = Arrays.copyOf(kinds, n + 1);
        waitingAt[n] = minuteStart;
        waitingLabel[n] = label;
        waitingEpisode[n] = episode;
        return dropped;
    }

    /** The waiting answers' kinds, as long as {@link #waitingAt} (all check-ins in older state). */
    private boolean[] kinds() {
        boolean[] k = new boolean[waitingAt.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = episodeAt(i);
        }
        return k;
    }

    /**
     * The waiting answers whose minute the judged minutes have now reached, each with the minute it
     * takes ({@link #take}); they wait no more.
     */
    public List<Settled> settle(long toleranceMs) {
        if (waitingAt.length == 0) {
            return List.of();
        }
        List<Settled> out = new ArrayList<>();
        keepWaiting(
                i -> newestAt < waitingAt[i],
                i ->
                        out.add(
                                new Settled(
                                        waitingLabel[i],
                                        take(waitingAt[i], episodeAt(i), toleranceMs))));
        return out;
    }

    /**
     * Gives up on the answers waiting for a minute before {@code before} (the person's minutes did
     * not come in time): a check-in given up on is remembered as answered, so a copy delivered
     * later does not wait again. Returns how many were given up on.
     */
    public int expire(long before) {
        int[] given = {0};
        keepWaiting(
                i -> waitingAt[i] >= before,
                i -> {
                    given[0]++;
                    if (!episodeAt(i)) {
                        remember(waitingAt[i]);
                    }
                });
        return given[0];
    }

    /** The number of answers waiting. */
    public int waiting() {
        return waitingAt.length;
    }

    private void keepWaiting(IntPredicate keep, IntConsumer gone) {
        boolean[] kinds = kinds();
        int kept = 0;
        for (int i = 0; i < waitingAt.length; i++) {
            if (keep.test(i)) {
                waitingAt[kept] = waitingAt[i];
                waitingLabel[kept] = waitingLabel[i];
                kinds[kept++] = kinds[i];
            } else {
                gone.accept(i);
            }
        }
        waitingAt = Arrays.copyOf(waitingAt, kept);
        waitingLabel = Arrays.copyOf(waitingLabel, kept);
        waitingEpisode = Arrays.copyOf(kinds, kept);
    }
}
