package io.chakrai.jobs.groups;

import io.chakrai.models.groups.GroupChanges;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * The two CEP patterns that pull a facilitator in:
 *
 * <ul>
 *   <li><b>member decline</b> (per participant): three messages in a row, each more negative than
 *       the one before, the last at or below {@value #DECLINE_FLOOR}, within two hours;
 *   <li><b>negative spiral</b> (per group): {@value #SPIRAL_LENGTH} messages in a row at or below
 *       {@value #SPIRAL_FLOOR} within fifteen minutes, from at least two members (one person's low
 *       moment is the decline pattern's).
 * </ul>
 */
public final class GroupPatterns {
    static final double DECLINE_FLOOR = -0.5;
    static final int SPIRAL_LENGTH = 5;
    static final double SPIRAL_FLOOR = -0.3;

    private GroupPatterns() {}

    public static Pattern<GroupChanges.Message, ?> memberDecline() {
        return Pattern.<GroupChanges.Message>begin(
                        "first", AfterMatchSkipStrategy.skipPastLastEvent())
                .next("second")
                .where(lowerThan("first"))
                .next("third")
                .where(lowerThan("second"))
                .where(
                        new SimpleCondition<>() {
                            private static final long serialVersionUID = 1L;

                            @Override
                            public boolean filter(GroupChanges.Message m) {
                                return m.sentiment() <= DECLINE_FLOOR;
                            }
                        })
                .within(Duration.ofHours(2));
    }

    private static IterativeCondition<GroupChanges.Message> lowerThan(String previous) {
        return new IterativeCondition<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean filter(GroupChanges.Message m, Context<GroupChanges.Message> ctx)
                    throws Exception {
                for (GroupChanges.Message p : ctx.getEventsForPattern(previous)) {
                    if (m.sentiment() >= p.sentiment()) {
                        return false;
                    }
                }
                return true;
            }
        };
    }

    public static Pattern<GroupChanges.Message, ?> negativeSpiral() {
        return Pattern.<GroupChanges.Message>begin(
                        "low", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(
                        new SimpleCondition<>() {
                            private static final long serialVersionUID = 1L;

                            @Override
                            public boolean filter(GroupChanges.Message m) {
                                return m.sentiment() <= SPIRAL_FLOOR;
                            }
                        })
                .times(SPIRAL_LENGTH)
                .consecutive()
                .within(Duration.ofMinutes(15));
    }

    /** A decline match → an alert for that participant (once per last message). */
    public static final class ToDeclineAlert
            extends PatternProcessFunction<GroupChanges.Message, GroupAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<GroupChanges.Message>> match,
                Context ctx,
                Collector<GroupAlert> out) {
            GroupChanges.Message a = match.get("first").get(0);
            GroupChanges.Message b = match.get("second").get(0);
            GroupChanges.Message c = match.get("third").get(0);
            out.collect(
                    new GroupAlert(
                            "member_decline",
                            "high",
                            c.groupId(),
                            c.participantId(),
                            c.id(),
                            String.format(
                                    Locale.ROOT,
                                    "sentiment fell across three messages in a row: %.2f → %.2f → %.2f",
                                    a.sentiment(),
                                    b.sentiment(),
                                    c.sentiment()),
                            "member_decline:" + c.participantId() + ":" + c.id()));
        }
    }

    /** A spiral match from two or more members → one alert per group and hour. */
    public static final class ToSpiralAlert
            extends PatternProcessFunction<GroupChanges.Message, GroupAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<GroupChanges.Message>> match,
                Context ctx,
                Collector<GroupAlert> out) {
            List<GroupChanges.Message> low = match.get("low");
            long members = low.stream().map(GroupChanges.Message::participantId).distinct().count();
            if (members < 2) {
                return;
            }
            GroupChanges.Message last = low.get(low.size() - 1);
            double mean =
                    low.stream()
                            .collect(Collectors.averagingDouble(GroupChanges.Message::sentiment));
            Instant hour = last.timestamp().truncatedTo(ChronoUnit.HOURS);
            out.collect(
                    new GroupAlert(
                            "group_spiral",
                            "high",
                            last.groupId(),
                            0,
                            last.id(),
                            String.format(
                                    Locale.ROOT,
                                    "%d messages in a row from %d members at or below %.1f (mean %.2f)",
                                    low.size(),
                                    members,
                                    SPIRAL_FLOOR,
                                    mean),
                            "group_spiral:" + last.groupId() + ":" + hour));
        }
    }
}
