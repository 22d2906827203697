package io.chakrai.models.content;

import java.util.List;
import java.util.Map;

/**
 * A generated piece of content, ready to be checked and stored.
 *
 * @param variant which structure (body_scan, breath, thought_record, behavioural_activation,
 *     worry_time, story)
 * @param estimatedSeconds reading at a calm speaking pace plus the pauses (meditations, stories),
 *     or the time the worksheet's parts ask for
 * @param personalizations what was personalised, and from which of the person's data
 */
public record Generated(
        ContentType type,
        String variant,
        String title,
        String text,
        int estimatedSeconds,
        List<Map<String, String>> personalizations,
        List<String> targetConditions,
        List<String> therapeuticGoals,
        int difficulty,
        String generator) {}
