package io.chakrai.jobs.content;

import java.io.Serializable;

/** A completed session of a piece of content, from the change stream of {@code content_usage_tracking} (times epoch ms). */
public record Usage(long id, int userId, long contentId, long startedAt, long completedAt) implements Serializable {
}
