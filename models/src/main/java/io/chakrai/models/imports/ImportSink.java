package io.chakrai.models.imports;

import io.chakrai.models.readings.DataType;
import java.time.Instant;

/**
 * Receives what an export's reader finds, one record at a time (the reader never holds the file in
 * memory).
 */
public interface ImportSink {
    /**
     * One sample, in the type's canonical unit.
     *
     * @param source the device or app the export says recorded it (an Apple Health export holds
     *     several)
     */
    void sample(String source, DataType type, double value, Instant at);

    /**
     * A record read and left out, with why; counted by reason, so a reason names a kind, not an
     * instance.
     */
    void skip(String reason);
}
