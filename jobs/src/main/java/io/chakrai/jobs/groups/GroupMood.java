package io.chakrai.jobs.groups;

/** One window of a group's mood: what {@code group_mood} holds (times epoch ms). */
public record GroupMood(
        int groupId,
        long windowStart,
        long windowEnd,
        int messages,
        int participants,
        double meanSentiment,
        double meanIntensity,
        double negativeShare) {}
