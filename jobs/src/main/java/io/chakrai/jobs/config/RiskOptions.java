package io.chakrai.jobs.config;

import io.chakrai.models.assessment.RiskAssessment;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The risk-assessment graph's settings (and the risk job's: {@code --bounded}). */
public final class RiskOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(names = "--group-id", defaultValue = "chakrai-risk")
    public String groupId;

    @Option(
            names = "--day-close-delay-min",
            defaultValue = "30",
            description =
                    "how long after midnight UTC (event time) a day is closed and assessed; readings for a "
                            + "closed day are dropped from its figures (they are still stored)")
    public int dayCloseDelayMinutes;

    @Option(
            names = "--bounded",
            description = "assess every day on the topic now, then finish (backfill / re-score)")
    public boolean bounded;

    @Option(
            names = "--risk-model-name",
            defaultValue = RiskAssessment.LEARNED_MODEL,
            description =
                    "the registry name of the learned risk model: its production version is the champion "
                            + "(none: the rule), its challenger is shadowed; empty: the rule only (default: ${DEFAULT-VALUE})")
    public String riskModelName;

    @Option(
            names = "--model-refresh-s",
            defaultValue = "60",
            description =
                    "how often the job re-reads which versions are champion and challenger (default: ${DEFAULT-VALUE})")
    public long modelRefreshSeconds;

    /**
     * Which versions ran when the job was built, for the Flink UI's configuration tab (the gauges
     * say what runs now).
     */
    String champion = RiskAssessment.MODEL_VERSION;

    String challenger = "none";

    /**
     * Reads the registry once (best effort) so the submitted job's configuration names the
     * versions.
     */
    public void atSubmit() {
        if (riskModelName == null || riskModelName.isBlank()) {
            return;
        }
        io.chakrai.models.ml.ModelRegistry r =
                new io.chakrai.models.ml.ModelRegistry(source.dataSource());
        try {
            champion =
                    r.production(riskModelName)
                            .map(v -> RiskAssessment.versionOf(riskModelName, v))
                            .orElse(RiskAssessment.MODEL_VERSION);
            challenger =
                    r.challenger(riskModelName)
                            .map(v -> RiskAssessment.versionOf(riskModelName, v))
                            .orElse("none");
        } catch (java.sql.SQLException e) {
            champion = "unknown (registry unreadable at submit)";
        }
    }

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.put("group.id", groupId);
        m.put("day.close.delay.min", Integer.toString(dayCloseDelayMinutes));
        m.put("bounded", Boolean.toString(bounded));
        m.put("rule.version", RiskAssessment.MODEL_VERSION);
        m.put("risk.model.name", riskModelName);
        m.put("risk.model.refresh.s", Long.toString(modelRefreshSeconds));
        m.put("risk.champion.at.submit", champion);
        m.put("risk.challenger.at.submit", challenger);
        return m;
    }
}
