package io.chakrai.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The analytics job's settings: the stress, risk and content graphs' options, parsed from one
 * argument list; {@code groupId} is the shared source's consumer group.
 */
public record AnalyticsOptions(
        String groupId, StressOptions stress, RiskOptions risk, ContentOptions content)
        implements Serializable {
    public static final String DEFAULT_GROUP = "chakrai-analytics";

    /** The consumer group the stress graph reads the content-usage change stream as. */
    public String stressUsageGroup() {
        return groupId + "-stress-usage";
    }

    /**
     * The consumer group the stress graph reads people's answers as: the stress options' own group
     * with {@code -answers} (the same as the analytics group once parsed from one argument list;
     * {@code chakrai-stress-answers} in the embedded stack, which builds its options apart).
     */
    public String answersGroup() {
        return stress.groupId + "-answers";
    }

    /** The consumer group the content graph reads the content-usage change stream as. */
    public String contentUsageGroup() {
        return groupId + "-content-usage";
    }

    /**
     * Where the shared source reads from (Kafka, the topic, event time): the same options every
     * graph was given.
     */
    public SourceOptions source() {
        return stress.source;
    }

    /**
     * The options of the three graphs from one argument list, as each takes them ({@code
     * --group-id} defaults to {@value #DEFAULT_GROUP}). An argument none of the three knows is an
     * error, and so is {@code --bounded}: a backfill is the risk job's alone.
     */
    public static AnalyticsOptions parse(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.equals("--group-id") || a.startsWith("--group-id="))) {
            all.add("--group-id=" + DEFAULT_GROUP);
        }
        String[] argv = all.toArray(String[]::new);
        StressOptions stress = new StressOptions();
        RiskOptions risk = new RiskOptions();
        ContentOptions content = new ContentOptions();
        List<List<String>> unmatched = new ArrayList<>();
        for (Object settings : List.of(stress, risk, content)) {
            CommandLine cl = new CommandLine(settings).setUnmatchedArgumentsAllowed(true);
            cl.parseArgs(argv);
            unmatched.add(cl.getUnmatchedArguments());
        }
        for (String a : argv) {
            if (unmatched.stream().allMatch(u -> u.contains(a))) {
                throw new IllegalArgumentException(
                        "the analytics job does not know "
                                + a
                                + " (it takes the stress, risk and content graphs' options)");
            }
        }
        if (risk.bounded) {
            throw new IllegalArgumentException(
                    "the analytics job runs unbounded; backfill risk scores with the risk job "
                            + "(RiskAssessmentJob --bounded, or chakrai reassess)");
        }
        return new AnalyticsOptions(stress.groupId, stress, risk, content);
    }
}
