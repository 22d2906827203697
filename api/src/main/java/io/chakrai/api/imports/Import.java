package io.chakrai.api.imports;

import java.time.Instant;
import java.util.Map;

/**
 * One import as the API returns it: the upload ({@code received_bytes} of {@code size_bytes}; a
 * client resumes from {@code received_bytes}), then the reading ({@code read_bytes}, records,
 * readings accepted, duplicates, skipped by reason) and how it ended.
 */
public record Import(
        long id,
        String status,
        String format,
        String fileName,
        String timeZone,
        long sizeBytes,
        long receivedBytes,
        long readBytes,
        long recordsRead,
        long accepted,
        long duplicates,
        Map<String, Long> skipped,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
    public static final String UPLOADING = "uploading";
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /**
     * Seconds left at the rate read so far, or null before there is a rate, after the end, and
     * while the readings read are handed on in time order once the whole file is read (their pace
     * is the store's, not the reader's).
     */
    public Long etaSeconds(Instant now) {
        if (!RUNNING.equals(status)
                || startedAt == null
                || readBytes <= 0
                || readBytes >= sizeBytes) {
            return null;
        }
        double seconds = Math.max(0.001, (now.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
        return Math.round((sizeBytes - readBytes) / (readBytes / seconds));
    }
}
