package io.chakrai.jobs.config;

import io.chakrai.models.Topics;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The content-effectiveness graph's settings. */
public final class ContentOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(names = "--group-id", defaultValue = "chakrai-content-effectiveness")
    public String groupId;

    @Option(names = "--usage-topic", defaultValue = Topics.CONTENT_USAGE)
    public String usageTopic;

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.put("group.id", groupId);
        m.put("usage.topic", usageTopic);
        return m;
    }
}
