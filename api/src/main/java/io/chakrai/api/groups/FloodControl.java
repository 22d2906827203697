package io.chakrai.api.groups;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flood control per group participant: a token bucket of {@code burst} messages refilled at {@code
 * perMinute} a minute (5 at once, 30 a minute by default: a person typing fast, not a script). Per
 * API instance: a client spreading one participant's messages over several instances gets each
 * instance's allowance.
 */
public final class FloodControl {
    private final int burst;
    private final double perMilli;
    private final Clock clock;
    private final Map<Integer, double[]> buckets = new ConcurrentHashMap<>();

    public FloodControl(int burst, int perMinute, Clock clock) {
        this.burst = burst;
        this.perMilli = perMinute / 60_000.0;
        this.clock = clock;
    }

    /**
     * Takes a token for the participant; returns 0 when allowed, else the seconds until the next
     * one.
     */
    public long take(int participant) {
        long now = clock.millis();
        if (buckets.size() > 100_000) {
            buckets.entrySet().removeIf(e -> now - (long) e.getValue()[1] > 600_000);
        }
        double[] b = buckets.computeIfAbsent(participant, k -> new double[] {burst, now});
        synchronized (b) {
            b[0] = Math.min(burst, b[0] + (now - b[1]) * perMilli);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b[0]) / perMilli / 1000.0);
        }
    }
}
