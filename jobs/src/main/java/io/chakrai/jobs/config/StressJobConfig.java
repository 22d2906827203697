package io.chakrai.jobs.config;

import io.chakrai.models.stress.EpisodeThresholds;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The stress-episode job's settings: where to read and write, and the detector's thresholds. */
public final class StressJobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin
    public SourceOptions source = new SourceOptions();

    @Option(names = "--predictions-topic", defaultValue = "${env:CHAKRAI_PREDICTIONS_TOPIC:-predictions}")
    public String predictionsTopic;

    @Option(names = "--group-id", defaultValue = "chakrai-stress")
    public String groupId;

    @Option(names = "--hr-z", defaultValue = "1.5", description = "heart rate robust z-score over the personal baseline")
    public double hrZ;

    @Option(names = "--hr-min-delta-bpm", defaultValue = "6")
    public double hrMinDeltaBpm;

    @Option(names = "--hrv-ratio", defaultValue = "0.8", description = "RMSSD at most this fraction of the baseline")
    public double hrvRatio;

    @Option(names = "--hr-z-without-hrv", defaultValue = "2.5")
    public double hrZWithoutHrv;

    @Option(names = "--max-steps-per-minute", defaultValue = "30")
    public double maxStepsPerMinute;

    @Option(names = "--max-met", defaultValue = "2.0")
    public double maxMet;

    @Option(names = "--recovery-minutes", defaultValue = "5")
    public int recoveryMinutes;

    @Option(names = "--min-quality", defaultValue = "0.3")
    public double minQuality;

    @Option(names = "--consecutive-minutes", defaultValue = "3")
    public int consecutiveMinutes;

    @Option(names = "--within-minutes", defaultValue = "5")
    public int withinMinutes;

    @Option(names = "--intervention-level", defaultValue = "60")
    public int interventionLevel;

    @Option(names = "--intervention-gap-minutes", defaultValue = "30")
    public int interventionGapMinutes;

    public StressJobConfig() {
    }

    public EpisodeThresholds thresholds() {
        return new EpisodeThresholds(hrZ, hrMinDeltaBpm, hrvRatio, hrZWithoutHrv, maxStepsPerMinute, maxMet,
                recoveryMinutes, minQuality, consecutiveMinutes, Duration.ofMinutes(withinMinutes), interventionLevel,
                Duration.ofMinutes(interventionGapMinutes));
    }

    /** Job parameters for the log and the Flink UI (no password). */
    public Map<String, String> describe() {
        Map<String, String> m = new java.util.LinkedHashMap<>(source.describe());
        m.putAll(thresholds().describe());
        m.put("predictions.topic", predictionsTopic);
        m.put("group.id", groupId);
        return m;
    }
}
