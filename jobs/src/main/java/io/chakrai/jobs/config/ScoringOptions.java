package io.chakrai.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The model-scoring job's settings: which registered model, which version, live or a backfill. */
public final class ScoringOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(names = "--model-name", required = true)
    public String modelName;

    @Option(names = "--model-version", required = true)
    public int modelVersion;

    @Option(
            names = "--bounded",
            description = "score what is on the topic now, then finish (backfill)")
    public boolean bounded;

    /** Everything but the password, for the log and the Flink UI's job parameters. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.put("model.name", modelName);
        m.put("model.version", Integer.toString(modelVersion));
        m.put("bounded", Boolean.toString(bounded));
        return m;
    }
}
