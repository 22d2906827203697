package io.chakrai.api;

import io.chakrai.api.predictions.PredictionRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code chakrai_prediction_precision{type}}: the share of predictions with an outcome that were
 * right, over all users, refreshed at most every 30 s (a scrape never waits on more than one
 * query).
 */
final class PrecisionGauges {
    private static final long REFRESH_MS = 30_000;

    private PrecisionGauges() {}

    static void register(MeterRegistry metrics, PredictionRepository repo) {
        // one query for both types; a type whose precision is not known now keeps its last figure
        Refreshing<Map<String, Double>> precision =
                new Refreshing<>(
                        REFRESH_MS,
                        Map.of(),
                        last -> {
                            Map<String, Double> next = new HashMap<>(last);
                            repo.accuracy(null)
                                    .forEach(
                                            (t, a) -> {
                                                if (a.precision() != null) {
                                                    next.put(t, a.precision());
                                                }
                                            });
                            return next;
                        });
        for (String type : new String[] {"stress_episode", "mood_decline"}) {
            Gauge.builder(
                            "chakrai_prediction_precision",
                            () -> precision.get().getOrDefault(type, Double.NaN))
                    .tag("type", type)
                    .description("share of predictions confirmed by their outcome")
                    .register(metrics);
        }
    }
}
