package io.chakrai.jobs.stress;

import io.chakrai.models.stress.MinuteEvaluation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Turns a pattern match into an {@link Onset}. */
final class ToOnset extends PatternProcessFunction<MinuteEvaluation, Onset> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processMatch(
            Map<String, List<MinuteEvaluation>> match, Context ctx, Collector<Onset> out) {
        List<MinuteEvaluation> minutes = match.get("stress");
        MinuteEvaluation last = minutes.get(minutes.size() - 1);
        int level = minutes.stream().mapToInt(MinuteEvaluation::level).max().orElse(0);
        double confidence =
                minutes.stream().mapToDouble(MinuteEvaluation::confidence).average().orElse(0);
        Set<String> triggers = new LinkedHashSet<>();
        minutes.forEach(m -> triggers.addAll(List.of(m.triggers().split(","))));
        triggers.remove("");
        out.collect(
                new Onset(
                        last.userId(),
                        last.minuteStart(),
                        minutes.get(0).minuteStart(),
                        level,
                        Math.round(confidence * 100) / 100.0,
                        String.join(",", triggers),
                        null,
                        last.history()));
    }
}
