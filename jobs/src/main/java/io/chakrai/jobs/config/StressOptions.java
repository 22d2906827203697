package io.chakrai.jobs.config;

import io.chakrai.models.Topics;
import io.chakrai.models.stress.EpisodeThresholds;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The stress graph's settings: where to read and write, and the detector's thresholds. */
public final class StressOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(
            names = "--predictions-topic",
            defaultValue = "${env:CHAKRAI_PREDICTIONS_TOPIC:-" + Topics.PREDICTIONS + "}")
    public String predictionsTopic;

    @Option(names = "--group-id", defaultValue = "chakrai-stress")
    public String groupId;

    @Option(
            names = "--usage-topic",
            defaultValue = Topics.CONTENT_USAGE,
            description =
                    "change events of content_usage_tracking, to offer what measurably helped (default: ${DEFAULT-VALUE})")
    public String usageTopic;

    @Option(
            names = "--answers-topic",
            defaultValue = Topics.STRESS_ANSWERS,
            description =
                    "change events of stress_answers, which each person's own model learns from (default: ${DEFAULT-VALUE})")
    public String answersTopic;

    @Option(
            names = "--erasures-topic",
            defaultValue = Topics.ERASED_USERS,
            description =
                    "change events of erased_users: everything the job keeps of an erased person is dropped (default: ${DEFAULT-VALUE})")
    public String erasuresTopic;

    @Option(
            names = "--explore",
            defaultValue = "0.15",
            description =
                    "share of interventions that offer the least-tried kind of content instead of the best (default: ${DEFAULT-VALUE})")
    public double explore;

    @Option(
            names = "--model-name",
            defaultValue = "stress_minute",
            description =
                    "the registered per-minute model that judges stress minutes; empty: the rule (default: ${DEFAULT-VALUE})")
    public String modelName = "stress_minute";

    @Option(
            names = "--model-version",
            defaultValue = "0",
            description =
                    "its version; 0: the one in production when the job starts, the rule if none (default: ${DEFAULT-VALUE})")
    public int modelVersion;

    /** The defaults are the detector's own ({@link EpisodeThresholds#DEFAULT}), stated once. */
    private static final EpisodeThresholds D = EpisodeThresholds.DEFAULT;

    @Option(
            names = "--hr-z",
            description =
                    "heart rate robust z-score over the personal baseline (default: ${DEFAULT-VALUE})")
    public double hrZ = D.hrZ();

    @Option(names = "--hr-min-delta-bpm", description = "default: ${DEFAULT-VALUE}")
    public double hrMinDeltaBpm = D.hrMinDeltaBpm();

    @Option(
            names = "--hrv-ratio",
            description = "RMSSD at most this fraction of the baseline (default: ${DEFAULT-VALUE})")
    public double hrvRatio = D.hrvRatio();

    @Option(names = "--hr-z-without-hrv", description = "default: ${DEFAULT-VALUE}")
    public double hrZWithoutHrv = D.hrZWithoutHrv();

    @Option(names = "--max-steps-per-minute", description = "default: ${DEFAULT-VALUE}")
    public double maxStepsPerMinute = D.maxStepsPerMinute();

    @Option(names = "--max-met", description = "default: ${DEFAULT-VALUE}")
    public double maxMet = D.maxMet();

    @Option(names = "--recovery-minutes", description = "default: ${DEFAULT-VALUE}")
    public int recoveryMinutes = D.recoveryMinutes();

    @Option(names = "--min-quality", description = "default: ${DEFAULT-VALUE}")
    public double minQuality = D.minQuality();

    @Option(names = "--consecutive-minutes", description = "default: ${DEFAULT-VALUE}")
    public int consecutiveMinutes = D.consecutiveMinutes();

    @Option(names = "--within-minutes", description = "default: ${DEFAULT-VALUE}")
    public int withinMinutes = (int) D.within().toMinutes();

    @Option(names = "--intervention-level", description = "default: ${DEFAULT-VALUE}")
    public int interventionLevel = D.interventionLevel();

    @Option(names = "--intervention-gap-minutes", description = "default: ${DEFAULT-VALUE}")
    public int interventionGapMinutes = (int) D.interventionGap().toMinutes();

    @Option(
            names = "--eda-z",
            description =
                    "skin conductance this many robust SDs above the person's calm level is a "
                            + "second road to a stress minute; Infinity: off (default: ${DEFAULT-VALUE})")
    public double edaZ = D.edaZ();

    @Option(
            names = "--hr-z-with-eda",
            description =
                    "… with heart rate this many robust SDs above rest (default: ${DEFAULT-VALUE})")
    public double hrZWithEda = D.hrZWithEda();

    /**
     * The detector the graph was built with, for the Flink UI's configuration tab (set when the
     * graph is attached: the registered model it resolved, or the rule).
     */
    public String detector = "not resolved yet";

    public StressOptions() {}

    public EpisodeThresholds thresholds() {
        return new EpisodeThresholds(
                hrZ,
                hrMinDeltaBpm,
                hrvRatio,
                hrZWithoutHrv,
                maxStepsPerMinute,
                maxMet,
                recoveryMinutes,
                minQuality,
                consecutiveMinutes,
                Duration.ofMinutes(withinMinutes),
                interventionLevel,
                Duration.ofMinutes(interventionGapMinutes),
                edaZ,
                hrZWithEda);
    }

    /** Job parameters for the log and the Flink UI (no password). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.putAll(thresholds().describe());
        m.put("predictions.topic", predictionsTopic);
        m.put("group.id", groupId);
        m.put("usage.topic", usageTopic);
        m.put("answers.topic", answersTopic);
        m.put("erasures.topic", erasuresTopic);
        m.put("interventions.explore", Double.toString(explore));
        m.put("model.name", modelName == null ? "" : modelName);
        m.put("model.version", modelVersion == 0 ? "production" : Integer.toString(modelVersion));
        m.put("stress.detector", detector);
        return m;
    }
}
