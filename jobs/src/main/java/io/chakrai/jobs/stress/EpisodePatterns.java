package io.chakrai.jobs.stress;

import io.chakrai.models.stress.EpisodeThresholds;
import io.chakrai.models.stress.MinuteEvaluation;
import java.util.Iterator;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The stress-episode pattern: {@code consecutiveMinutes} stress minutes in a row, each the minute
 * right after the previous one (checked on the minutes' own event times, so the rule does not
 * depend on when they arrive), all within {@code within}. The same rule as {@code EpisodeRun} in
 * models.
 */
public final class EpisodePatterns {
    private EpisodePatterns() {}

    public static Pattern<MinuteEvaluation, MinuteEvaluation> stressEpisode(EpisodeThresholds t) {
        return Pattern.<MinuteEvaluation>begin("stress", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new StressMinuteFollowing())
                .times(t.consecutiveMinutes())
                .consecutive()
                .within(t.within());
    }

    /** A stress minute that directly follows the previous stress minute of the match. */
    static final class StressMinuteFollowing extends IterativeCondition<MinuteEvaluation> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(MinuteEvaluation m, Context<MinuteEvaluation> ctx) throws Exception {
            if (!m.stress()) {
                return false;
            }
            MinuteEvaluation last = null;
            for (Iterator<MinuteEvaluation> it = ctx.getEventsForPattern("stress").iterator();
                    it.hasNext(); ) {
                last = it.next();
            }
            return last == null || m.minuteStart() - last.minuteStart() == 60_000L;
        }
    }
}
