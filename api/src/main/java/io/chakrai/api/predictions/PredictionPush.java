package io.chakrai.api.predictions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.PredictionCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushing a prediction to its owner's sockets: the events {@link PredictionCodec} writes, to that
 * person only, once — the topic is at-least-once, so a prediction already pushed (same natural key,
 * among the last {@code remembered}) is dropped. A prediction about the past (history imported or
 * synced late: its time more than {@link #LIVE}, six hours, behind the clock) is stored and listed,
 * but no alert: nobody is helped by an intervention for last month's episode.
 */
final class PredictionPush {
    /** Sends one JSON event to a person's open sockets; returns how many were reached. */
    @FunctionalInterface
    interface Sender {
        int send(int userId, String json);
    }

    /** How far behind the clock a prediction may be and still be pushed as news. */
    static final long LIVE = io.chakrai.models.readings.Arrival.LIVE.toMillis();

    private final Sender sender;
    private final java.util.function.LongSupplier clock;
    private final Map<String, Boolean> seen;

    PredictionPush(Sender sender, int remembered, java.util.function.LongSupplier clock) {
        this.sender = sender;
        this.clock = clock;
        this.seen =
                new LinkedHashMap<>(1024, 0.75f, false) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > remembered;
                    }
                };
    }

    /**
     * Returns the sockets reached, -1 when the prediction had been pushed before, -2 when it is
     * about the past.
     */
    int deliver(Prediction p) {
        if (p.predictionTime() < clock.getAsLong() - LIVE) {
            return -2;
        }
        synchronized (seen) {
            if (seen.put(PredictionCodec.naturalKey(p), Boolean.TRUE) != null) {
                return -1;
            }
        }
        int reached = 0;
        for (ObjectNode event : PredictionCodec.events(p)) {
            reached += sender.send(p.userId(), event.toString());
        }
        return reached;
    }
}
