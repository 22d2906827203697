package io.chakrai.models.stress;

/**
 * The episode rule as a plain function over a person's minutes in order: an episode starts when
 * {@code consecutiveMinutes} stress minutes follow each other (no minute missing) within {@code within},
 * and lasts until a minute that is not a stress minute. The Flink job expresses the same rule as a CEP
 * pattern ({@code EpisodePatterns}); the replay evaluation uses this class, and a test checks they agree.
 */
public class EpisodeRun {
    public int run;
    public long runStart = Long.MIN_VALUE;
    public long lastMinute = Long.MIN_VALUE;
    public boolean inEpisode;

    public EpisodeRun() {
    }

    /** What a minute did to the episode. */
    public enum Step { CALM, BUILDING, ONSET, ONGOING, ENDED }

    public Step next(MinuteEvaluation m, EpisodeThresholds t) {
        boolean contiguous = lastMinute != Long.MIN_VALUE && m.minuteStart() - lastMinute == 60_000L;
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
