package io.chakrai.jobs.io;

import java.io.Serializable;

/**
 * A completed session of a piece of content, from the change stream of {@code
 * content_usage_tracking} (times epoch ms). The content graph measures it; once it has, a later
 * change event of the same row carries the result, which the stress graph learns from.
 *
 * @param contentType meditation, worksheet or story (null for a row written before V15 filled it)
 * @param effectiveness 0..1 once measured, else NaN
 * @param hrChange bpm after minus before once measured, else NaN
 * @param erased the row was deleted (the person erased): whatever was kept of the session goes; no
 *     times then
 */
public record Usage(
        long id,
        int userId,
        long contentId,
        long startedAt,
        long completedAt,
        String contentType,
        double effectiveness,
        double hrChange,
        boolean erased)
        implements Serializable {
    /** A completed session (measured or not). */
    public Usage(
            long id,
            int userId,
            long contentId,
            long startedAt,
            long completedAt,
            String contentType,
            double effectiveness,
            double hrChange) {
        this(
                id,
                userId,
                contentId,
                startedAt,
                completedAt,
                contentType,
                effectiveness,
                hrChange,
                false);
    }

    /**
     * The deletion of session {@code id} of {@code userId}: its delete event carries only these two
     * (V24).
     */
    public static Usage erasure(long id, int userId) {
        return new Usage(id, userId, 0, 0, 0, null, Double.NaN, Double.NaN, true);
    }

    public boolean measured() {
        return !Double.isNaN(effectiveness);
    }
}
