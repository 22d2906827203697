package io.chakrai.jobs.groups;

import io.chakrai.models.groups.GroupChanges;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time for messages, whose timestamps are the database's commit-time clock: bounded
 * out-of-orderness, and, when a live stream (its newest message less than an hour old) has been
 * quiet for {@code quietMs}, the watermark follows the wall clock minus the bound. So the last
 * messages before a lull are judged within seconds (a spiral's alert must not wait for the next
 * message), while a replay of old messages (a backfill, a restart working through a backlog) is
 * never overtaken by the clock.
 */
public final class LiveWatermarks implements WatermarkGenerator<GroupChanges.Message> {
    static final long LIVE_MS = 3_600_000L;
    private final long boundMs;
    private final long quietMs;
    private long maxTs = Long.MIN_VALUE;
    private long lastEventAt = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public LiveWatermarks(long boundMs, long quietMs) {
        this.boundMs = boundMs;
        this.quietMs = quietMs;
    }

    @Override
    public void onEvent(GroupChanges.Message m, long eventTimestamp, WatermarkOutput output) {
        maxTs = Math.max(maxTs, eventTimestamp);
        lastEventAt = System.currentTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTs == Long.MIN_VALUE) {
            return;
        }
        long wm = maxTs - boundMs - 1;
        long now = System.currentTimeMillis();
        if (now - lastEventAt >= quietMs && now - maxTs < LIVE_MS) {
            wm = Math.max(wm, now - boundMs - 1);
        }
        if (wm > emitted) {
            emitted = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }
}
