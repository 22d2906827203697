package io.chakrai.api;

import io.chakrai.api.predictions.PredictionRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code chakrai_prediction_precision{type}}: the share of predictions with an outcome that were right,
 * over all users, refreshed at most every 30 s (a scrape never waits on more than one query).
 */
final class PrecisionGauges {
    private static final long REFRESH_MS = 30_000;

    private PrecisionGauges() {
    }

    static void register(MeterRegistry metrics, PredictionRepository repo) {
        Map<String, Double> cache = new ConcurrentHashMap<>();
        long[] refreshed = {0};
        for (String type : new String[] {"stress_episode", "mood_decline"}) {
            Gauge.builder("chakrai_prediction_precision", () -> {
                synchronized (refreshed) {
                    if (System.currentTimeMillis() - refreshed[0] > REFRESH_MS) {
                        refreshed[0] = System.currentTimeMillis();
                        try {
                            repo.accuracy(null).forEach((t, m) -> {
                                if (m.get("precision") != null) {
                                    cache.put(t, (Double) m.get("precision"));
                                }
                            });
                        } catch (SQLException e) {
                            // keep the last known figures
                        }
                    }
                }
                return cache.getOrDefault(type, Double.NaN);
            }).tag("type", type).description("share of predictions confirmed by their outcome").register(metrics);
        }
    }
}
