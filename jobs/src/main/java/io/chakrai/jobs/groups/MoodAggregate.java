package io.chakrai.jobs.groups;

import io.chakrai.models.groups.GroupChanges;
import java.util.Arrays;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Sums of a window's messages: count, sentiment, intensity, negative ones (sentiment ≤ −0.05),
 * distinct writers.
 */
public final class MoodAggregate
        implements AggregateFunction<GroupChanges.Message, MoodAggregate.Sums, MoodAggregate.Sums> {
    private static final long serialVersionUID = 1L;
    static final double NEGATIVE = -0.05;

    /** The accumulator (a POJO: Flink serialises it without Kryo). */
    public static final class Sums {
        public int messages;
        public double sentiment;
        public double intensity;
        public int negative;
        public int[] writers = new int[0];
    }

    @Override
    public Sums createAccumulator() {
        return new Sums();
    }

    @Override
    public Sums add(GroupChanges.Message m, Sums s) {
        s.messages++;
        s.sentiment += m.sentiment();
        s.intensity += m.intensity();
        s.negative += m.sentiment() <= NEGATIVE ? 1 : 0;
        if (Arrays.stream(s.writers).noneMatch(w -> w == m.participantId())) {
            s.writers = Arrays.copyOf(s.writers, s.writers.length + 1);
            s.writers[s.writers.length - 1] = m.participantId();
        }
        return s;
    }

    @Override
    public Sums getResult(Sums s) {
        return s;
    }

    @Override
    public Sums merge(Sums a, Sums b) {
        Sums m = new Sums();
        m.messages = a.messages + b.messages;
        m.sentiment = a.sentiment + b.sentiment;
        m.intensity = a.intensity + b.intensity;
        m.negative = a.negative + b.negative;
        m.writers =
                java.util.stream.IntStream.concat(
                                Arrays.stream(a.writers), Arrays.stream(b.writers))
                        .distinct()
                        .toArray();
        return m;
    }

    /** Sums of a group's window → its {@link GroupMood}. */
    public static final class ToMood
            extends ProcessWindowFunction<Sums, GroupMood, Integer, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                Integer group, Context ctx, Iterable<Sums> sums, Collector<GroupMood> out) {
            Sums s = sums.iterator().next();
            if (s.messages == 0) {
                return;
            }
            out.collect(
                    new GroupMood(
                            group,
                            ctx.window().getStart(),
                            ctx.window().getEnd(),
                            s.messages,
                            s.writers.length,
                            round(s.sentiment / s.messages),
                            round(s.intensity / s.messages),
                            round(s.negative / (double) s.messages)));
        }
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
