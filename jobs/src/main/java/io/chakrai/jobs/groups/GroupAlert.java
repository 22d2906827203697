package io.chakrai.jobs.groups;

/**
 * An escalation the job raises ({@code crisis_escalations}, source {@code group-dynamics-job});
 * {@code participantId} is 0 for a group-wide one. {@code dedupeKey} makes a replay insert nothing
 * new.
 */
public record GroupAlert(
        String kind,
        String severity,
        int groupId,
        int participantId,
        long messageId,
        String reason,
        String dedupeKey) {}
