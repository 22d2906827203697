package io.chakrai.jobs.config;

import io.chakrai.models.Topics;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The group-dynamics job's settings. */
public final class GroupOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Mixin public SourceOptions source = new SourceOptions();

    @Option(names = "--group-id", defaultValue = "chakrai-group-dynamics")
    public String groupId;

    @Option(names = "--messages-topic", defaultValue = Topics.GROUP_MESSAGES)
    public String messagesTopic;

    @Option(names = "--window-minutes", defaultValue = "5", description = "length of a mood window")
    public int windowMinutes;

    @Option(
            names = "--early-firing-s",
            defaultValue = "15",
            description = "an open window's partial result, this often")
    public int earlyFiringSeconds;

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(source.describe());
        m.put("group.id", groupId);
        m.put("messages.topic", messagesTopic);
        m.put("window.minutes", Integer.toString(windowMinutes));
        m.put("early.firing.s", Integer.toString(earlyFiringSeconds));
        return m;
    }
}
