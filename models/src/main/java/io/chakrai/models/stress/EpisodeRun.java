package io.chakrai.models.stress;

import io.chakrai.models.readings.BiometricReading;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The episode rule as a plain function over a person's minutes in order: an episode starts when
 * {@code consecutiveMinutes} stress minutes follow each other (no minute missing) within {@code
 * within}, and lasts until a minute that is not a stress minute. The Flink job expresses the same
 * rule as a CEP pattern ({@code EpisodePatterns}); the replay evaluation uses this class, and a
 * test checks they agree.
 */
public class EpisodeRun {
    public int run;
    public long runStart = Long.MIN_VALUE;
    public long lastMinute = Long.MIN_VALUE;
    public boolean inEpisode;

    public EpisodeRun() {}

    /**
     * Replays one person's readings (any order) through the detector from a blank state, the way
     * the stress job does minute by minute, and returns the start of each minute in which an
     * episode is recognised.
     */
    public static List<Long> onsetMinutes(List<BiometricReading> readings, EpisodeThresholds t) {
        return onsetMinutes(readings, t, null, null);
    }

    /**
     * The same with a learned per-minute model judging the minutes, as the stress job does when one
     * is promoted: {@code probability} maps a minute's {@link MinuteAccumulator#modelVector} to the
     * model's probability of stress (null: the rule).
     */
    public static List<Long> onsetMinutes(
            List<BiometricReading> readings,
            EpisodeThresholds t,
            java.util.function.ToDoubleFunction<double[]> probability,
            String model) {
        TreeMap<Long, MinuteAccumulator> minutes = new TreeMap<>();
        for (BiometricReading r : readings) {
            minutes.computeIfAbsent(
                            MinuteAccumulator.minuteOf(r.timestamp().toEpochMilli()),
                            m -> {
                                MinuteAccumulator a = new MinuteAccumulator();
                                a.reset(m);
                                return a;
                            })
                    .add(r, t.minQuality());
        }
        int user = readings.isEmpty() ? 0 : readings.get(0).userId();
        StressState state = new StressState();
        EpisodeRun run = new EpisodeRun();
        List<Long> onsets = new ArrayList<>();
        for (MinuteAccumulator a : minutes.values()) {
            double[] v = probability == null ? null : a.modelVector();
            MinuteEvaluation e =
                    probability == null
                            ? state.evaluate(a.toFeatures(user), t)
                            : state.evaluate(
                                    a.toFeatures(user),
                                    t,
                                    v == null ? Double.NaN : probability.applyAsDouble(v),
                                    model);
            if (run.next(e, t) == Step.ONSET) {
                onsets.add(e.minuteStart());
            }
        }
        return onsets;
    }

    /** What a minute did to the episode. */
    public enum Step {
        CALM,
        BUILDING,
        ONSET,
        ONGOING,
        ENDED
    }

    public Step next(MinuteEvaluation m, EpisodeThresholds t) {
        boolean contiguous =
                lastMinute != Long.MIN_VALUE && m.minuteStart() - lastMinute == 60_000L;
        lastMinute = m.minuteStart();
        if (!m.stress()) {
            boolean was = inEpisode;
            run = 0;
            inEpisode = false;
            return was ? Step.ENDED : Step.CALM;
        }
        if (inEpisode && contiguous) {
            return Step.ONGOING;
        }
        if (!contiguous || run == 0) {
            run = 1;
            runStart = m.minuteStart();
            inEpisode = false;
        } else {
            run++;
        }
        if (run >= t.consecutiveMinutes()
                && m.minuteStart() + 60_000L - runStart <= t.within().toMillis()) {
            inEpisode = true;
            return Step.ONSET;
        }
        return Step.BUILDING;
    }
}
