package io.chakrai.jobs.io;

import java.io.Serializable;

/**
 * A completed session of a piece of content, from the change stream of {@code content_usage_tracking} (times epoch
 * ms). The content-effectiveness job measures it; once it has, a later change event of the same row carries the
 * result, which the stress job learns from.
 *
 * @param contentType   meditation, worksheet or story (null for a row written before V15 filled it)
 * @param effectiveness 0..1 once measured, else NaN
 * @param hrChange      bpm after minus before once measured, else NaN
 */
public record Usage(long id, int userId, long contentId, long startedAt, long completedAt, String contentType,
                    double effectiveness, double hrChange) implements Serializable {
    public boolean measured() {
        return !Double.isNaN(effectiveness);
    }
}
